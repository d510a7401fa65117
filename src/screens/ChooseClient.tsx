import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useServices } from '../app/services-context.js';
import type { DetectedClient } from '../services/clients/registry.js';
import type { ClientId } from '../services/clients/types.js';
import { KeyHints } from '../ui/KeyHints.js';
import { MultiSelect } from '../ui/MultiSelect.js';
import { Spinner } from '../ui/Spinner.js';

/** Which apps? Installed apps first and marked, from file-system/PATH detection. */
export function ChooseClient({ initial, onChoose }: { initial?: ClientId[]; onChoose: (ids: ClientId[]) => void }) {
  const services = useServices();
  const [clients, setClients] = useState<DetectedClient[] | null>(null);
  useEffect(() => {
    let live = true;
    void services.detectClients().then((found) => live && setClients(found));
    return () => {
      live = false;
    };
  }, [services]);

  if (!clients) return <Spinner label="Looking for your apps…" />;
  const items = clients.map(({ adapter, detection }) => ({
    value: adapter.id,
    label: adapter.displayName,
    ...(detection.installed ? { note: '✓ installed' } : {}),
  }));
  return (
    <Box flexDirection="column">
      <MultiSelect items={items} {...(initial ? { initial } : {})} onSubmit={onChoose} />
      {clients.every((c) => !c.detection.installed) ? <Text dimColor>No supported app found on this machine; you can still write its config.</Text> : null}
      <KeyHints hints={['↑↓ move', 'Space tick several', 'Enter choose', 'm manage or fix your servers', 'Ctrl+C quit']} />
    </Box>
  );
}
