import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useServices } from '../app/services-context.js';
import { clientSignInStep } from '../services/clients/sign-in-steps.js';
import type { Check } from '../services/doctor/types.js';
import type { AppliedChange } from '../services/setup.js';
import { Spinner } from '../ui/Spinner.js';

/**
 * Where it was written, what the apps themselves say about it (Claude Code and Codex, when
 * their CLIs are here), and what to do next in each app. Exits once the apps have answered.
 */
export function Done({ applied, url, needsSignIn, connectorsUrl, onShown }: { applied: AppliedChange[]; url: string; needsSignIn: boolean; connectorsUrl?: string | undefined; onShown: () => void }) {
  const services = useServices();
  const [appChecks, setAppChecks] = useState<Check[] | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    services.askApps(applied, url, controller.signal).then(setAppChecks, () => setAppChecks([]));
    return () => controller.abort();
  }, [services, applied, url]);
  useEffect(() => {
    if (appChecks) onShown();
  }, [appChecks, onShown]);
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
      {appChecks === undefined ? (
        <Spinner label="Asking the apps themselves…" />
      ) : (
        appChecks.map((c) => (
          <Box key={c.id} flexDirection="column">
            <Text>
              <Text color={c.status === 'pass' ? 'green' : c.status === 'warn' ? 'yellow' : 'red'}>{c.status === 'pass' ? '✔' : c.status === 'warn' ? '!' : '✘'}</Text> {c.detail}
            </Text>
            {c.status !== 'pass' && c.fix ? <Text>  → {c.fix.command ? `${c.fix.label} ${c.fix.command}` : c.fix.label}</Text> : null}
          </Box>
        ))
      )}
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
