import type { VerifyResult } from '../../services/mcp/verify.js';
import type { Style } from '../output.js';

export function verifyJson(result: VerifyResult) {
  return {
    server: result.server,
    protocolVersion: result.protocolVersion,
    transport: result.transport,
    tools: result.tools,
    timings: { connectMs: Math.round(result.timings.connectMs), listMs: Math.round(result.timings.listMs) },
  };
}

export function verifyLines(result: VerifyResult, style: Style, maxTools = Infinity): string[] {
  const title = result.server.title ?? result.server.name;
  const lines = [
    `${style.green('✔')} Connected to ${style.bold(title)} ${result.server.version} ${style.dim(`(${result.transport}, protocol ${result.protocolVersion}, ${Math.round(result.timings.totalMs)} ms)`)}`,
    `  ${result.tools.length} tool${result.tools.length === 1 ? '' : 's'}${result.tools.length ? ':' : ' (the server may need a different account, workspace or scopes)'}`,
  ];
  const shown = result.tools.slice(0, maxTools);
  const width = Math.min(28, Math.max(0, ...shown.map((t) => t.name.length)));
  for (const tool of shown) lines.push(`    ${tool.name.padEnd(width)}  ${style.dim(tool.description)}`);
  if (result.tools.length > shown.length) lines.push(`    …and ${result.tools.length - shown.length} more`);
  return lines;
}
