import { Box, Text } from 'ink';
import { helpSections, type KeyBindings } from '../keymap.js';
import { useTheme } from '../theme.js';

type HelpLine = { title: string } | { keys: string; description: string };

/** Room for the longest default keys ("q ctrl+c") and a space. */
const KEYS_WIDTH = 12;
/** Border, padding and the gap between columns. */
const FRAME = 4;
const GAP = 4;

/**
 * Generated from the key table, so it always says what the keys really do. The table is laid out
 * in as few columns as fit the height, each as wide as the width allows; a long description goes
 * on over more lines rather than pushing a column off the screen.
 */
export function HelpOverlay({
  bindings,
  width,
  height,
}: {
  bindings: KeyBindings;
  width: number;
  height: number;
}) {
  const theme = useTheme();
  const { columns, columnWidth } = helpLayout(bindings, width, Math.max(4, height - 3));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1} height={height} overflow="hidden">
      <Text bold color={theme.accent}>
        Keys <Text dimColor={theme.dim}>(? or escape closes; rebind with "keys" in the app settings)</Text>
      </Text>
      <Box flexDirection="row" columnGap={GAP}>
        {columns.map((column, c) => (
          <Box key={c} flexDirection="column" width={columnWidth} flexShrink={0}>
            {column.map((line, i) =>
              'title' in line ? (
                <Text key={i} bold wrap="truncate">
                  {line.title}
                </Text>
              ) : (
                <Text key={i} wrap="truncate">
                  <Text color={theme.accent}>{line.keys.padEnd(KEYS_WIDTH)}</Text>
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

/** The fewest columns that hold every line at this height (as many as fit the width at most). */
export function helpLayout(
  bindings: KeyBindings,
  width: number,
  perColumn: number,
): { columns: HelpLine[][]; columnWidth: number } {
  const inner = Math.max(20, width - FRAME);
  let layout = { columns: [] as HelpLine[][], columnWidth: inner };
  for (let count = 1; count <= 4; count++) {
    const columnWidth = Math.floor((inner - GAP * (count - 1)) / count);
    if (columnWidth < KEYS_WIDTH + 16) break;
    const lines = helpLines(bindings, columnWidth - KEYS_WIDTH);
    layout = { columns: chunk(lines, perColumn), columnWidth };
    if (layout.columns.length <= count) return layout;
  }
  return layout;
}

function helpLines(bindings: KeyBindings, descriptionWidth: number): HelpLine[] {
  return helpSections(bindings).flatMap((section) => [
    { title: section.title },
    ...section.rows.flatMap((row) =>
      wrapWords(row.description, descriptionWidth).map((part, i) => ({
        keys: i === 0 ? row.keys : '',
        description: part,
      })),
    ),
  ]);
}

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
