import { Box, Text, useInput } from 'ink';
import { useTheme } from '../theme.js';

/**
 * A one-line text field at the bottom of the screen. While it is open it owns the keyboard;
 * `problem` is shown as the person types (validation as you type).
 */
export function PromptLine({
  label,
  value,
  problem,
  onChange,
  onSubmit,
  onCancel,
}: {
  label: string;
  value: string;
  problem?: string | undefined;
  onChange: (value: string) => void;
  onSubmit: (value: string) => void;
  onCancel: () => void;
}) {
  const theme = useTheme();
  useInput((input, key) => {
    if (key.return) onSubmit(value);
    else if (key.escape) onCancel();
    else if (key.backspace || key.delete) onChange(value.slice(0, -1));
    else if (key.ctrl && input === 'u') onChange('');
    else if (input && !key.ctrl && !key.meta && !key.tab) {
      // Fast typing or a paste arrives as one read: an Enter inside it still submits.
      const end = input.search(/[\r\n]/);
      if (end < 0) return onChange(value + input);
      onChange(value + input.slice(0, end));
      onSubmit(value + input.slice(0, end));
    }
  });
  return (
    <Box flexDirection="column">
      {problem ? (
        <Text wrap="truncate" color={theme.bad}>
          {`  ${problem}`}
        </Text>
      ) : null}
      <Text wrap="truncate">
        <Text bold color={theme.accent}>{`${label}: `}</Text>
        {value}
        <Text inverse> </Text>
        <Text dimColor={theme.dim}>{'  enter ok · escape cancel'}</Text>
      </Text>
    </Box>
  );
}
