import { useState } from 'react';
import { Box, Text } from 'ink';
import { normalizeServerUrl } from '../services/url.js';
import { KeyHints } from '../ui/KeyHints.js';
import { LineInput } from '../ui/LineInput.js';

/** Server URL with inline validation; the normalised form is shown before it's used. */
export function EnterUrl({ initial, onSubmit }: { initial: string; onSubmit: (url: string) => void }) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const check = value.trim() ? normalizeServerUrl(value) : null;
  return (
    <Box flexDirection="column">
      <LineInput
        initial={initial}
        placeholder="https://api.example.com/mcp"
        onChange={(next) => {
          setValue(next);
          setError(null);
        }}
        onSubmit={(submitted) => {
          const result = normalizeServerUrl(submitted);
          if (result.ok) onSubmit(result.url);
          else setError({ message: result.message, ...(result.hint ? { hint: result.hint } : {}) });
        }}
      />
      {error ? (
        <Box flexDirection="column">
          <Text color="red">✘ {error.message}</Text>
          {error.hint ? <Text dimColor>  {error.hint}</Text> : null}
        </Box>
      ) : check?.ok && check.url !== value.trim() ? (
        <Text dimColor>  will use {check.url}</Text>
      ) : null}
      <Text dimColor>No server yet? Run mcp-setup demo to try the whole flow on a local demo server.</Text>
      <KeyHints hints={['Enter check the server', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
