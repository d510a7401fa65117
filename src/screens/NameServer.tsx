import { useState } from 'react';
import { Box, Text } from 'ink';
import { validateServerName } from '../services/url.js';
import { KeyHints } from '../ui/KeyHints.js';
import { LineInput } from '../ui/LineInput.js';

export function NameServer({ suggestion, onSubmit }: { suggestion: string; onSubmit: (name: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <Box flexDirection="column">
      <LineInput
        initial={suggestion}
        onChange={() => setError(null)}
        onSubmit={(submitted) => {
          const name = submitted.trim();
          const check = validateServerName(name);
          if (check.ok) onSubmit(name);
          else setError(check.message);
        }}
      />
      {error ? <Text color="red">✘ {error}</Text> : <Text dimColor>  This is how the app will label the server and its tools.</Text>}
      <KeyHints hints={['Enter accept', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
