import { useEffect, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import SelectInput from 'ink-select-input';
import { useServices } from '../app/services-context.js';
import type { Check, DoctorReport } from '../services/doctor/types.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { KeyHints } from '../ui/KeyHints.js';
import { Spinner } from '../ui/Spinner.js';
import { Authenticate } from './Authenticate.js';

const MARK: Record<Check['status'], { text: string; color?: string }> = {
  pass: { text: '✔', color: 'green' },
  warn: { text: '!', color: 'yellow' },
  fail: { text: '✘', color: 'red' },
  skip: { text: '–' },
};

type State = { phase: 'running'; checks: Check[] } | { phase: 'done'; report: DoctorReport } | { phase: 'failed'; error: unknown } | { phase: 'signing-in'; report: DoctorReport };

/**
 * The troubleshooting flow: checks stream in layer by layer and stop explaining at the first real
 * cause; the fix it offers can be run from here (sign in, run again, save a support report) or
 * is shown as the exact command.
 */
export function Doctor({ target, onEditUrl, onExit }: { target: { url: string; name?: string }; onEditUrl?: () => void; onExit: () => void }) {
  const services = useServices();
  const [state, setState] = useState<State>({ phase: 'running', checks: [] });
  const [run, setRun] = useState(0);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setState({ phase: 'running', checks: [] });
    services
      .doctor(target, controller.signal, (check) => {
        if (!controller.signal.aborted) setState((s) => (s.phase === 'running' ? { phase: 'running', checks: [...s.checks, check] } : s));
      })
      .then(
        (report) => !controller.signal.aborted && setState({ phase: 'done', report }),
        (error: unknown) => !controller.signal.aborted && setState({ phase: 'failed', error }),
      );
    return () => controller.abort();
  }, [services, target, run]);

  useInput((_input, key) => {
    if (state.phase === 'failed' && key.return) setRun((r) => r + 1);
  });

  if (state.phase === 'signing-in') {
    return <Authenticate url={target.url} onSignedIn={() => setRun((r) => r + 1)} onBack={() => setState({ phase: 'done', report: state.report })} />;
  }
  if (state.phase === 'failed') {
    return (
      <Box flexDirection="column">
        <ErrorBox error={state.error} />
        <KeyHints hints={['Enter run again', 'Esc back']} />
      </Box>
    );
  }
  const checks = state.phase === 'running' ? state.checks : state.report.checks;
  const report = state.phase === 'done' ? state.report : undefined;
  const cause = report?.cause;
  const items = [
    ...(cause?.fix?.id === 'sign-in' ? [{ key: 'sign-in', value: 'sign-in', label: 'Sign in now' }] : []),
    ...(cause?.fix && ['fix-url', 'use-final-url', 'use-sse'].includes(cause.fix.id) && onEditUrl ? [{ key: 'edit', value: 'edit', label: 'Edit the URL' }] : []),
    { key: 'again', value: 'again', label: 'Run the checks again' },
    ...(cause ? [{ key: 'bundle', value: 'bundle', label: 'Save a support report (secrets removed) to share' }] : []),
    { key: 'exit', value: 'exit', label: 'Done' },
  ];
  return (
    <Box flexDirection="column">
      <Text dimColor>{target.name ? `${target.name} · ` : ''}{target.url}</Text>
      {checks.map((check, i) => (
        <Box key={`${check.id}-${i}`} flexDirection="column">
          <Text wrap="truncate-end">
            <Text color={MARK[check.status].color}>{MARK[check.status].text}</Text> <Text dimColor>{check.layer.padEnd(7)}</Text> {check.detail}
          </Text>
          {check.status === 'fail' && check.hint ? <Text dimColor>{'            '}Likely: {check.hint}</Text> : null}
        </Box>
      ))}
      {state.phase === 'running' ? <Spinner label="Checking…" /> : null}
      {report ? (
        <Box flexDirection="column" marginTop={1}>
          {cause ? (
            <>
              <Text color="red">Cause: {cause.detail}</Text>
              {cause.fix ? (
                <Text>
                  → {cause.fix.label}
                  {cause.fix.command ? <Text color="cyan"> {cause.fix.command}</Text> : null}
                </Text>
              ) : null}
            </>
          ) : (
            <Text color="green">No problem found{report.server ? `: ${report.server.name} ${report.server.version} answers` : ''}.</Text>
          )}
          {note ? <Text color="green">{note}</Text> : null}
          <Box marginTop={1}>
            <SelectInput
              items={items}
              onSelect={(item) => {
                if (item.value === 'sign-in') setState({ phase: 'signing-in', report });
                else if (item.value === 'edit') onEditUrl?.();
                else if (item.value === 'again') setRun((r) => r + 1);
                else if (item.value === 'bundle')
                  void services.saveSupportBundle([report]).then(
                    (file) => setNote(`Saved ${file}. It has no tokens or header values; attach it to your support request.`),
                    (error: unknown) => setNote(`Couldn't save the report: ${error instanceof Error ? error.message : String(error)}`),
                  );
                else onExit();
              }}
            />
          </Box>
        </Box>
      ) : null}
      <KeyHints hints={['Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
