import { useState } from 'react';
import { Box, Text } from 'ink';
import { parseHeaderLine } from '../services/headers.js';
import { KeyHints } from '../ui/KeyHints.js';
import { LineInput } from '../ui/LineInput.js';

/** A header the server wants (an API key, usually): "Name: value", or a ${VAR} reference. */
export function AddHeader({ onSubmit }: { onSubmit: (name: string, value: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <Box flexDirection="column">
      <LineInput
        placeholder="Authorization: Bearer ${MY_TOKEN}"
        onChange={() => setError(null)}
        onSubmit={(submitted) => {
          const line = parseHeaderLine(submitted);
          if (line.ok) onSubmit(line.name, line.value);
          else setError(line.message);
        }}
      />
      {error ? <Text color="red">✘ {error}</Text> : null}
      <Text dimColor>Write the key as ${'{'}VAR{'}'} to keep it out of the config file: the app reads it from that environment variable.</Text>
      <KeyHints hints={['Enter check again with it', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
