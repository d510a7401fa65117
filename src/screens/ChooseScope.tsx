import { Box } from 'ink';
import SelectInput from 'ink-select-input';
import type { ClientAdapter, Scope } from '../services/clients/types.js';
import { KeyHints } from '../ui/KeyHints.js';

const SCOPE_LABELS: Record<Scope, string> = {
  user: 'Just me, in every project (user)',
  project: 'Everyone working in this project: a file you can commit (project)',
  local: 'Just me, only in this project (local)',
};

export function ChooseScope({ adapters, cwd, onChoose }: { adapters: ClientAdapter[]; cwd: string; onChoose: (scope: Scope) => void }) {
  const scopes = (['user', 'project', 'local'] as const).filter((s) => adapters.every((a) => a.scopes.includes(s)));
  const items = scopes.map((scope) => ({ key: scope, value: scope, label: scope === 'user' ? SCOPE_LABELS.user : `${SCOPE_LABELS[scope]} · ${cwd}` }));
  return (
    <Box flexDirection="column">
      <SelectInput items={items} onSelect={(item) => onChoose(item.value)} />
      <KeyHints hints={['↑↓ move', 'Enter choose', 'Esc back', 'Ctrl+C quit']} />
    </Box>
  );
}
