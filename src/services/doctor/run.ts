import { CancelledError, ExitCode, UserError } from '../errors.js';
import { redact } from '../mcp/classify.js';
import { authSteps } from './auth.js';
import { clientChecks, configChecks, sameUrlCheck } from './config.js';
import { httpSteps } from './http.js';
import { collisionCheck, mcpSteps } from './mcp.js';
import { networkSteps } from './network.js';
import type { Step } from './step.js';
import type { Cause, Check, CheckContext, DoctorDeps, DoctorOptions, DoctorReport, DoctorTarget, ExtensionCheck, Facts, Layer, ReportTarget } from './types.js';
import { LAYERS } from './types.js';
import { check } from './util.js';
import { mapPool } from '../pool.js';

export const DEFAULT_TIMEOUT_MS = 20_000;
// Each check mostly waits on the network; 32 at once keeps --all ≈ one server for typical setups.
export const DEFAULT_CONCURRENCY = 32;

/** The exit code of a failing layer (stable: scripts rely on it). */
export const LAYER_EXIT_CODE: Readonly<Record<Layer, ExitCode>> = {
  config: ExitCode.failed,
  network: ExitCode.unreachable,
  http: ExitCode.unreachable,
  auth: ExitCode.auth,
  mcp: ExitCode.unreachable,
  client: ExitCode.failed,
};

/** 0 when nothing failed, else the code of the report's cause. */
export function exitCodeOfReport(report: DoctorReport): ExitCode {
  return report.cause ? LAYER_EXIT_CODE[report.cause.layer] : ExitCode.ok;
}

/** For `--all`: the code of the earliest failing layer across all reports. */
export function exitCodeOfReports(reports: DoctorReport[]): ExitCode {
  const causes = reports.map((r) => r.cause).filter((c): c is Cause => Boolean(c));
  if (!causes.length) return ExitCode.ok;
  causes.sort((a, b) => LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer));
  return LAYER_EXIT_CODE[causes[0]!.layer];
}

export function reportTarget(target: DoctorTarget): ReportTarget {
  return {
    url: target.url,
    ...(target.name ? { name: target.name } : {}),
    ...(target.client ? { client: target.client } : {}),
    ...(target.scope ? { scope: target.scope } : {}),
    ...(target.file ? { file: target.file } : {}),
  };
}

function extensionStep(layer: Layer, index: number, run: ExtensionCheck): Step {
  return {
    id: `${layer}.extension-${index}`,
    layer,
    quietWhenSkipped: true,
    async run(ctx) {
      try {
        return await run(ctx);
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        const message = error instanceof UserError ? error.message : error instanceof Error ? error.message : String(error);
        return [check(`${layer}.extension-${index}`, layer, 'warn', `A ${layer} check could not run: ${redact(message)}`)];
      }
    },
  };
}

function invalidUrl(url: string): Check | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return undefined;
  } catch {
    // fall through
  }
  return check('config.url', 'config', 'fail', `"${url}" is not an http(s) URL.`, {
    hint: 'Remote MCP servers are reached over http:// or https://.',
    fix: { id: 'fix-url', label: 'Use the server’s full URL, e.g. https://example.com/mcp.' },
  });
}

/**
 * Diagnose one server, layer by layer: configuration, then the connection chain (network → HTTP →
 * auth → MCP), then client-side hints. The chain stops explaining at its first failure: later
 * links are reported as skipped. The first failure (in layer order) is the cause.
 */
