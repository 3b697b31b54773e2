import { Box, Text } from 'ink';
import { helpSections, type KeyBindings } from '../keymap.js';
import { useTheme } from '../theme.js';

/** Generated from the key table, so it always says what the keys really do. */
export function HelpOverlay({ bindings, height }: { bindings: KeyBindings; height: number }) {
  const theme = useTheme();
  const lines = helpSections(bindings).flatMap((section) => [
    { title: section.title },
    ...section.rows.map((row) => ({ keys: row.keys, description: row.description })),
  ]);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={height} overflow="hidden">
      <Text bold color={theme.accent}>
        Keys <Text dimColor={theme.dim}>(? or escape closes; rebind with "keys" in the app settings)</Text>
      </Text>
      <Box flexDirection="row" flexWrap="wrap" columnGap={4}>
        {chunk(lines, Math.max(4, height - 3)).map((column, c) => (
          <Box key={c} flexDirection="column">
            {column.map((line, i) =>
              'title' in line ? (
                <Text key={i} bold>
                  {line.title}
                </Text>
              ) : (
                <Text key={i} wrap="truncate">
                  <Text color={theme.accent}>{line.keys.padEnd(12)}</Text>
                  {line.description}
                </Text>
              ),
            )}
          </Box>
        ))}
      </Box>
    </Box>
  );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
