import type { Check, CheckContext, ConfiguredEntry } from './types.js';
import { check, label } from './util.js';
import { sameServerUrl as sameUrl } from '../url.js';

function where(entry: ConfiguredEntry, name?: string): string {
  // Another name for the same URL is worth saying: it is a separate entry in that app.
  const as = name !== undefined && entry.name !== name ? ` as "${entry.name}"` : '';
  return `${entry.clientName ?? entry.client}${as} (${entry.scope}, ${entry.file})`;
}


/**
 * Layer 1 from what the adapters found (`target.entries`, fed by manage.listServers): where the
 * server is listed, what the adapters flagged in each entry, duplicates across scopes and URL
 * disagreements. Without entries (a bare URL) the layer is skipped.
 */
export function configChecks(ctx: CheckContext): Check[] {
  const entries = ctx.target.entries;
  if (!entries) return [check('config.entries', 'config', 'skip', 'Checking a URL directly; no app configuration involved.')];
  if (entries.length === 0) {
    return [
      check('config.entries', 'config', 'warn', `No app lists ${ctx.target.name ?? ctx.target.url}.`, {
        hint: 'It was never added, was added under another name, or went into a file the app does not read.',
        fix: { id: 'fix-entry', label: 'Add it to your apps.', command: `mcp-setup add --url ${ctx.target.url}${ctx.target.name ? ` --name ${label(ctx)}` : ''}` },
      }),
    ];
  }
  const checks: Check[] = [check('config.entries', 'config', 'pass', `Listed in ${entries.map((e) => where(e, ctx.target.name)).join('; ')}.`)];

  for (const entry of entries) {
    for (const problem of entry.problems ?? []) {
      checks.push(
        check(`config.entry`, 'config', problem.severity ?? 'fail', `${where(entry)}: ${problem.message}`, {
          ...(problem.hint ? { hint: problem.hint } : {}),
          ...(problem.fix ? { fix: problem.fix } : {}),
        }),
      );
    }
  }

  const byClient = new Map<string, ConfiguredEntry[]>();
  for (const entry of entries) byClient.set(entry.client, [...(byClient.get(entry.client) ?? []), entry]);
  for (const [client, list] of byClient) {
    const names = new Map<string, ConfiguredEntry[]>();
    for (const entry of list) names.set(entry.name, [...(names.get(entry.name) ?? []), entry]);
    for (const [name, same] of names) {
      if (same.length < 2) continue;
      const differ = same.some((e) => !sameUrl(e.url, same[0]!.url));
      const app = same[0]!.clientName ?? client;
      checks.push(
        check('config.duplicates', 'config', 'warn', `${app} lists "${name}" ${same.length} times: ${same.map((e) => `${e.scope} (${e.file})`).join(', ')}.`, {
          hint: differ ? 'They point at different URLs; the app uses only one of them (usually the most local scope).' : 'The copies shadow each other; editing one leaves the other stale.',
          fix: { id: 'remove-duplicate', label: `Keep one and remove the others.`, command: `mcp-setup remove ${name} --client ${client}` },
        }),
      );
    }
  }

  const mismatched = entries.filter((e) => e.url && !sameUrl(e.url, ctx.target.url));
  if (mismatched.length) {
    checks.push(
      check('config.url', 'config', 'warn', `Some entries point at a different URL than the one checked: ${mismatched.map((e) => `${where(e)} → ${e.url}`).join('; ')}.`, {
        hint: 'An older or mistyped URL stayed in one app after an update.',
        fix: { id: 'fix-entry', label: 'Update the entries to the same URL.', command: `mcp-setup update ${label(ctx)} --url ${ctx.target.url}` },
      }),
    );
  }
  const headersCheck = configuredHeadersCheck(ctx);
  if (headersCheck) checks.push(headersCheck);
  return checks;
}

/** Which app's headers the checks send (names only), and any it reads from a variable not set here. */
function configuredHeadersCheck(ctx: CheckContext): Check | undefined {
  const from = ctx.target.headersFrom;
  if (!from) return undefined;
  const missing = ctx.target.missingEnv ?? [];
  if (from.helper) {
    return check('config.headers', 'config', 'warn', `${from.app} makes this server's headers with its ${from.helper} command, which mcp-setup doesn't run, so the checks below went without them${from.names.length ? ` (they sent ${from.names.join(', ')})` : ''}.`, {
      fix: { id: 'add-header', label: 'To check with them, pass the headers the helper prints: mcp-setup doctor … --header "Name: value"' },
    });
  }
  if (missing.length === 0) return check('config.headers', 'config', 'pass', `Checked with the headers ${from.app} sends: ${from.names.join(', ')}.`);
  const vars = missing.map((v) => `$${v}`).join(', ');
  return check('config.headers', 'config', 'warn', `${from.app} sends a header from ${vars}, which isn't set in this shell, so the checks below went without it.`, {
    hint: `${from.app} reads ${vars} from the environment it was started in; an app opened from the dock or start menu doesn't see variables set in a shell profile.`,
    fix: { id: 'set-env', label: `Set ${vars} where ${from.app} starts, and here to check it: export ${missing[0]}=…` },
  });
}

/**
 * Cross-server check for `--all`: two entries with different names but the same URL in one app.
 * Apps that key credentials by URL then mix up accounts (anthropics/claude-code#89172).
 */
export function sameUrlCheck(entries: ConfiguredEntry[], self: ConfiguredEntry): Check | undefined {
  const others = entries.filter((e) => e !== self && e.client === self.client && e.name !== self.name && e.url && sameUrl(e.url, self.url));
  if (!others.length) return undefined;
  return check('config.same-url', 'config', 'warn', `${self.clientName ?? self.client} also lists this URL as ${others.map((o) => `"${o.name}"`).join(', ')}.`, {
    hint: 'Apps that key sign-ins by URL share one token between them, so two accounts or tenants get mixed up.',
    fix: { id: 'remove-duplicate', label: 'Keep one entry per URL, or use distinct URLs per tenant.' },
  });
}

/** Layer 6: what the user must do in each app after a change (restart, reload, approve). */
export function clientChecks(ctx: CheckContext): Check[] {
  const entries = ctx.target.entries ?? [];
  const seen = new Set<string>();
  const checks: Check[] = [];
  for (const entry of entries) {
    if (seen.has(entry.client) || !entry.reload) continue;
    seen.add(entry.client);
    checks.push(
      check('client.reload', 'client', 'pass', `${entry.clientName ?? entry.client}: if the server or its tools do not show up yet, ${entry.reload.charAt(0).toLowerCase()}${entry.reload.slice(1)}`, {
        fix: { id: 'reload-client', label: entry.reload },
      }),
    );
  }
  return checks;
}
