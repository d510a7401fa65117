import { useEffect, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import SelectInput from 'ink-select-input';
import { useServices } from '../app/services-context.js';
import { hideHeaderValues } from '../services/headers.js';
import type { AddRequest, AppliedChange, PlannedChange } from '../services/setup.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { KeyHints } from '../ui/KeyHints.js';
import { Spinner } from '../ui/Spinner.js';

type State =
  | { phase: 'planning' }
  | { phase: 'ready'; plan: PlannedChange[] }
  | { phase: 'writing'; plan: PlannedChange[] }
  | { phase: 'failed'; error: unknown };

/** Shows the exact entry and the file it will change; Enter writes it. */
export function Review({ request, onWritten, onBack, onQuit, onBusy }: {
  request: AddRequest;
  onWritten: (applied: AppliedChange[]) => void;
  onBack: () => void;
  onQuit: () => void;
  onBusy: (busy: boolean) => void;
}) {
  const services = useServices();
  const [state, setState] = useState<State>({ phase: 'planning' });

  useEffect(() => {
    let live = true;
    services.plan(request).then(
      (plan) => live && setState({ phase: 'ready', plan }),
      (error: unknown) => live && setState({ phase: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [services, request]);

  useInput((_input, key) => {
    if (state.phase !== 'ready' || !key.return) return;
    const { plan } = state;
    setState({ phase: 'writing', plan });
    onBusy(true);
    services.apply(plan).then(
      (applied) => {
        onBusy(false);
        onWritten(applied);
      },
      (error: unknown) => {
        onBusy(false);
        setState({ phase: 'failed', error });
      },
    );
  });

  if (state.phase === 'planning') return <Spinner label="Reading your config files…" />;
  if (state.phase === 'failed') {
    return (
      <Box flexDirection="column">
        <ErrorBox error={state.error} />
        <Box marginTop={1}>
          <SelectInput
            items={[
              { key: 'back', value: 'back', label: 'Go back' },
              { key: 'quit', value: 'quit', label: 'Quit (nothing more is written)' },
            ]}
            onSelect={(item) => (item.value === 'back' ? onBack() : onQuit())}
          />
        </Box>
      </Box>
    );
  }
  const { plan } = state;
  return (
    <Box flexDirection="column">
      {plan.map((change) => (
        <Box key={change.location.file + change.adapter.id} flexDirection="column" marginBottom={1}>
          <Text>
            <Text bold>{change.adapter.displayName}</Text> <Text dimColor>({change.scope})</Text> · {change.location.file}
            {change.fileExists ? '' : <Text dimColor> (new file)</Text>}
          </Text>
          {change.unchanged ? (
            <Text color="green">  Already configured exactly like this; nothing to write.</Text>
          ) : change.existing !== undefined ? (
            <Text color="yellow">  ! Replaces the existing server named "{change.name}".</Text>
          ) : null}
          <Text color="cyan">
            {`  "${change.location.serversPath.join('" › "')}" › "${change.name}": `}
            {/* Header values can be API keys, in whatever field this app keeps them: never shown. */}
            {hideHeaderValues(JSON.stringify(change.entry, null, 2), request.headers).replace(/\n/g, '\n  ')}
          </Text>
        </Box>
      ))}
      <Text dimColor>Only this entry changes; everything else in the file stays exactly as it is{plan.some((c) => c.fileExists) ? ", and a backup of the old file is kept" : ""}.</Text>
      {state.phase === 'writing' ? <Spinner label="Writing…" /> : <KeyHints hints={['Enter write it', 'Esc back', 'Ctrl+C quit']} />}
    </Box>
  );
}
