/**
 * A compact diff of one local edit: the lines both texts share at the start and end are skipped
 * (mcp-setup's edits touch one entry), the rest is shown as - and + lines with a little context.
 */
export function lineDiff(before: string, after: string, context = 2): string[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return [];
  const from = Math.max(0, start - context);
  const lines = [`@@ line ${from + 1} @@`];
  for (let i = from; i < start; i++) lines.push(`  ${a[i]}`);
  for (let i = start; i < endA; i++) lines.push(`- ${a[i]}`);
  for (let i = start; i < endB; i++) lines.push(`+ ${b[i]}`);
  for (let i = endA; i < Math.min(a.length, endA + context); i++) lines.push(`  ${a[i]}`);
  return lines;
}
