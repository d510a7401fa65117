import { Box, Text } from 'ink';
import type { ToolSummary } from '../services/mcp/verify.js';

export function ToolList({ tools, max = 12 }: { tools: ToolSummary[]; max?: number }) {
  const shown = tools.slice(0, max);
  const width = Math.min(28, Math.max(0, ...shown.map((t) => t.name.length)));
  return (
    <Box flexDirection="column" marginLeft={2}>
      {shown.map((tool) => (
        <Text key={tool.name} wrap="truncate-end">
          <Text color="cyan">{tool.name.padEnd(width)}</Text>  <Text dimColor>{tool.description}</Text>
        </Text>
      ))}
      {tools.length > shown.length ? <Text dimColor>…and {tools.length - shown.length} more</Text> : null}
    </Box>
  );
}
