import React, { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';
import { useServices } from '../app/services-context.js';
import type { DetectedClient } from '../services/clients/registry.js';
import type { ClientId } from '../services/clients/types.js';
import { KeyHints } from '../ui/KeyHints.js';
import { Spinner } from '../ui/Spinner.js';

/** Which app? Installed apps first and marked, from file-system/PATH detection. */
export function ChooseClient({ onChoose }: { onChoose: (id: ClientId, hasScopes: boolean) => void }) {
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
    key: adapter.id,
    value: adapter.id,
    label: `${adapter.displayName}${detection.installed ? '  ✓ installed' : ''}`,
  }));
  return (
    <Box flexDirection="column">
      <SelectInput
        items={items}
        onSelect={(item) => {
          const chosen = clients.find((c) => c.adapter.id === item.value);
          onChoose(item.value, (chosen?.adapter.scopes.length ?? 1) > 1);
        }}
      />
      {clients.every((c) => !c.detection.installed) ? <Text dimColor>No supported app found on this machine; you can still write its config.</Text> : null}
      <KeyHints hints={['↑↓ move', 'Enter choose', 'Ctrl+C quit']} />
    </Box>
  );
}
