import type { ClientId } from '../../services/clients/types.js';
import { UsageError, UserError } from '../../services/errors.js';
import { checkServer } from '../../services/mcp/check.js';
import type { VerifyResult } from '../../services/mcp/verify.js';
import { applyPlan, conflictsIn, planAdd, previewPlan, type AppliedChange, type PlannedChange, type PlannedText } from '../../services/setup.js';
import { lineDiff } from '../line-diff.js';
import { requireServerUrl, suggestServerName } from '../../services/url.js';
import { clientList, headerMap, parseScope, timeoutMs, toolNames, viaOption } from '../args.js';
import { expandHeaderReferences, hideHeaderValues, splitHeaders } from '../../services/headers.js';
import type { CommandContext } from '../context.js';
import type { Output } from '../output.js';
import type { Check } from '../../services/doctor/types.js';
import { verifyJson, verifyLines } from './verify-format.js';

type Verification = { status: 'ok'; result: VerifyResult } | { status: 'needs-auth'; error: UserError } | { status: 'skipped' };

export async function runAdd(ctx: CommandContext): Promise<number> {
  const { options } = ctx.args;
  const clients = clientList(options);
  if (ctx.mode === 'interactive' && (clients.length === 0 || !options.url)) {
    const { runWizard } = await import('./wizard.js');
    return runWizard(ctx);
  }
  if (clients.length === 0) throw new UsageError('Missing --client: which app should use this server?', 'Example: --client cursor (or claude-code, vscode; repeat for several).');
  if (!options.url) throw new UsageError('Missing --url: the server URL.', 'Example: --url https://api.example.com/mcp');
  const url = requireServerUrl(options.url);
  const headers = headerMap(options);
  const via = viaOption(options);
  const out = ctx.output;

  let verification: Verification = { status: 'skipped' };
  if (!options['no-verify']) {
    if (!out.json) out.info(out.style.dim(`Connecting to ${url} …`));
    try {
      const sent = expandHeaderReferences(headers, ctx.deps.system.env, (variable) => `Set it first (export ${variable}=…), or skip the live check with --no-verify.`);
      const result = await checkServer(ctx.deps, {
        url,
        ...(sent ? { headers: sent } : {}),
        signal: ctx.signal,
        timeoutMs: timeoutMs(options),
      });
      verification = { status: 'ok', result };
      if (!out.json) for (const line of verifyLines(result, out.style, 10)) out.info(line);
    } catch (error) {
      // OAuth servers answer 401 until the app signs in itself: still worth writing the entry.
      if (!(error instanceof UserError) || error.code !== 'needs-auth') throw error;
      verification = { status: 'needs-auth', error };
      if (!out.json) out.info(`${out.style.yellow('!')} This server needs sign-in; the app will ask you to sign in when it first connects.`);
    }
  }

  const name = options.name ?? suggestServerName(url, verification.status === 'ok' ? verification.result.server.name : undefined);
  const { literal } = splitHeaders(headers);
  const enabledTools = toolList(options, verification.status === 'ok' ? verification.result.tools.map((t) => t.name) : undefined);
  if (!out.json && Object.keys(literal).some((h) => /^(authorization|x-api-key|api-key)$/i.test(h))) {
    out.info(out.style.dim(`Tip: to keep the key out of the file, write --header '${Object.keys(literal)[0]}: Bearer \${MY_TOKEN}' and the app reads it from MY_TOKEN.`));
  }
  const plan = await planAdd(
    {
      clients: clients as ClientId[],
      ...(options.scope ? { scope: parseScope(options.scope) } : {}),
      name,
      url,
      ...(headers ? { headers } : {}),
      ...(enabledTools ? { enabledTools } : {}),
      ...(verification.status === 'ok' && verification.result.transport === 'sse' ? { transport: 'sse' as const } : {}),
      ...(via ? { via } : {}),
    },
    ctx.deps,
  );
  const conflicts = conflictsIn(plan);
  if (conflicts.length > 0 && !options.force) {
    throw new UserError({
      code: 'name-in-use',
      message: `${conflicts.map((c) => c.adapter.displayName).join(', ')} already ${conflicts.length === 1 ? 'has' : 'have'} a different server named "${name}".`,
      hint: 'Nothing was changed.',
      nextSteps: ['Pick another --name, or add --force to replace it.'],
    });
  }
  if (options['dry-run']) return reportDryRun(out, await previewPlan(plan), literal);
  const applied = await applyPlan(plan, ctx.deps);
  const appChecks = options['no-app-check'] ? [] : await askApps(ctx, applied, url);
  report(out, plan, applied, verification, url, Boolean(enabledTools), appChecks);
  if (verification.status === 'needs-auth' && plan.some((c) => c.bridge)) {
    out.info(`${out.style.yellow('!')} The bridge signs in with mcp-setup's own sign-in: run "mcp-setup login ${name}" before the app starts it.`);
  }
  return 0;
}


