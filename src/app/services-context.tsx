import React, { createContext, useContext, type ReactNode } from 'react';
import type { DetectedClient } from '../services/clients/registry.js';
import type { VerifyResult } from '../services/mcp/verify.js';
import type { AddRequest, AppliedChange, PlannedChange } from '../services/setup.js';
import type { SystemInfo } from '../services/deps.js';
import type { LoginEvents, LoginSession } from '../services/auth/types.js';

/** What the screens may do to the world: nothing else reaches them. */
export interface WizardServices {
  system: SystemInfo;
  detectClients(): Promise<DetectedClient[]>;
  verify(url: string, headers: Record<string, string> | undefined, signal: AbortSignal): Promise<VerifyResult>;
  plan(request: AddRequest): Promise<PlannedChange[]>;
  apply(plan: PlannedChange[]): Promise<AppliedChange[]>;
  /** Start mcp-setup's own sign-in for a server (loopback, paste, or device code). */
  signIn(url: string, signal: AbortSignal, events: LoginEvents): LoginSession;
  openBrowser(url: string): Promise<boolean>;
}

const ServicesContext = createContext<WizardServices | null>(null);

export function ServicesProvider({ services, children }: { services: WizardServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): WizardServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() called outside <ServicesProvider>');
  return services;
}
