import { findMisplacedServers } from '../clients/entry-checks.js';
import { getAdapter } from '../clients/registry.js';
import type { ClientId } from '../clients/types.js';
import type { Deps } from '../deps.js';
import { listServers, type ListedServer } from '../manage.js';
import { sameServerUrl } from '../url.js';
import { headerNames, resolveConfiguredHeaders } from '../clients/entry-headers.js';
import type { Env } from '../deps.js';
import type { ConfiguredEntry, DoctorTarget } from './types.js';


function toEntry(s: ListedServer): ConfiguredEntry {
  return {
    client: s.client,
    clientName: s.clientName,
    scope: s.scope,
    file: s.file,
    name: s.name,
    ...(s.url ? { url: s.url } : {}),
    ...(s.command ? { command: s.command } : {}),
    ...(s.transport ? { transport: s.transport } : {}),
    ...(s.headers ? { headers: s.headers } : {}),
    ...(s.headersHelper ? { headersHelper: s.headersHelper } : {}),
    ...(s.problems ? { problems: s.problems } : {}),
    reload: getAdapter(s.client).nextStep.replaceAll('{name}', s.name),
  };
}

/** Every place a server is configured (by URL or by name), plus servers sitting in files their app never reads. */
async function allEntries(deps: Deps, clients?: ClientId[]): Promise<ConfiguredEntry[]> {
  const [{ servers }, misplaced] = await Promise.all([listServers(deps, clients?.length ? { clients } : {}), findMisplacedServers(deps.system)]);
  return [
    ...servers.map(toEntry),
    ...misplaced.map((m) => ({ client: m.client, clientName: m.clientName, scope: 'wrong file', file: m.file, name: m.name, ...(m.url ? { url: m.url } : {}), problems: [m.problem] })),
  ];
}

/**
 * Send what the app sends: an API-key server checked without its key reads as "needs sign-in".
 * Headers given on the command line win; otherwise the first entry that has headers lends them.
 */
function headersFor(entries: ConfiguredEntry[], env: Env, explicit?: Record<string, string>): Pick<DoctorTarget, 'headers' | 'headersFrom' | 'missingEnv'> {
  if (explicit) return { headers: explicit };
  const source = entries.find((e) => e.headers || e.headersHelper);
  if (!source) return {};
  const { headers, missing } = resolveConfiguredHeaders(source.headers, env);
  return {
    ...(headers ? { headers } : {}),
    headersFrom: { app: source.clientName ?? source.client, names: headerNames(source.headers), ...(source.headersHelper ? { helper: source.headersHelper } : {}) },
    ...(missing.length ? { missingEnv: missing } : {}),
  };
}

/** The doctor target for one URL or configured name, with every entry that mentions it. */
export async function doctorTargetFor(deps: Deps, target: { url: string; name?: string }, clients?: ClientId[], explicitHeaders?: Record<string, string>): Promise<DoctorTarget> {
  const entries = (await allEntries(deps, clients)).filter((e) => sameServerUrl(e.url, target.url) || (target.name !== undefined && e.name === target.name));
  // The headers of the entry by that name come first: another app's entry for the same URL may send others.
  const named = target.name === undefined ? entries : [...entries.filter((e) => e.name === target.name), ...entries.filter((e) => e.name !== target.name)];
  return { url: target.url, ...(target.name ? { name: target.name } : {}), entries, ...headersFor(named, deps.system.env, explicitHeaders) };
}

/** `doctor --all`: one target per configured remote server and app, each seeing all its twins. */
export async function doctorTargetsForAll(deps: Deps, clients?: ClientId[]): Promise<DoctorTarget[]> {
  const entries = await allEntries(deps, clients);
  return entries
    // Every URL an app holds, plain http to another host included: the doctor says what's wrong with it.
    .filter((e): e is ConfiguredEntry & { url: string } => typeof e.url === 'string' && /^https?:\/\//i.test(e.url.trim()))
    .map((e) => ({
      url: e.url.trim(),
      name: e.name,
      client: e.client,
      scope: e.scope,
      file: e.file,
      entries: entries.filter((other) => sameServerUrl(other.url, e.url)),
      // This entry's own headers: each report checks what that app sends.
      ...headersFor([e], deps.system.env),
    }));
}
