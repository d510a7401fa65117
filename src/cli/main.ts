import type { Writable } from 'node:stream';
import { BugError, ExitCode, UserError, exitCodeOf } from '../services/errors.js';
import type { Env } from '../services/deps.js';
import { VERSION } from '../version.js';
import { AVAILABLE_COMMANDS, helpText, parseCommandLine, type ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { chooseMode } from './mode.js';
import { makeOutput } from './output.js';

/**
 * The composition root: parse, build Deps, pick the mode, run one command, map errors to exit
 * codes. The only module that reads process.* (through `run`) and the only one that exits.
 */

export interface MainIo {
  argv: string[];
  env: Env;
  cwd: string;
  platform: NodeJS.Platform;
  stdin: CommandContext['stdin'];
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  /** Ctrl+C outside Ink (plain and JSON modes). */
  onInterrupt?: (handler: () => void) => () => void;
}

export async function main(io: MainIo): Promise<number> {
  // `proxy` speaks JSON-RPC on stdout: nothing else may ever land there, not even a JSON error.
  const isProxy = io.argv[0] === 'proxy';
  const wantsJson = io.argv.includes('--json') && !isProxy;
  const color = !io.env.NO_COLOR && io.env.TERM !== 'dumb' && Boolean(io.stderr.isTTY);
  let output = makeOutput({ stdout: io.stdout, stderr: io.stderr, json: wantsJson, color });
  let args: ParsedArgs;
  try {
    args = parseCommandLine(io.argv);
  } catch (error) {
    output.error(error);
    return exitCodeOf(error);
  }
  if (args.options.version) {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  if (args.options.help) {
    io.stdout.write(helpText(args.command, VERSION));
    return ExitCode.ok;
  }
  output = makeOutput({ stdout: io.stdout, stderr: io.stderr, json: Boolean(args.options.json) && !isProxy, color });
  const controller = new AbortController();
  const removeInterrupt = io.onInterrupt?.(() => controller.abort());
  try {
    if (!AVAILABLE_COMMANDS.includes(args.command)) {
      throw new UserError({
        code: 'usage',
        message: `"mcp-setup ${args.command}" isn't available in this version yet.`,
        nextSteps: ['Run "mcp-setup --help" to see what this version can do.'],
        exitCode: ExitCode.usage,
      });
    }
    const mode = chooseMode(args.options, {
      stdinIsTTY: Boolean(io.stdin.isTTY),
      stdoutIsTTY: Boolean(io.stdout.isTTY),
      ci: Boolean(io.env.CI && io.env.CI !== 'false' && io.env.CI !== '0'),
    });
    const { readSystem, buildDeps } = await import('./node-deps.js');
    const deps = buildDeps(readSystem(io.env, io.cwd, io.platform), VERSION);
    const ctx: CommandContext = { args, mode, deps, output, version: VERSION, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, signal: controller.signal };
    return await dispatch(ctx);
  } catch (error) {
    output.error(error);
    return exitCodeOf(error);
  } finally {
    removeInterrupt?.();
  }
}

async function dispatch(ctx: CommandContext): Promise<number> {
  switch (ctx.args.command) {
    case 'wizard':
      return (await import('./commands/wizard.js')).runWizard(ctx);
    case 'add':
      return (await import('./commands/add.js')).runAdd(ctx);
    case 'verify':
      return (await import('./commands/verify.js')).runVerify(ctx);
    case 'undo':
      return (await import('./commands/undo.js')).runUndo(ctx);
    case 'proxy':
      return (await import('./commands/proxy.js')).runProxy(ctx);
    case 'demo':
      return (await import('./commands/demo.js')).runDemo(ctx);
    case 'doctor':
      return (await import('./commands/doctor.js')).runDoctorCommand(ctx);
    case 'login':
      return (await import('./commands/auth.js')).runLogin(ctx);
    case 'logout':
      return (await import('./commands/auth.js')).runLogout(ctx);
    case 'list':
    case 'remove':
    case 'update':
      return (await import('./commands/manage.js')).runManage(ctx);
    default:
      throw new BugError(`No handler for "${ctx.args.command}".`);
  }
}

/** Entry point used by bin/mcp-setup.js. */
export async function run(): Promise<void> {
  const code = await main({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    platform: process.platform,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    onInterrupt(handler) {
      const listener = () => handler();
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
  });
  // Keep-alive sockets from fetch would hold the process open for seconds; flush and leave.
  process.exitCode = code;
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}
