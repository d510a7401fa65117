import React, { useRef, useState } from 'react';
import { Box, Text } from 'ink';
import TextInput from 'ink-text-input';
import { validateServerName } from '../services/url.js';
import { KeyHints } from '../ui/KeyHints.js';

export function NameServer({ suggestion, onSubmit }: { suggestion: string; onSubmit: (name: string) => void }) {
  const [value, setValue] = useState(suggestion);
  // A pasted line arrives as text + Enter in one burst, before React re-renders: submit what
  // was really typed, not the stale prop ink-text-input hands back.
  const latest = useRef(suggestion);
  const [error, setError] = useState<string | null>(null);
  return (
    <Box flexDirection="column">
      <Box>
        <Text color="cyan">› </Text>
        <TextInput
          value={value}
          onChange={(next) => {
            latest.current = next;
            setValue(next);
            setError(null);
          }}
          onSubmit={() => {
            const name = latest.current.trim();
            const check = validateServerName(name);
            if (check.ok) onSubmit(name);
            else setError(check.message);
          }}
        />
      </Box>
      {error ? <Text color="red">✘ {error}</Text> : <Text dimColor>  This is how the app will label the server and its tools.</Text>}
      <KeyHints hints={['Enter accept', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
