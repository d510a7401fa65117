import React, { useRef, useState } from 'react';
import { Box, Text } from 'ink';
import TextInput from 'ink-text-input';
import { normalizeServerUrl } from '../services/url.js';
import { KeyHints } from '../ui/KeyHints.js';

/** Server URL with inline validation; the normalised form is shown before it's used. */
export function EnterUrl({ initial, onSubmit }: { initial: string; onSubmit: (url: string) => void }) {
  const [value, setValue] = useState(initial);
  // A pasted line arrives as text + Enter in one burst, before React re-renders: submit what
  // was really typed, not the stale prop ink-text-input hands back.
  const latest = useRef(initial);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const check = value.trim() ? normalizeServerUrl(value) : null;
  return (
    <Box flexDirection="column">
      <Box>
        <Text color="cyan">› </Text>
        <TextInput
          value={value}
          placeholder="https://api.example.com/mcp"
          onChange={(next) => {
            latest.current = next;
            setValue(next);
            setError(null);
          }}
          onSubmit={() => {
            const result = normalizeServerUrl(latest.current);
            if (result.ok) onSubmit(result.url);
            else setError({ message: result.message, ...(result.hint ? { hint: result.hint } : {}) });
          }}
        />
      </Box>
      {error ? (
        <Box flexDirection="column">
          <Text color="red">✘ {error.message}</Text>
          {error.hint ? <Text dimColor>  {error.hint}</Text> : null}
        </Box>
      ) : check?.ok && check.url !== value.trim() ? (
        <Text dimColor>  will use {check.url}</Text>
      ) : null}
      <KeyHints hints={['Enter check the server', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
