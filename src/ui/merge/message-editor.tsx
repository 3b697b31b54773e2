import { Box, Text, useInput } from 'ink';
import { useTheme } from '../theme.js';

/**
 * A small multi-line text field for a commit message: enter starts a new line, ctrl+s keeps the
 * message, escape drops the edit. The last lines that fit are shown.
 */
export function MessageEditor({
  title,
  value,
  height,
  onChange,
  onDone,
  onCancel,
}: {
  title: string;
  value: string;
  height: number;
  onChange: (value: string) => void;
  onDone: (value: string) => void;
  onCancel: () => void;
}) {
  const theme = useTheme();
  useInput((input, key) => {
    if (key.ctrl && input === 's') onDone(value);
    else if (key.escape) onCancel();
    else if (key.return) onChange(`${value}\n`);
    else if (key.backspace || key.delete) onChange(value.slice(0, -1));
    else if (input && !key.ctrl && !key.meta && !key.tab) onChange(value + input.replace(/\r\n?/g, '\n'));
  });
  const lines = value.split('\n');
  const shown = lines.slice(Math.max(0, lines.length - (height - 2)));
  return (
    <Box flexDirection="column" height={height}>
      <Text bold color={theme.accent} wrap="truncate">
        {title}
        <Text bold={false} dimColor={theme.dim}>
          {'  enter new line · ctrl+s keep · escape cancel · an empty message turns squash off'}
        </Text>
      </Text>
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line}
          {i === shown.length - 1 ? <Text inverse> </Text> : null}
        </Text>
      ))}
    </Box>
  );
}
