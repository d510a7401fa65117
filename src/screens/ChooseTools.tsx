import { useState } from 'react';
import { Box, Text } from 'ink';
import type { ClientAdapter } from '../services/clients/types.js';
import type { ToolSummary } from '../services/mcp/verify.js';
import { KeyHints } from '../ui/KeyHints.js';
import { MultiSelect } from '../ui/MultiSelect.js';

/**
 * Which tools may the apps use? Written only where an app has a per-server filter (Codex
 * enabled_tools, Gemini includeTools, Goose available_tools, Copilot tools); the screen says
 * plainly which apps have none.
 */
export function ChooseTools({ tools, adapters, initial, onSubmit }: { tools: ToolSummary[]; adapters: ClientAdapter[]; initial?: string[]; onSubmit: (enabled: string[] | undefined) => void }) {
  const [error, setError] = useState<string | null>(null);
  const honour = adapters.filter((a) => a.toolFilter);
  const ignore = adapters.filter((a) => !a.toolFilter);
  // Tall lists scroll poorly in a terminal: show at most 15 and keep the rest enabled.
  const shown = tools.slice(0, 15);
  return (
    <Box flexDirection="column">
      <Text dimColor>
        {honour.map((a) => a.displayName).join(', ')} will offer only the ticked tools.
        {ignore.length ? ` ${ignore.map((a) => a.displayName).join(', ')} ${ignore.length === 1 ? 'has' : 'have'} no per-server tool filter: all tools stay available there.` : ''}
      </Text>
      <Box marginTop={1}>
        <MultiSelect
          items={shown.map((t) => ({ value: t.name, label: t.name, ...(t.description ? { note: t.description.slice(0, 60) } : {}) }))}
          initial={initial ?? tools.map((t) => t.name)}
          emptyMeansHighlighted={false}
          onSubmit={(ticked) => {
            const enabled = [...ticked, ...tools.slice(15).map((t) => t.name)];
            if (enabled.length === 0) return setError('Tick at least one tool (or press a to tick all).');
            onSubmit(enabled.length === tools.length ? undefined : enabled);
          }}
        />
      </Box>
      {tools.length > shown.length ? <Text dimColor>…and {tools.length - shown.length} more, left on.</Text> : null}
      {error ? <Text color="red">✘ {error}</Text> : null}
      <KeyHints hints={['Space tick/untick', 'a all/none', 'Enter continue', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
