import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';
import type { Platform } from '../services/deps.js';
import { PATHS, connectorSteps, connectorsCheck, quitInstructions } from '../services/clients/claude-desktop-guide.js';
import { KeyHints } from '../ui/KeyHints.js';

export type ClaudeDesktopPath = 'connectors' | 'bridge';

/**
 * Claude Desktop can't take a URL in its config file: offer its two ways and say why each.
 * Connectors is offered only when the URL could be reached from Anthropic's cloud.
 */
export function ClaudeDesktopChoice({ url, onChoose }: { url: string; onChoose: (choice: ClaudeDesktopPath) => void }) {
  const check = connectorsCheck(url);
  const items = [
    ...(check.ok ? [{ key: 'connectors', value: 'connectors' as const, label: 'Add it as a connector in Claude Desktop (I’ll show the clicks)' }] : []),
    { key: 'bridge', value: 'bridge' as const, label: 'Use the local bridge (mcp-setup writes the config file)' },
  ];
  return (
    <Box flexDirection="column">
      <Text>Claude Desktop’s config file only takes local servers. Two ways to connect it:</Text>
      <Box flexDirection="column" marginY={1} marginLeft={2}>
        <Text>• {PATHS.connectors}</Text>
        <Text>• {PATHS.bridge}</Text>
      </Box>
      {!check.ok && <Text color="yellow">Connectors won’t work for this URL: {check.message}</Text>}
      <SelectInput items={items} onSelect={(item) => onChoose(item.value)} />
      <KeyHints hints={['↑↓ move', 'Enter choose', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}

/** The Connectors path: the exact clicks, then quitting the app fully; Enter when done. */
export function ConnectorsGuide({ url, platform, wsl, onDone }: { url: string; platform: Platform; wsl?: boolean; onDone: (next: 'done' | 'bridge') => void }) {
  const items = [
    { key: 'done', value: 'done' as const, label: 'Done' },
    { key: 'bridge', value: 'bridge' as const, label: 'Use the local bridge instead' },
  ];
  return (
    <Box flexDirection="column">
      <Text bold>In Claude Desktop:</Text>
      <Box flexDirection="column" marginY={1} marginLeft={2}>
        {connectorSteps(url).map((step, i) => (
          <Text key={step}>
            {i + 1}. {step}
          </Text>
        ))}
      </Box>
      <Text dimColor>The app signs in with its own account; mcp-setup’s sign-in is not used here.</Text>
      <Text>{quitInstructions(platform, wsl)}</Text>
      <SelectInput items={items} onSelect={(item) => onDone(item.value)} />
      <KeyHints hints={['Enter choose', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
