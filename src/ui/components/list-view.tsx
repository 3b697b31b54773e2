import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { listWindow } from './list-window.js';

/**
 * A list that shows the rows around the selected one, with a count when some are hidden. Rows are
 * rendered by the caller; the selected row is drawn in inverse video when the list has the focus.
 */
export function ListView<T>({
  items,
  selectedIndex,
  height,
  focused,
  empty,
  row,
}: {
  items: readonly T[];
  selectedIndex: number;
  height: number;
  focused: boolean;
  empty: string;
  row: (item: T, selected: boolean) => ReactNode;
}) {
  if (!items.length) {
    return (
      <Box height={Math.max(1, height)}>
        <Text dimColor wrap="truncate">{`  ${empty}`}</Text>
      </Box>
    );
  }
  const rows = Math.max(1, height - (items.length > height ? 1 : 0));
  const { start, end } = listWindow(items.length, selectedIndex, rows);
  return (
    <Box flexDirection="column" height={Math.max(1, height)}>
      {items.slice(start, end).map((item, i) => {
        const selected = start + i === selectedIndex;
        return (
          <Text key={start + i} wrap="truncate" inverse={selected && focused} bold={selected}>
            {selected ? '› ' : '  '}
            {row(item, selected)}
          </Text>
        );
      })}
      {items.length > rows ? (
        <Text dimColor wrap="truncate">{`  ${start + 1}-${end} of ${items.length}`}</Text>
      ) : null}
    </Box>
  );
}
