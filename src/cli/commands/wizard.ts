import type { Answers } from '../../app/flow.js';
import type { ClientId } from '../../services/clients/types.js';
import { getAdapter } from '../../services/clients/registry.js';
import { UsageError } from '../../services/errors.js';
import { requireServerName, requireServerUrl } from '../../services/url.js';
import { callbackOptions, clientList, headerMap, parseScope, timeoutMs, toolNames, viaOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { spawn } from 'node:child_process';
import { howToLaunch, runCommand } from '../run-command.js';
import type { AppliedChange } from '../../services/setup.js';
import type { AuthDeps } from '../../services/auth/types.js';
import { confirm } from '../confirm.js';

/** Flags pre-answer the wizard's screens; without a TTY the wizard never mounts. */
export async function runWizard(ctx: CommandContext): Promise<number> {
  const { options } = ctx.args;
  if (ctx.mode !== 'interactive') {
    const missing = [clientList(options).length === 0 ? '--client' : null, options.url ? null : '--url'].filter(Boolean);
    throw new UsageError(
      `The wizard needs an interactive terminal${missing.length ? `; without one, pass ${missing.join(' and ')} to "mcp-setup add"` : ''}.`,
      'Example: mcp-setup add --client cursor --url https://api.example.com/mcp --yes',
    );
  }
  return runWizardWith(ctx, ctx.deps, preAnswersFrom(ctx));
}

/** The wizard on given Deps and answers (the demo runs it on a sandbox HOME). */
export async function runWizardWith(ctx: CommandContext, deps: AuthDeps, preAnswers: Answers): Promise<number> {
  const { options } = ctx.args;
  // Paint at once: Ink + React take ~100 ms to load; this line is erased just before Ink draws.
  const erasePlaceholder = paintPlaceholder(ctx);
  const [{ renderWizard }, { wizardServices }] = await Promise.all([import('../../app/render-wizard.js'), import('../../app/wizard-services.js')]);
  erasePlaceholder();
  const result = await renderWizard({
    services: wizardServices(deps, {
      timeoutMs: timeoutMs(options),
      version: ctx.version,
      nodeVersion: process.version,
      runCommand,
      noBrowser: Boolean(options['no-browser']),
      login: {
        ...(options['client-id'] ? { clientId: options['client-id'] } : {}),
        ...(options['client-secret'] ? { clientSecret: options['client-secret'] } : {}),
        ...callbackOptions(options),
        useResource: !options['no-resource'],
      },
    }),
    preAnswers,
    stdin: ctx.stdin,
    stdout: ctx.stdout,
    stderr: ctx.stderr,
  });
  // Printed after Ink unmounts so it stays in the scrollback.
  const { style } = ctx.output;
  ctx.output.out('');
  ctx.output.out(style.dim('To set up the same thing on another machine:'));
  ctx.output.out(`  ${replayCommand(result.answers)}`);
  if (result.verification.status === 'needs-auth' || result.answers.signedIn) await offerClientSignIn(ctx, result.applied);
  return 0;
}

/**
 * Apps with a sign-in command (claude mcp login, codex mcp login, opencode mcp auth) can finish
 * their own sign-in right here, in this terminal, if the user wants.
 */
async function offerClientSignIn(ctx: CommandContext, applied: AppliedChange[]): Promise<void> {
  const { clientSignInStep } = await import('../../services/clients/sign-in-steps.js');
  for (const change of applied) {
    const step = clientSignInStep(change.client, change.name);
    if (!step.command) continue;
    const [command, ...args] = step.command;
    const executable = await ctx.deps.which(command!);
    if (!executable) continue;
    // npm's .cmd shims on Windows can only be started through cmd.exe (see run-command.ts).
    const launch = howToLaunch(executable, args);
    if (!launch) continue;
    if (!(await confirm(ctx, `Sign ${change.clientName} in now (runs: ${step.command.join(' ')})?`))) continue;
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(launch.file, launch.args, { stdio: 'inherit', windowsVerbatimArguments: launch.verbatim });
      child.on('error', () => resolve(null));
      child.on('exit', (c) => resolve(c));
    });
    if (code !== 0) ctx.output.info(`${ctx.output.style.yellow('!')} ${step.command.join(' ')} did not finish; run it again later.`);
  }
}

/** A one-line first frame before Ink is loaded (bench/: wizard's first frame); returns its eraser. */
function paintPlaceholder(ctx: CommandContext): () => void {
  ctx.stdout.write(`${ctx.output.style.dim('mcp-setup · starting…')}\n`);
  return () => ctx.stdout.write('\u001B[1A\r\u001B[0J');
}

function preAnswersFrom(ctx: CommandContext): Answers {
  const { options } = ctx.args;
  const answers: Answers = {};
  const clients = clientList(options);
  if (clients.length) answers.clients = clients.map((c) => getAdapter(c).id as ClientId);
  if (options.scope) answers.scope = parseScope(options.scope);
  if (options.url) answers.url = requireServerUrl(options.url);
  if (options.name) answers.name = requireServerName(options.name);
  const headers = headerMap(options);
  if (headers) answers.headers = headers;
  const tools = toolNames(options);
  if (tools.length) answers.enabledTools = tools;
  const via = viaOption(options);
  if (via) answers.via = via;
  return answers;
}

/** The non-interactive command that repeats this setup; header values are never printed. */
export function replayCommand(answers: Answers & { url: string; name: string }): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = ['npx mcp-setup add'];
  for (const client of answers.clients ?? []) parts.push(`--client ${client}`);
  parts.push(`--url ${quote(answers.url)}`, `--name ${quote(answers.name)}`);
  if (answers.scope) parts.push(`--scope ${answers.scope}`);
  for (const name of Object.keys(answers.headers ?? {})) parts.push(`--header ${quote(`${name}: <value>`)}`);
  if (answers.via) parts.push(`--via ${answers.via}`);
  if (answers.enabledTools) parts.push(`--tools ${quote(answers.enabledTools.join(','))}`);
  parts.push('--yes');
  return parts.join(' ');
}
