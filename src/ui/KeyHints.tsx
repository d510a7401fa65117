import { Box, Text } from 'ink';

/** Key hints on their own dim line: "↑↓ move · Enter choose · Esc back · Ctrl+C quit". */
export function KeyHints({ hints }: { hints: string[] }) {
  return (
    <Box marginTop={1}>
      <Text dimColor>{hints.join(' · ')}</Text>
    </Box>
  );
}
