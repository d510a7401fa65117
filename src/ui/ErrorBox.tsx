import { Box, Text } from 'ink';
import { UserError } from '../services/errors.js';

/** What happened, why it likely happened, and what to do next. */
export function ErrorBox({ error }: { error: unknown }) {
  const user = error instanceof UserError ? error : undefined;
  const message = user?.message ?? (error instanceof Error ? `Unexpected error: ${error.message}` : String(error));
  return (
    <Box flexDirection="column">
      <Text color="red">✘ {message}</Text>
      {user?.hint ? <Text dimColor>  {user.hint}</Text> : null}
      {user?.nextSteps.map((step) => (
        <Text key={step}>  → {step}</Text>
      ))}
    </Box>
  );
}
