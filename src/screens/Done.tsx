import React, { useEffect } from 'react';
import { Box, Text } from 'ink';
import type { AppliedChange } from '../services/setup.js';

/** Where it was written and what to do next in each app. Exits once drawn. */
export function Done({ applied, needsSignIn, onShown }: { applied: AppliedChange[]; needsSignIn: boolean; onShown: () => void }) {
  useEffect(() => {
    onShown();
  }, [onShown]);
  return (
    <Box flexDirection="column">
      {applied.map((a) => (
        <Box key={a.file + a.client} flexDirection="column">
          <Text>
            <Text color="green">✔</Text> {a.changed ? 'Added' : 'Already had'} <Text bold>{a.name}</Text> in {a.clientName} ({a.scope}): {a.file}
          </Text>
          <Text>  → {a.nextStep}</Text>
        </Box>
      ))}
      {needsSignIn ? <Text color="yellow">! The server needs sign-in: the app will ask you to sign in when it first connects.</Text> : null}
    </Box>
  );
}
