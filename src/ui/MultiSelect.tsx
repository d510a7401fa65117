import { useReducer } from 'react';
import { Box, Text, useInput } from 'ink';

export interface MultiSelectItem<V extends string> {
  value: V;
  label: string;
  note?: string;
}

/**
 * ↑↓ move, Space ticks, Enter confirms. Enter with nothing ticked takes the highlighted item,
 * so the common single choice is still one keystroke.
 */
type Action = 'up' | 'down' | 'toggle' | 'all';

export function MultiSelect<V extends string>({
  items,
  onSubmit,
  initial = [],
  emptyMeansHighlighted = true,
}: {
  items: MultiSelectItem<V>[];
  onSubmit: (values: V[]) => void;
  initial?: V[];
  /** Enter with nothing ticked takes the highlighted item (else it submits nothing). */
  emptyMeansHighlighted?: boolean;
}) {
  // One reducer for cursor and ticks: keys typed faster than React re-renders (a paste, a
  // quick "↓ ↓ Space") must each see the state the previous key left.
  const [{ cursor, ticked }, dispatch] = useReducer(
    (state: { cursor: number; ticked: ReadonlySet<V> }, action: Action) => {
      const n = items.length;
      if (action === 'up') return { ...state, cursor: (state.cursor - 1 + n) % n };
      if (action === 'down') return { ...state, cursor: (state.cursor + 1) % n };
      // "a" ticks everything, or clears everything when all are ticked.
      if (action === 'all') return { ...state, ticked: state.ticked.size === n ? new Set<V>() : new Set(items.map((i) => i.value)) };
      const value = items[state.cursor]?.value;
      if (value === undefined) return state;
      const next = new Set(state.ticked);
      if (next.has(value)) next.delete(value);
      else next.add(value);
      return { ...state, ticked: next };
    },
    { cursor: 0, ticked: new Set(initial) },
  );
  useInput((input, key) => {
    if (key.upArrow) dispatch('up');
    else if (key.downArrow) dispatch('down');
    else if (input === ' ') dispatch('toggle');
    else if (input === 'a' && !emptyMeansHighlighted) dispatch('all');
    else if (key.return) {
      const chosen = items.filter((i) => ticked.has(i.value)).map((i) => i.value);
      const fallback = items[cursor]?.value;
      onSubmit(chosen.length > 0 || !emptyMeansHighlighted ? chosen : fallback !== undefined ? [fallback] : []);
    }
  });
  return (
    <Box flexDirection="column">
      {items.map((item, index) => {
        const active = index === cursor;
        const on = ticked.has(item.value);
        return (
          <Text key={item.value} color={active ? 'cyan' : undefined}>
            {active ? '❯ ' : '  '}
            {on ? '◉' : '◯'} {item.label}
            {item.note ? <Text color="green">  {item.note}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
