import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';
import { useInput } from 'ink';
import { useServices } from '../app/services-context.js';
import type { Verification } from '../app/flow.js';
import { UserError } from '../services/errors.js';
import type { VerifyResult } from '../services/mcp/verify.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { KeyHints } from '../ui/KeyHints.js';
import { Spinner } from '../ui/Spinner.js';
import { ToolList } from '../ui/ToolList.js';

type State = { phase: 'checking'; attempt: number } | { phase: 'ok'; result: VerifyResult } | { phase: 'failed'; error: unknown; attempt: number };

/** Connect live and list the tools; on failure: retry, edit the URL, or quit. */
export function Verify({
  url,
  headers,
  onVerified,
  onEditUrl,
  onSignIn,
  onAddHeader,
  onDoctor,
  onQuit,
}: {
  url: string;
  headers: Record<string, string> | undefined;
  onVerified: (verification: Verification) => void;
  onEditUrl: () => void;
  onSignIn: () => void;
  onAddHeader: () => void;
  onDoctor: () => void;
  onQuit: () => void;
}) {
  const services = useServices();
  const [state, setState] = useState<State>({ phase: 'checking', attempt: 0 });
  const attempt = state.phase === 'ok' ? -1 : state.attempt;

  useEffect(() => {
    if (state.phase !== 'checking') return;
    const controller = new AbortController();
    services.verify(url, headers, controller.signal).then(
      (result) => !controller.signal.aborted && setState({ phase: 'ok', result }),
      (error: unknown) => !controller.signal.aborted && setState({ phase: 'failed', error, attempt }),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt, state.phase]);

  useInput((_input, key) => {
    if (state.phase === 'ok' && key.return) onVerified({ status: 'ok', result: state.result });
  });

  if (state.phase === 'checking') return <Spinner label={`Connecting to ${url} and listing its tools…`} />;
  if (state.phase === 'ok') {
    const { result } = state;
    return (
      <Box flexDirection="column">
        <Text>
          <Text color="green">✔</Text> Connected to <Text bold>{result.server.title ?? result.server.name}</Text> {result.server.version}
        </Text>
        <Text dimColor>
          {'  '}
          {result.transport} · protocol {result.protocolVersion} · round trip {Math.round(result.timings.totalMs)} ms
        </Text>
        <Text>
          {'  '}
          {result.tools.length} tool{result.tools.length === 1 ? '' : 's'}
          {result.tools.length === 0 ? ' (the server may need another account, workspace or scopes)' : ':'}
        </Text>
        <ToolList tools={result.tools} />
        <KeyHints hints={['Enter continue', 'Esc back', 'Ctrl+C quit']} />
      </Box>
    );
  }
  const needsAuth = state.error instanceof UserError && state.error.code === 'needs-auth';
  const refused = needsAuth || (state.error instanceof UserError && state.error.code === 'forbidden');
  const items = [
    ...(needsAuth
      ? [
          { key: 'sign-in', value: 'sign-in', label: 'Sign in now in the browser, to check the tools (mcp-setup’s own sign-in)' },
          { key: 'continue', value: 'continue', label: 'Skip the check: the app will ask me to sign in' },
        ]
      : []),
    ...(refused ? [{ key: 'header', value: 'header', label: 'Use an API key instead (add a header)' }] : []),
    { key: 'retry', value: 'retry', label: 'Try again' },
    { key: 'edit', value: 'edit', label: 'Edit the URL' },
    { key: 'doctor', value: 'doctor', label: 'Find out why (doctor)' },
    { key: 'quit', value: 'quit', label: 'Quit (nothing is written)' },
  ];
  return (
    <Box flexDirection="column">
      <ErrorBox error={state.error} />
      <Box marginTop={1}>
        <SelectInput
          items={items}
          onSelect={(item) => {
            if (item.value === 'sign-in') onSignIn();
            else if (item.value === 'continue') onVerified({ status: 'needs-auth' });
            else if (item.value === 'header') onAddHeader();
            else if (item.value === 'retry') setState({ phase: 'checking', attempt: state.attempt + 1 });
            else if (item.value === 'edit') onEditUrl();
            else if (item.value === 'doctor') onDoctor();
            else onQuit();
          }}
        />
      </Box>
      <KeyHints hints={['↑↓ move', 'Enter choose', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
