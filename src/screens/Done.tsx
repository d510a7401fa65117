import { useEffect } from 'react';
import { Box, Text } from 'ink';
import { clientSignInStep } from '../services/clients/sign-in-steps.js';
import type { AppliedChange } from '../services/setup.js';

/** Where it was written and what to do next in each app. Exits once drawn. */
export function Done({ applied, needsSignIn, connectorsUrl, onShown }: { applied: AppliedChange[]; needsSignIn: boolean; connectorsUrl?: string | undefined; onShown: () => void }) {
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
      {connectorsUrl ? (
        <Box flexDirection="column">
          <Text>
            <Text color="green">✔</Text> Claude Desktop: add it under Settings → Connectors → Add custom connector, with this URL:
          </Text>
          <Text color="cyan">  {connectorsUrl}</Text>
        </Box>
      ) : null}
      {needsSignIn ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="yellow">! Each app signs in to this server itself (mcp-setup’s own sign-in only checked it):</Text>
          {applied.map((a) => {
            const step = clientSignInStep(a.client, a.name);
            return (
              <Text key={`signin-${a.client}`}>
                {'  '}→ {a.clientName}: {step.command ? step.command.join(' ') : step.inApp}
              </Text>
            );
          })}
        </Box>
      ) : null}
    </Box>
  );
}
