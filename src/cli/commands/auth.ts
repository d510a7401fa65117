import { createInterface } from 'node:readline';
import type { LoginResult } from '../../services/auth/types.js';
import type { ListedServer } from '../../services/manage.js';
import type { AppSignIn } from '../../services/clients/app-sign-ins.js';
import { callbackOptions, timeoutMs } from '../args.js';
import type { CommandContext } from '../context.js';
import { resolveTarget } from '../targets.js';

/**
 * `mcp-setup login NAME|URL`: opens the browser when one is available (also without a TTY),
 * always prints the URL on stderr, and on a terminal also accepts a pasted redirect URL while
 * the loopback listener keeps waiting (SSH, or a browser on another machine).
 */
export async function runLogin(ctx: CommandContext): Promise<number> {
  const target = await resolveTarget(ctx, 'login');
  const { options } = ctx.args;
  const auth = await import('../../services/auth/index.js');
  // Which apps list this server: read while the user is busy in the browser (started only then,
  // so it doesn't compete with discovery for the one thread), printed at the end.
  let appsListing: Promise<AppListing[]> | undefined;
  const startListing = () => (appsListing ??= listingApps(ctx, target.url));
  const detected = auth.detectHeadless(ctx.deps.system);
  const headless = Boolean(options['no-browser']) || detected.headless;
  const { style } = ctx.output;
  const say = (line: string) => ctx.output.info(line);

  const session = auth.startLogin(
    {
      serverUrl: target.url,
      ...(options['client-id'] ? { clientId: options['client-id'] } : {}),
      ...(options['client-secret'] ? { clientSecret: options['client-secret'] } : {}),
      ...callbackOptions(options),
      useResource: !options['no-resource'],
      headless,
      grant: options.device ? 'device' : 'auto',
      signal: ctx.signal,
      ...(options.timeout ? { timeoutMs: timeoutMs(options) } : {}),
    },
    ctx.deps,
    {
      onAuthUrl(url, info) {
        startListing();
        say(`Sign in to ${new URL(target.url).host}: open this link in a browser`);
        say(`  ${style.cyan(url)}`);
        if (info.browserOpened) say(style.dim('  (Opened in your browser. If nothing happened, open the link yourself.)'));
        else if (headless) say(style.dim(`  (No browser here${detected.reason === 'ssh' ? ': this is an SSH session' : ''}; open it on any machine.)`));
        if (info.sshTunnel) say(`  To let your own browser reach this machine, run there first:  ${info.sshTunnel}`);
        if (ctx.stdin.isTTY) say(`  Or paste the address the browser ends on (starts with ${info.redirectUri.split('?')[0]}) and press Enter:`);
      },
      onDeviceCode(info) {
        startListing();
        say(`First copy your one-time code: ${style.bold(info.userCode)}`);
        say(`Then open ${style.cyan(info.verificationUriComplete ?? info.verificationUri)} on any device and enter it.`);
      },
      onStatus: (text) => say(style.dim(text)),
    },
  );

  // Paste-back on a terminal only: a script's stdin is not a person.
  const rl = ctx.stdin.isTTY ? createInterface({ input: ctx.stdin }) : undefined;
  rl?.on('line', (line) => {
    if (!line.trim()) return;
    void session.submitPaste(line).then((outcome) => {
      if (!outcome.ok) say(`${style.yellow('!')} ${outcome.message}`);
      else if (outcome.warning) say(`${style.yellow('!')} ${outcome.warning}`);
    });
  });
  let result: LoginResult;
  try {
    result = await session.result;
  } finally {
    rl?.close();
  }
  if (ctx.output.json) {
    ctx.output.data({ serverUrl: result.serverUrl, issuer: result.issuer, scopes: result.scopes, expiresAt: result.expiresAt ?? null, tokenStorage: result.tokenStorage, method: result.method });
    return 0;
  }
  ctx.output.out(`${style.green('✔')} Signed in to ${result.serverUrl} ${style.dim(`(${result.issuer}${result.scopes.length ? `, scopes: ${result.scopes.join(' ')}` : ''})`)}`);
  ctx.output.out(`  Tokens are stored in ${result.tokenStorage === 'keychain' ? 'your system keychain' : "mcp-setup's own folder (a 0600 file)"}.`);
  if (result.warning) ctx.output.out(`  ${style.yellow('!')} ${result.warning}`);
  await printClientSteps(ctx, await startListing());
  return 0;
}

interface AppListing {
  server: ListedServer;
  /** The app's own sign-in, where it keeps it in a file here (Claude Code, Codex). */
  signIn?: AppSignIn;
}

async function listingApps(ctx: CommandContext, url: string): Promise<AppListing[]> {
  // Loaded now too, so printing the steps after the tokens costs no module load.
  import('../../services/clients/sign-in-steps.js').catch(() => {});
  try {
    const [{ listServers }, { appSignInsFor }] = await Promise.all([import('../../services/manage.js'), import('../../services/clients/app-sign-ins.js')]);
    const here = (await listServers(ctx.deps)).servers.filter((s) => s.url === url);
    const signIns = await appSignInsFor(ctx.deps.system, here, ctx.deps.now());
    return here.map((server) => ({ server, ...(signIns.has(server) ? { signIn: signIns.get(server)! } : {}) }));
  } catch {
    return [];
  }
}

/** Say who owns the token, and how each app that lists this server signs in itself (unless it already has). */
async function printClientSteps(ctx: CommandContext, here: AppListing[]): Promise<void> {
  const { clientSignInStep } = await import('../../services/clients/sign-in-steps.js');
  ctx.output.out(ctx.output.style.dim('  These tokens are mcp-setup’s own (verify, doctor and the local bridge use them). Apps sign in themselves:'));
  if (here.length === 0) ctx.output.out(ctx.output.style.dim('  (No app lists this server yet: add it with mcp-setup add.)'));
  for (const { server: s, signIn } of here) {
    if (signIn?.state === 'signed-in') {
      ctx.output.out(`  → ${s.clientName}: ${ctx.output.style.green('already signed in itself')}${signIn.refreshable ? ctx.output.style.dim(' (it renews its token)') : ''}`);
      continue;
    }
    const step = clientSignInStep(s.client, s.name);
    ctx.output.out(`  → ${s.clientName}: ${step.command ? step.command.join(' ') : step.inApp}`);
  }
}

export async function runLogout(ctx: CommandContext): Promise<number> {
  const target = await resolveTarget(ctx, 'logout');
  const auth = await import('../../services/auth/index.js');
  const result = await auth.logout(target.url, ctx.deps);
  if (ctx.output.json) {
    ctx.output.data(result);
    return 0;
  }
  const { style } = ctx.output;
  if (!result.removed) ctx.output.out(`No stored sign-in for ${target.url}; nothing to do.`);
  else ctx.output.out(`${style.green('✔')} Signed out of ${target.url}${result.revoked ? ' (the server revoked the tokens)' : style.dim(' (local tokens deleted; the server offers no revocation)')}.`);
  return 0;
}
