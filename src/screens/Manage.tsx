import { useEffect, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import SelectInput from 'ink-select-input';
import { useServices } from '../app/services-context.js';
import { headerLines } from '../services/clients/entry-headers.js';
import type { ListedServer } from '../services/manage.js';
import type { VerifyResult } from '../services/mcp/verify.js';
import { normalizeServerUrl, validateServerName } from '../services/url.js';
import { ErrorBox } from '../ui/ErrorBox.js';
import { KeyHints } from '../ui/KeyHints.js';
import { LineInput } from '../ui/LineInput.js';
import { Spinner } from '../ui/Spinner.js';
import { ToolList } from '../ui/ToolList.js';

type View =
  | { at: 'loading' }
  | { at: 'list'; servers: ListedServer[] }
  | { at: 'actions'; server: ListedServer }
  | { at: 'checking'; server: ListedServer }
  | { at: 'checked'; server: ListedServer; result: VerifyResult }
  | { at: 'edit'; server: ListedServer; field: 'url' | 'rename' }
  | { at: 'confirm-remove'; server: ListedServer }
  | { at: 'working'; server: ListedServer; label: string }
  | { at: 'error'; error: unknown };

/** Everything configured, in every app: check it, troubleshoot it, change it, copy it, remove it. */
export function Manage({ onDoctor, onCopy, onExit }: { onDoctor: (server: ListedServer) => void; onCopy: (server: ListedServer) => void; onExit: () => void }) {
  const services = useServices();
  const [view, setView] = useState<View>({ at: 'loading' });
  const [message, setMessage] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);

  const reload = (note?: string) => {
    setMessage(note ?? null);
    setView({ at: 'loading' });
    services.listServers().then(
      ({ servers }) => setView({ at: 'list', servers }),
      (error: unknown) => setView({ at: 'error', error }),
    );
  };
  useEffect(() => reload(), []); // eslint-disable-line react-hooks/exhaustive-deps

  // Esc goes back one level inside Manage, and out of it from the list.
  useInput((_input, key) => {
    if (!key.escape) return;
    if (view.at === 'list' || view.at === 'loading' || view.at === 'error') onExit();
    else if (view.at === 'actions') reload();
    else if (view.at === 'checked' || view.at === 'edit' || view.at === 'confirm-remove') setView({ at: 'actions', server: view.server });
  });

  const act = (server: ListedServer, label: string, work: () => Promise<unknown>, done: string) => {
    setView({ at: 'working', server, label });
    work().then(
      () => reload(done),
      (error: unknown) => setView({ at: 'error', error }),
    );
  };

  switch (view.at) {
    case 'loading':
      return <Spinner label="Reading your apps’ config files…" />;
    case 'error':
      return (
        <Box flexDirection="column">
          <ErrorBox error={view.error} />
          <SelectInput items={[{ key: 'back', value: 'back', label: 'Back to the list' }]} onSelect={() => reload()} />
        </Box>
      );
    case 'working':
      return <Spinner label={view.label} />;
    case 'list': {
      if (view.servers.length === 0) {
        return (
          <Box flexDirection="column">
            <Text>No MCP servers are configured in the apps on this machine yet.</Text>
            <KeyHints hints={['Esc back', 'Ctrl+C quit']} />
          </Box>
        );
      }
      const items = view.servers.map((s, i) => ({
        key: `${i}`,
        value: `${i}`,
        label: `${s.name.padEnd(20)} ${s.clientName} (${s.scope})  ${s.url ?? s.command ?? ''}${s.via === 'mcp-remote' ? ' (through mcp-remote)' : s.via === 'bridge' ? ' (through the bridge)' : ''}${s.problems?.length ? '  ! needs attention' : ''}`,
      }));
      return (
        <Box flexDirection="column">
          {message ? <Text color="green">✔ {message}</Text> : null}
          <SelectInput items={[...items, { key: 'exit', value: 'exit', label: 'Done' }]} limit={15} onSelect={(item) => (item.value === 'exit' ? onExit() : setView({ at: 'actions', server: view.servers[Number(item.value)]! }))} />
          <KeyHints hints={['↑↓ move', 'Enter choose', 'Esc back', 'Ctrl+C quit']} />
        </Box>
      );
    }
    case 'actions': {
      const s = view.server;
      const remote = Boolean(s.url);
      const items = [
        ...(remote ? [{ key: 'check', value: 'check', label: 'Check it now (connect and list its tools)' }] : []),
        ...(remote ? [{ key: 'doctor', value: 'doctor', label: 'Troubleshoot it (doctor)' }] : []),
        ...(remote && !s.via ? [{ key: 'url', value: 'url', label: 'Change its URL' }] : []),
        { key: 'rename', value: 'rename', label: 'Rename it' },
        ...(remote ? [{ key: 'copy', value: 'copy', label: 'Add it to another app' }] : []),
        { key: 'remove', value: 'remove', label: `Remove it from ${s.clientName}` },
        { key: 'back', value: 'back', label: 'Back' },
      ];
      return (
        <Box flexDirection="column">
          <Text bold>{s.name}</Text>
          <Text dimColor>
            {s.clientName} ({s.scope}) · {s.file}
          </Text>
          <Text dimColor>{s.url ?? s.command}</Text>
          {s.problems?.map((p) => (
            <Text key={p.code} color="yellow">
              ! {p.message}
            </Text>
          ))}
          {s.alsoIn.length ? <Text dimColor>Also in: {s.alsoIn.join(', ')}</Text> : null}
          <Box marginTop={1}>
            <SelectInput
              items={items}
              onSelect={(item) => {
                setInputError(null);
                if (item.value === 'check') {
                  setView({ at: 'checking', server: s });
                  const controller = new AbortController();
                  // With the headers this app sends: an API-key server would otherwise read as needing sign-in.
                  services.verify(s.url!, headerLines(s.headers), controller.signal).then(
                    (result) => setView({ at: 'checked', server: s, result }),
                    (error: unknown) => setView({ at: 'error', error }),
                  );
                } else if (item.value === 'doctor') onDoctor(s);
                else if (item.value === 'copy') onCopy(s);
                else if (item.value === 'url' || item.value === 'rename') setView({ at: 'edit', server: s, field: item.value }); else if (item.value === 'remove') setView({ at: 'confirm-remove', server: s });
                else reload();
              }}
            />
          </Box>
        </Box>
      );
    }
    case 'checking':
      return <Spinner label={`Connecting to ${view.server.url}…`} />;
    case 'checked':
      return (
        <Box flexDirection="column">
          <Text>
            <Text color="green">✔</Text> {view.result.server.title ?? view.result.server.name} {view.result.server.version} · {view.result.tools.length} tools ·{' '}
            {Math.round(view.result.timings.totalMs)} ms
          </Text>
          <ToolList tools={view.result.tools} />
          <SelectInput items={[{ key: 'back', value: 'back', label: 'Back' }]} onSelect={() => setView({ at: 'actions', server: view.server })} />
        </Box>
      );
    case 'edit': {
      const { server, field } = view;
      return (
        <Box flexDirection="column">
          <Text>{field === 'url' ? `New URL for ${server.name}:` : `New name for ${server.name}:`}</Text>
          <LineInput
            initial={field === 'url' ? (server.url ?? '') : server.name}
            onChange={() => setInputError(null)}
            onSubmit={(submitted) => {
              const value = submitted.trim();
              if (field === 'url') {
                const check = normalizeServerUrl(value);
                if (!check.ok) return setInputError(check.message);
                act(server, 'Updating…', () => services.updateServer(server.name, server.client, { url: check.url }), `${server.name} now points at ${check.url} in ${server.clientName}.`);
              } else {
                const check = validateServerName(value);
                if (!check.ok) return setInputError(check.message);
                act(server, 'Renaming…', () => services.updateServer(server.name, server.client, { rename: value }), `Renamed ${server.name} to ${value} in ${server.clientName}.`);
              }
            }}
          />
          {inputError ? <Text color="red">✘ {inputError}</Text> : null}
          <KeyHints hints={['Enter save', 'Esc back']} />
        </Box>
      );
    }
    case 'confirm-remove': {
      const { server } = view;
      return (
        <Box flexDirection="column">
          <Text>
            Remove <Text bold>{server.name}</Text> from {server.clientName} ({server.scope})? A backup is kept; mcp-setup undo brings it back.
          </Text>
          <SelectInput
            items={[
              { key: 'no', value: 'no', label: 'No, keep it' },
              { key: 'yes', value: 'yes', label: 'Yes, remove it' },
            ]}
            onSelect={(item) =>
              item.value === 'yes'
                ? act(server, 'Removing…', () => services.removeServer(server.name, server.client), `Removed ${server.name} from ${server.clientName}.`)
                : setView({ at: 'actions', server })
            }
          />
        </Box>
      );
    }
  }
}
