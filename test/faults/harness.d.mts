export function bundleChild(): Promise<string>;
export function makeHome(tag?: string): Promise<{ root: string; home: string; cwd: string; stateDir: string; cleanup(): Promise<void> }>;
export function crashCampaign(o: { bundle: string; format: 'json' | 'jsonc' | 'toml' | 'yaml'; trials: number; maxDelayMs?: number; big?: boolean; random?: () => number }): Promise<{
  format: string; trials: number; failures: string[]; killsMidWrite: number; tempsCleaned: number; states: number;
}>;
export function raceCampaign(o: { bundle: string; mode: 'atomic' | 'inplace'; adds: number; pauseMs?: number }): Promise<{
  mode: string; adds: number; racerWrites: number; lostRacer: number; ok: number; lostOurs: number; errors: string[];
  childCode: number | null; childStderr: string; modeKept: boolean; keysKept: boolean;
}>;
