import { useRef, useState } from 'react';
import { Box, Text } from 'ink';
import TextInput from 'ink-text-input';

/**
 * One line of text with a "›" prompt. A pasted line arrives as text + Enter in one burst, before
 * React re-renders, and ink-text-input hands onSubmit its stale `value` prop: we submit what was
 * really typed, kept in a ref.
 */
export function LineInput({
  initial = '',
  placeholder,
  onChange,
  onSubmit,
  clearOnSubmit = false,
}: {
  initial?: string;
  placeholder?: string;
  onChange?: (value: string) => void;
  onSubmit: (value: string) => void;
  clearOnSubmit?: boolean;
}) {
  const [value, setValue] = useState(initial);
  const latest = useRef(initial);
  return (
    <Box>
      <Text color="cyan">› </Text>
      <TextInput
        value={value}
        {...(placeholder ? { placeholder } : {})}
        onChange={(next) => {
          latest.current = next;
          setValue(next);
          onChange?.(next);
        }}
        onSubmit={() => {
          const submitted = latest.current;
          if (clearOnSubmit) {
            latest.current = '';
            setValue('');
          }
          onSubmit(submitted);
        }}
      />
    </Box>
  );
}
