import { promises as fs } from 'node:fs';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { claudeCode } from './claude-code.js';
import { cursor } from './cursor.js';
import { vscode } from './vscode.js';
import type { ClientAdapter, ClientId, Detection } from './types.js';

/** Every adapter, in the order the wizard lists them when none is installed. */
export const ADAPTERS: readonly ClientAdapter[] = [claudeCode, cursor, vscode];

export function supportedClientIds(): ClientId[] {
  return ADAPTERS.map((a) => a.id);
}

export function getAdapter(id: string): ClientAdapter {
  const adapter = ADAPTERS.find((a) => a.id === id);
  if (!adapter) {
    throw new UsageError(`Unknown app "${id}".`, `Use one of: ${supportedClientIds().join(', ')}.`);
  }
  return adapter;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

export async function detectClient(adapter: ClientAdapter, deps: Deps): Promise<Detection> {
  const hints = adapter.detection(deps.system);
  for (const file of hints.paths) {
    if (await exists(file)) return { installed: true, evidence: file };
  }
  for (const command of hints.commands) {
    const found = await deps.which(command);
    if (found) return { installed: true, evidence: `${command} on PATH` };
  }
  return { installed: false, evidence: null };
}

export interface DetectedClient {
  adapter: ClientAdapter;
  detection: Detection;
}

/** All adapters with their detection, installed ones first (stable order otherwise). */
export async function detectClients(deps: Deps): Promise<DetectedClient[]> {
  const all = await Promise.all(ADAPTERS.map(async (adapter) => ({ adapter, detection: await detectClient(adapter, deps) })));
  return [...all.filter((c) => c.detection.installed), ...all.filter((c) => !c.detection.installed)];
}
