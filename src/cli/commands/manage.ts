import type { ClientId } from '../../services/clients/types.js';
import { UserError } from '../../services/errors.js';
import { listServers, removeServer, updateServer, type ListedServer } from '../../services/manage.js';
import type { AppliedChange } from '../../services/setup.js';
import { clientList, headerMap, timeoutMs } from '../args.js';
import { confirm } from '../confirm.js';
import type { CommandContext } from '../context.js';
import { mapPool } from '../../services/pool.js';
import type { AppSignIn } from '../../services/clients/app-sign-ins.js';
import { clientSignInStep } from '../../services/clients/sign-in-steps.js';

type Health =
  | { status: 'ok'; tools: number; ms: number; server: string; withSignIn?: true }
  | { status: 'needs-auth'; message: string; missingEnv?: string[]; headersHelper?: string }
  | { status: 'unreachable' | 'error'; message: string }
  | { status: 'local' };

// Each check mostly waits on the network; 32 at once keeps `list` ≈ one server for typical setups.
const HEALTH_CONCURRENCY = 32;

/**
 * Check each distinct URL once per set of headers the apps send (an API-key server is checked
 * with its key, not reported as "needs sign-in"), all at once (bounded), each within its own
 * time budget.
 */
async function healthOf(ctx: CommandContext, servers: ListedServer[]): Promise<Map<ListedServer, Health>> {
  const { checkServer } = await import('../../services/mcp/check.js');
  const { resolveConfiguredHeaders } = await import('../../services/clients/entry-headers.js');
  const checks = new Map<string, { url: string; headers?: Record<string, string>; missing: string[]; helper?: string }>();
  const keyOf = new Map<ListedServer, string>();
  for (const s of servers) {
    if (!s.url) continue;
    const resolved = resolveConfiguredHeaders(s.headers, ctx.deps.system.env);
    const key = JSON.stringify([s.url, resolved.headers ?? {}, resolved.missing, s.headersHelper ?? '']);
    keyOf.set(s, key);
    if (!checks.has(key)) checks.set(key, { url: s.url, ...resolved, ...(s.headersHelper ? { helper: s.headersHelper } : {}) });
  }
  const health = await mapPool([...checks.values()], HEALTH_CONCURRENCY, async ({ url, headers, missing, helper }): Promise<Health> => {
    try {
      const r = await checkServer(ctx.deps, { url, ...(headers ? { headers } : {}), signal: ctx.signal, timeoutMs: timeoutMs(ctx.args.options) });
      return { status: 'ok', tools: r.tools.length, ms: Math.round(r.timings.totalMs), server: r.server.name, ...(r.withSignIn ? { withSignIn: true as const } : {}) };
    } catch (error) {
      const code = error instanceof UserError ? error.code : 'error';
      const message = error instanceof Error ? error.message : String(error);
      if (code === 'needs-auth') {
        if (helper) return { status: 'needs-auth', headersHelper: helper, message: `The app makes this server's headers with its ${helper} command, which mcp-setup doesn't run, so it was checked without them.` };
        return missing.length
          ? { status: 'needs-auth', missingEnv: missing, message: `The app sends a header from ${missing.map((v) => `$${v}`).join(', ')}, which isn't set here, so it was checked without it.` }
          : { status: 'needs-auth', message };
      }
      return { status: code === 'unreachable' || code === 'timeout' ? 'unreachable' : 'error', message };
    }
  });
  const byKey = new Map([...checks.keys()].map((key, i) => [key, health[i]!]));
  return new Map([...keyOf].map(([server, key]) => [server, byKey.get(key)!]));
}

export async function runManage(ctx: CommandContext): Promise<number> {
  switch (ctx.args.command) {
    case 'list':
      return runList(ctx);
    case 'remove':
      return runRemove(ctx);
    default:
      return runUpdate(ctx);
  }
}

async function runList(ctx: CommandContext): Promise<number> {
  const clients = clientList(ctx.args.options) as ClientId[];
  const { servers, problems } = await listServers(ctx.deps, clients.length ? { clients } : {});
  const withHealth = !ctx.args.options['no-health'];
  if (withHealth && !ctx.output.json && servers.some((s) => s.url)) ctx.output.info(ctx.output.style.dim('Checking each server… (--no-health skips this)'));
  const [health, appSignIn] = await Promise.all([withHealth ? healthOf(ctx, servers) : new Map<ListedServer, Health>(), appSignInsFor(ctx, servers)]);
  const healthFor = (s: ListedServer): Health | undefined => (s.url ? health.get(s) : withHealth ? { status: 'local' } : undefined);

  if (ctx.output.json) {
    ctx.output.data(
      servers.map((s) => ({
        name: s.name,
        client: s.client,
        scope: s.scope,
        file: s.file,
        ...(s.url ? { url: s.url } : {}),
        ...(s.command ? { command: s.command } : {}),
        ...(s.transport ? { transport: s.transport } : {}),
        ...(s.via ? { via: s.via } : {}),
        alsoIn: s.alsoIn,
        ...(healthFor(s) ? { health: healthFor(s) } : {}),
        ...(appSignIn.has(s) ? { appSignIn: appSignIn.get(s) } : {}),
      })),
    );
    return 0;
  }
  const { style } = ctx.output;
  if (servers.length === 0) ctx.output.out('No MCP servers are configured in the apps found on this machine.');
  let lastGroup = '';
  const width = Math.min(24, Math.max(0, ...servers.map((s) => s.name.length)));
  for (const s of servers) {
    const group = `${s.clientName} (${s.scope}${s.label ? `, ${s.label}` : ''}) ${s.file}`;
    if (group !== lastGroup) {
      ctx.output.out(`${lastGroup ? '\n' : ''}${style.bold(s.clientName)} ${style.dim(`(${s.scope}${s.label ? `, ${s.label}` : ''}) ${s.file}`)}`);
      lastGroup = group;
    }
    const h = healthFor(s);
    const mark =
      !h ? '' : h.status === 'ok' ? style.green(`✔ ${h.tools} tools, ${h.ms} ms`) : h.status === 'needs-auth' ? style.yellow(h.headersHelper ? `! needs the headers its ${h.headersHelper} makes (not run here)` : h.missingEnv ? `! needs ${h.missingEnv.map((v) => `$${v}`).join(', ')} (not set here)` : '! needs sign-in') : h.status === 'local' ? style.dim('local (stdio)') : style.red(`✘ ${h.message}`);
    const also = s.alsoIn.length ? style.dim(`  also in: ${s.alsoIn.join(', ')}`) : '';
    const via = s.via === 'bridge' ? style.dim(' (through the mcp-setup bridge)') : s.via === 'mcp-remote' ? style.dim(' (through mcp-remote)') : '';
    ctx.output.out(`  ${s.name.padEnd(width)}  ${s.url ?? s.command ?? ''}${via}  ${mark}${signInNote(s, appSignIn.get(s), h, style)}${also}`);
  }
  for (const p of problems) ctx.output.info(`${style.yellow('!')} ${p.message}${p.hint ? ` ${style.dim(p.hint)}` : ''}`);
  return 0;
}

