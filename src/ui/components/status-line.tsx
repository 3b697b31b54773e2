import { Text } from 'ink';
import type { StatusMessage } from '../state.js';
import { useTheme } from '../theme.js';

/** The bottom line: the last message (errors in red), otherwise the keys worth knowing here. */
export function StatusLine({ status, hints }: { status: StatusMessage | null; hints: string }) {
  const theme = useTheme();
  if (!status) {
    return (
      <Text wrap="truncate" dimColor={theme.dim}>
        {hints}
      </Text>
    );
  }
  const colour =
    status.kind === 'error'
      ? theme.bad
      : status.kind === 'notice'
        ? theme.warn
        : status.kind === 'busy'
          ? theme.accent
          : undefined;
  const prefix =
    status.kind === 'error' ? '✗ ' : status.kind === 'busy' ? '… ' : status.kind === 'notice' ? '● ' : '';
  return (
    <Text wrap="truncate" color={colour}>
      {prefix}
      {status.text}
    </Text>
  );
}
