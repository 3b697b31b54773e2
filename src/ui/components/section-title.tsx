import { Text } from 'ink';
import { useTheme } from '../theme.js';

export function SectionTitle({ title, detail }: { title: string; detail?: string }) {
  const theme = useTheme();
  return (
    <Text wrap="truncate" bold color={theme.accent}>
      {title}
      {detail ? <Text bold={false} dimColor={theme.dim}>{`  ${detail}`}</Text> : null}
    </Text>
  );
}