function reportChanges(ctx: CommandContext, verb: 'Removed' | 'Updated', changes: AppliedChange[]): void {
  if (ctx.output.json) {
    ctx.output.data({ changes: changes.map((c) => ({ client: c.client, scope: c.scope, file: c.file, changed: c.changed, ...(c.backupPath ? { backup: c.backupPath } : {}) })) });
    return;
  }
  for (const c of changes) {
    ctx.output.out(`${ctx.output.style.green('✔')} ${verb} "${c.name}" ${verb === 'Removed' ? 'from' : 'in'} ${c.clientName} (${c.scope}): ${c.file}`);
  }
  if (verb === 'Updated') for (const step of new Set(changes.map((c) => c.nextStep))) ctx.output.out(`  → ${step}`);
  ctx.output.out(ctx.output.style.dim('  Changed your mind? mcp-setup undo'));
}

async function runRemove(ctx: CommandContext): Promise<number> {
  const name = ctx.args.positionals[0];
  if (!name) throw new UserError({ code: 'usage', message: 'Which server? Pass its name.', nextSteps: ['Example: mcp-setup remove linear'], exitCode: 2 });
  const clients = clientList(ctx.args.options) as ClientId[];
  const { servers } = await listServers(ctx.deps, clients.length ? { clients } : {});
  const where = servers.filter((s) => s.name === name);
  if (where.length > 0 && !(await confirm(ctx, `Remove "${name}" from ${where.map((s) => `${s.clientName} (${s.scope})`).join(', ')}?`))) {
    ctx.output.info('Nothing was changed.');
    return 0;
  }
  const changes = await removeServer(ctx.deps, name, clients.length ? { clients } : {});
  reportChanges(ctx, 'Removed', changes);
  return 0;
}

async function runUpdate(ctx: CommandContext): Promise<number> {
  const name = ctx.args.positionals[0];
  if (!name) throw new UserError({ code: 'usage', message: 'Which server? Pass its name.', nextSteps: ['Example: mcp-setup update linear --url https://new.example.com/mcp'], exitCode: 2 });
  const { options } = ctx.args;
  const clients = clientList(options) as ClientId[];
  const headers = headerMap(options);
  const changes = await updateServer(ctx.deps, name, {
    ...(clients.length ? { clients } : {}),
    ...(options.url ? { url: options.url } : {}),
    ...(options.rename ? { rename: options.rename } : {}),
    ...(headers ? { headers } : {}),
  });
  reportChanges(ctx, 'Updated', changes);
  return 0;
}

/** Each app's own sign-in per entry (apps keep their own tokens), where the app keeps it in a file here. */
async function appSignInsFor(ctx: CommandContext, servers: ListedServer[]): Promise<Map<ListedServer, AppSignIn>> {
  if (!servers.some((s) => s.client === 'claude-code' || s.client === 'codex')) return new Map();
  const { appSignInsFor: read } = await import('../../services/clients/app-sign-ins.js');
  return read(ctx.deps.system, servers, ctx.deps.now());
}


/**
 * Only what needs doing: an expired sign-in, or none where the server asks for one — including
 * when it answered here only thanks to mcp-setup's own sign-in, which the app doesn't share.
 */
function signInNote(s: ListedServer, signIn: AppSignIn | undefined, health: Health | undefined, style: CommandContext['output']['style']): string {
  // The command without the server's name (its last word): the row already names it.
  const login = clientSignInStep(s.client, s.name).command?.slice(0, -1).join(' ') ?? 'its own sign-in';
  if (signIn?.state === 'expired') return style.yellow(`  ! ${s.clientName}'s sign-in expired (${login})`);
  if (signIn?.state !== 'none') return '';
  if (health?.status === 'ok' && health.withSignIn) return style.yellow(`  ! ${s.clientName} hasn't signed in (${login})`);
  if (health?.status === 'needs-auth' && !health.missingEnv && !health.headersHelper) return style.dim(`  (${s.clientName} not signed in either)`);
  return '';
}