export async function runDoctor(target: DoctorTarget, deps: DoctorDeps, options: DoctorOptions = {}): Promise<DoctorReport> {
  const started = deps.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const budget = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
  const facts: Facts = {};
  const ctx: CheckContext = {
    target,
    deps,
    signal,
    facts,
    remainingMs: () => Math.max(0, timeoutMs - (deps.now() - started)),
  };
  const shown = reportTarget(target);
  const checks: Check[] = [];
  const emit = (c: Check) => {
    checks.push(c);
    options.onCheck?.(c, shown);
  };
  const cancelled = () => {
    if (options.signal?.aborted) throw new CancelledError();
  };

  const bad = invalidUrl(target.url);
  for (const c of configChecks(ctx)) emit(c);
  if (bad) emit(bad);
  for (const [i, ext] of (options.extensions?.config ?? []).entries()) {
    for (const c of await extensionStep('config', i + 1, ext).run(ctx)) emit(c);
  }

  if (options.auth?.tokenStatus || options.auth?.accessToken) {
    try {
      if (options.auth.tokenStatus) facts.token = await options.auth.tokenStatus(target.url);
      if (options.auth.accessToken && !bad) facts.accessToken = await options.auth.accessToken(target.url);
    } catch (error) {
      cancelled();
      facts.tokenError = redact(error instanceof Error ? error.message : String(error)).slice(0, 200);
    }
  }

  const chain: Step[] = [
    ...networkSteps(),
    ...httpSteps(),
    ...authSteps(),
    ...(options.extensions?.auth ?? []).map((ext, i) => extensionStep('auth', i + 1, ext)),
    ...mcpSteps(),
  ];
  let firstFailure: Check | undefined = bad;
  for (const step of chain) {
    cancelled();
    if (firstFailure) {
      if (!checks.some((c) => c.id === step.id) && !step.quietWhenSkipped) {
        emit(check(step.id, step.layer, 'skip', `Not checked: ${firstFailure.id} failed first.`));
      }
      continue;
    }
    let results: Check[];
    try {
      results = await step.run(ctx);
    } catch (error) {
      cancelled();
      if (error instanceof CancelledError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      results = [check(step.id, step.layer, 'fail', `The check stopped unexpectedly: ${redact(message).slice(0, 200)}`, { fix: { id: 'support-bundle', label: 'Copy the support bundle and report it.' } })];
    }
    for (const c of results) {
      emit(c);
      if (c.status === 'fail' && !firstFailure) firstFailure = c;
    }
  }

  for (const c of clientChecks(ctx)) emit(c);
  for (const [i, ext] of (options.extensions?.client ?? []).entries()) {
    for (const c of await extensionStep('client', i + 1, ext).run(ctx)) emit(c);
  }

  return finishReport(shown, checks, facts, deps.now() - started);
}

function finishReport(target: ReportTarget, checks: Check[], facts: Facts, durationMs: number): DoctorReport {
  const failing = checks
    .filter((c) => c.status === 'fail')
    .sort((a, b) => LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer))[0];
  const report: DoctorReport = { target, checks } as DoctorReport;
  if (failing) {
    report.cause = {
      check: failing.id,
      layer: failing.layer,
      exitCode: LAYER_EXIT_CODE[failing.layer],
      detail: failing.detail,
      ...(failing.hint ? { hint: failing.hint } : {}),
      ...(failing.fix ? { fix: failing.fix } : {}),
    };
  }
  if (facts.server) report.server = facts.server;
  report.durationMs = durationMs;
  return report;
}

export interface DoctorAllOptions extends DoctorOptions {
  /** Servers checked at once (default DEFAULT_CONCURRENCY). Each gets its own `timeoutMs` budget. */
  concurrency?: number;
  /** Called as each server's report is ready (in completion order). */
  onReport?: (report: DoctorReport, index: number) => void;
}

/**
 * `doctor --all`: every target concurrently through a bounded pool, each within its own time
 * budget, so the total is about the slowest server rather than the sum. Reports come back in the
 * order of `targets`, with cross-server checks added (shared tool names, one URL under two names).
 */
export async function runDoctorAll(targets: DoctorTarget[], deps: DoctorDeps, options: DoctorAllOptions = {}): Promise<DoctorReport[]> {
  const reports = await mapPool(targets, options.concurrency ?? DEFAULT_CONCURRENCY, async (target, index) => {
    const report = await runDoctor(target, deps, options);
    options.onReport?.(report, index);
    return report;
  });

  const toolOwners = new Map<string, Map<string, string[]>>();
  targets.forEach((target, i) => {
    const tools = reports[i]!.server?.tools;
    if (!target.client || !tools) return;
    const owners = toolOwners.get(target.client) ?? new Map<string, string[]>();
    toolOwners.set(target.client, owners);
    const self = target.name ?? target.url;
    for (const tool of new Set(tools)) owners.set(tool, [...(owners.get(tool) ?? []), self]);
  });
  targets.forEach((target, i) => {
    const report = reports[i]!;
    const extra: Check[] = [];
    const owners = target.client ? toolOwners.get(target.client) : undefined;
    const collision = owners && collisionCheck(owners, target.name ?? target.url);
    if (collision) extra.push(collision);
    const self = target.entries?.find((e) => e.client === target.client && e.name === target.name);
    const all = targets.flatMap((t) => t.entries ?? []);
    const sameUrl = self && sameUrlCheck(dedupe(all), self);
    if (sameUrl) extra.push(sameUrl);
    for (const c of extra) {
      report.checks.push(c);
      options.onCheck?.(c, report.target);
    }
  });
  return reports;
}

function dedupe<T extends { client: string; scope: string; file: string; name: string }>(entries: T[]): T[] {
  const seen = new Map<string, T>();
  for (const e of entries) seen.set(`${e.client}\0${e.scope}\0${e.file}\0${e.name}`, seen.get(`${e.client}\0${e.scope}\0${e.file}\0${e.name}`) ?? e);
  return [...seen.values()];
}
