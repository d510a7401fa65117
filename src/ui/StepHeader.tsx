import { Box, Text } from 'ink';

/** "Step 2 of 5 · Server URL" followed by the question itself. */
export function StepHeader({ index, total, title, question }: { index?: number; total?: number; title: string; question: string }) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text dimColor>
        mcp-setup · {index !== undefined && total !== undefined ? `step ${index} of ${total} · ` : ''}
        {title}
      </Text>
      <Text bold>{question}</Text>
    </Box>
  );
}