/** --tools a,b: the tools the app may use; checked against the live list when there is one. */
export function toolList(options: CommandContext['args']['options'], available: string[] | undefined): string[] | undefined {
  const tools = toolNames(options);
  if (tools.length === 0) return undefined;
  const unknown = available ? tools.filter((t) => !available.includes(t)) : [];
  if (unknown.length) throw new UsageError(`The server has no tool named ${unknown.map((t) => `"${t}"`).join(', ')}.`, `Its tools: ${available!.join(', ')}.`);
  return tools;
}

/** --dry-run: the exact change per file, as a diff; nothing is written. Header values are hidden. */
function reportDryRun(out: Output, previews: PlannedText[], literalHeaders: Record<string, string>): number {
  const hide = (line: string) => hideHeaderValues(line, literalHeaders);
  if (out.json) {
    out.data({
      dryRun: true,
      changes: previews.map(({ change, before, after }) => ({
        client: change.adapter.id,
        scope: change.scope,
        file: change.location.file,
        action: change.unchanged ? 'unchanged' : change.existing !== undefined ? 'replace' : change.fileExists ? 'add' : 'create',
        diff: lineDiff(before, after).map(hide),
      })),
    });
    return 0;
  }
  for (const { change, before, after } of previews) {
    const what = change.unchanged ? 'already has it; nothing would change' : change.fileExists ? 'would change' : 'would be created';
    out.out(`${out.style.bold(change.adapter.displayName)} (${change.scope}) ${change.location.file}: ${what}`);
    for (const line of lineDiff(before, after)) out.out(`  ${line.startsWith('+') ? out.style.green(hide(line)) : line.startsWith('-') ? out.style.red(hide(line)) : out.style.dim(hide(line))}`);
  }
  out.out(out.style.dim('Dry run: nothing was written. Run it again without --dry-run to apply.'));
  return 0;
}

export function describeAction(change: PlannedChange | undefined, applied: AppliedChange): 'added' | 'replaced' | 'unchanged' {
  if (!applied.changed) return 'unchanged';
  return change?.existing !== undefined ? 'replaced' : 'added';
}

/** Verify through the apps too, where they have a quick CLI verdict (Claude Code, Codex). */
async function askApps(ctx: CommandContext, applied: AppliedChange[], url: string): Promise<Check[]> {
  const [{ askAppsAbout, hasQuickCheck }, { runCommand }] = await Promise.all([import('../../services/doctor/app-checks.js'), import('../run-command.js')]);
  if (!ctx.output.json && applied.some((a) => hasQuickCheck(a.client))) ctx.output.info(ctx.output.style.dim('Asking the apps themselves…'));
  return askAppsAbout(applied, url, ctx.deps, runCommand, ctx.signal);
}

function report(out: Output, plan: PlannedChange[], applied: AppliedChange[], verification: Verification, url: string, toolsChosen: boolean, appChecks: Check[]): void {
  const changes = applied.map((a, i) => ({
    client: a.client,
    scope: a.scope,
    file: a.file,
    action: describeAction(plan[i], a),
    ...(a.backupPath ? { backup: a.backupPath } : {}),
    // --tools is written only where the app has a per-server filter; say where it isn't.
    ...(toolsChosen ? { toolFilter: Boolean(plan[i]?.adapter.toolFilter) } : {}),
    nextStep: a.nextStep,
  }));
  if (out.json) {
    out.data({
      server: { name: applied[0]?.name, url },
      verification:
        verification.status === 'ok'
          ? { status: 'ok', ...verifyJson(verification.result) }
          : verification.status === 'needs-auth'
            ? { status: 'needs-auth', message: verification.error.message }
            : { status: 'skipped' },
      changes,
      appChecks: appChecks.map((c) => ({ id: c.id, status: c.status, detail: c.detail, ...(c.fix ? { fix: c.fix } : {}) })),
    });
    return;
  }
  for (const [i, a] of applied.entries()) {
    const action = changes[i]!.action;
    const verb = action === 'unchanged' ? 'already had' : action === 'replaced' ? 'Replaced' : 'Added';
    const line =
      action === 'unchanged'
        ? `${out.style.green('✔')} ${a.clientName} already has "${a.name}" (${a.scope}): ${a.file}`
        : `${out.style.green('✔')} ${verb} "${a.name}" in ${a.clientName} (${a.scope}): ${a.file}`;
    out.out(line);
    if (changes[i]!.toolFilter === false) out.out(`  ${out.style.yellow('!')} ${a.clientName} has no per-server tool filter: all the server's tools stay available there.`);
    out.out(`  → ${a.nextStep}`);
  }
  for (const c of appChecks) {
    const mark = c.status === 'pass' ? out.style.green('✔') : c.status === 'warn' ? out.style.yellow('!') : out.style.red('✘');
    out.out(`${mark} ${c.detail}`);
    if (c.status !== 'pass' && c.fix) out.out(`  → ${c.fix.command ? `${c.fix.label} ${out.style.cyan(c.fix.command)}` : c.fix.label}`);
  }
}
