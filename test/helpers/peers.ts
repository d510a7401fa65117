import { afterAll, beforeAll } from 'vitest';
import { startEverything, type RunningServer } from './everything.js';
import { startFaultServer, type FaultServer } from './fault-server.js';

export interface LoopbackPeers {
  /** The real server-everything (Streamable HTTP) on 127.0.0.1. */
  readonly server: RunningServer;
  /** 401 / 404 / HTML / 500 / hanging endpoints on 127.0.0.1. */
  readonly faults: FaultServer;
}

/** Start both peers once for the calling test file, and stop them after it. */
export function useLoopbackPeers(): LoopbackPeers {
  const peers: { server?: RunningServer; faults?: FaultServer } = {};
  beforeAll(async () => {
    [peers.server, peers.faults] = await Promise.all([startEverything(), startFaultServer()]);
  });
  afterAll(async () => {
    await Promise.all([peers.server?.stop(), peers.faults?.stop()]);
  });
  return {
    get server() {
      if (!peers.server) throw new Error('useLoopbackPeers(): used outside a test');
      return peers.server;
    },
    get faults() {
      if (!peers.faults) throw new Error('useLoopbackPeers(): used outside a test');
      return peers.faults;
    },
  };
}
