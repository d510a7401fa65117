import type { ClientId } from '../../services/clients/types.js';
import type { Check, DoctorReport, DoctorTarget } from '../../services/doctor/types.js';
import { UsageError } from '../../services/errors.js';
import { clientList, headerMap, timeoutMs } from '../args.js';
import { expandHeaderReferences } from '../../services/headers.js';
import type { CommandContext } from '../context.js';
import type { Style } from '../output.js';
import { resolveTarget } from '../targets.js';
import { runCommand } from '../run-command.js';

const MARK: Record<Check['status'], (s: Style) => string> = {
  pass: (s) => s.green('✔'),
  warn: (s) => s.yellow('!'),
  fail: (s) => s.red('✘'),
  skip: (s) => s.dim('–'),
};

export function checkLines(check: Check, style: Style): string[] {
  const lines = [`  ${MARK[check.status](style)} ${style.dim(check.layer.padEnd(7))} ${check.detail}`];
  if (check.status === 'fail' || check.status === 'warn') {
    if (check.hint) lines.push(`              ${style.dim(`Likely: ${check.hint}`)}`);
    if (check.fix) lines.push(`              → ${check.fix.label}${check.fix.command ? ` ${style.cyan(check.fix.command)}` : ''}`);
  }
  return lines;
}

function title(report: DoctorReport | DoctorTarget, style: Style): string {
  const t = 'target' in report ? report.target : report;
  return `${style.bold(t.name ?? t.url)}${t.name ? ` ${style.dim(t.url)}` : ''}${t.client ? style.dim(` · ${t.client} (${t.scope})`) : ''}`;
}

/**
 * `mcp-setup doctor [NAME|URL] [--all] [--json]`: layered checks that stop explaining at the
 * first real cause; --all checks every configured server concurrently, each in its own budget.
 * Exits with the code of the first failing layer.
 */
export async function runDoctorCommand(ctx: CommandContext): Promise<number> {
  const { options } = ctx.args;
  const clients = clientList(options) as ClientId[];
  const [doctor, targets, auth] = await Promise.all([
    import('../../services/doctor/index.js'),
    import('../../services/doctor/targets.js'),
    import('../../services/auth/index.js'),
  ]);
  const authFeed = {
    tokenStatus: (url: string) => auth.tokenStatus(url, ctx.deps),
    accessToken: (url: string) => auth.accessToken(url, ctx.deps),
  };
  const { style } = ctx.output;
  const [{ claudeCodeVerdict, codexVerdict, geminiVerdict, opencodeVerdict }, { claudeDesktopLogVerdict }, { appSignInCheck }] = await Promise.all([
    import('../../services/doctor/client-verdict.js'),
    import('../../services/doctor/desktop-log.js'),
    import('../../services/doctor/client-sign-in.js'),
  ]);
  const extensions = {
    client: [
      claudeCodeVerdict(runCommand, ctx.deps.which),
      appSignInCheck(ctx.deps.system, 'claude-code'),
      appSignInCheck(ctx.deps.system, 'codex'),
      codexVerdict(runCommand, ctx.deps.which),
      geminiVerdict(runCommand, ctx.deps.which, ctx.deps.system.cwd),
      opencodeVerdict(runCommand, ctx.deps.which),
      claudeDesktopLogVerdict(ctx.deps.system),
    ],
  };
  const common = { signal: ctx.signal, auth: authFeed, extensions, ...(options.timeout ? { timeoutMs: timeoutMs(options) } : {}) };

  let reports: DoctorReport[];
  let checked: DoctorTarget[];
  if (options.all) {
    if (ctx.args.positionals.length) throw new UsageError('Pass a server or --all, not both.');
    checked = await targets.doctorTargetsForAll(ctx.deps, clients);
    if (checked.length === 0) {
      if (ctx.output.json) ctx.output.data([]);
      else ctx.output.out('No remote MCP servers are configured in the apps on this machine.');
      return 0;
    }
    if (!ctx.output.json) ctx.output.info(style.dim(`Checking ${checked.length} server entr${checked.length === 1 ? 'y' : 'ies'} at once…`));
    reports = await doctor.runDoctorAll(checked, ctx.deps, {
      ...common,
      onReport: (report) => {
        if (ctx.output.json) return;
        ctx.output.out(`${report.cause ? style.red('✘') : style.green('✔')} ${title(report, style)}`);
        const shown = report.cause ? report.checks.filter((c) => c.status === 'fail' || c.status === 'warn') : report.checks.filter((c) => c.status === 'warn');
        for (const check of shown) for (const line of checkLines(check, style)) ctx.output.out(line);
      },
    });
  } else {
    if (ctx.args.positionals.length === 0) throw new UsageError('Which server? Pass its name or URL, or --all for every configured server.', 'Example: mcp-setup doctor linear');
    const resolved = await resolveTarget(ctx, 'doctor');
    // An API-key server is checked with its key (sent, never shown); without it it would read as
    // "needs sign-in". --header wins over the headers the apps' entries send.
    const headers = expandHeaderReferences(headerMap(options), ctx.deps.system.env);
    const target = await targets.doctorTargetFor(ctx.deps, resolved, clients, headers);
    checked = [target];
    if (!ctx.output.json) ctx.output.out(`Checking ${title(target, style)}`);
    reports = [
      await doctor.runDoctor(target, ctx.deps, {
        ...common,
        onCheck: (check) => {
          if (!ctx.output.json) for (const line of checkLines(check, style)) ctx.output.out(line);
        },
      }),
    ];
  }

  if (ctx.output.json) ctx.output.data(options.all ? reports : reports[0]);
  else {
    const report = reports.length === 1 ? reports[0]! : undefined;
    if (report?.cause) ctx.output.out(`\n${style.red('Cause:')} ${report.cause.detail}${report.cause.fix?.command ? `\n  → ${report.cause.fix.label} ${style.cyan(report.cause.fix.command)}` : ''}`);
    else if (report) ctx.output.out(`\n${style.green('No problem found.')}${report.server ? ` ${report.server.name} ${report.server.version} answers.` : ''}`);
    if (options.bundle) {
      const bundle = doctor.buildSupportBundle(reports, { version: ctx.version, nodeVersion: process.version, platform: ctx.deps.system.platform, env: ctx.deps.system.env, targets: checked, now: ctx.deps.now() });
      ctx.output.out('\n--- support bundle (secrets removed; paste it into your support request) ---');
      ctx.output.out(bundle.text);
    } else if (reports.some((r) => r.cause)) {
      ctx.output.out(style.dim('Need help? mcp-setup doctor … --bundle prints a report with secrets removed, to share.'));
    }
  }
  return doctor.exitCodeOfReports(reports);
}
