import { createContext, useContext, type ReactNode } from 'react';
import type { DetectedClient } from '../services/clients/registry.js';
import type { VerifyResult } from '../services/mcp/verify.js';
import type { AddRequest, AppliedChange, PlannedChange } from '../services/setup.js';
import type { SystemInfo } from '../services/deps.js';
import type { LoginEvents, LoginSession } from '../services/auth/types.js';
import type { ClientId } from '../services/clients/types.js';
import type { Check, DoctorReport } from '../services/doctor/types.js';
import type { ServerList } from '../services/manage.js';

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
  /** Manage: what is configured where. */
  listServers(): Promise<ServerList>;
  removeServer(name: string, client: ClientId): Promise<AppliedChange[]>;
  updateServer(name: string, client: ClientId, change: { url?: string; rename?: string }): Promise<AppliedChange[]>;
  /** Doctor: layered checks for one server, streamed as they finish. */
  doctor(target: { url: string; name?: string }, signal: AbortSignal, onCheck: (check: Check) => void): Promise<DoctorReport>;
  /** What the apps themselves make of the entries just written (their quick CLI verdicts; [] without them). */
  askApps(applied: AppliedChange[], url: string, signal: AbortSignal): Promise<Check[]>;
  /** Write a redacted support report next to the user (cwd) and return its path. */
  saveSupportBundle(reports: DoctorReport[]): Promise<string>;
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
