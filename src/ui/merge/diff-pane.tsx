import { Box, Text } from 'ink';
import { LineKind } from '../../git/parse-diff.js';
import { useTheme, type Theme } from '../theme.js';
import { currentFile, rowCount, visibleRows, type DiffViewState } from './diff-view.js';
import type { Pick } from './merge-state.js';
import { visibleText } from '../../system/visible-text.js';

/**
 * The window of a commit's diff that fits: file headers (with the file's pick and why it runs on
 * the host) and coloured lines cut to the width. Only these rows become elements.
 */
export function DiffPane({
  view,
  pick,
  applied,
  width,
  height,
}: {
  view: DiffViewState;
  pick: Pick | undefined;
  applied: boolean;
  width: number;
  height: number;
}) {
  const theme = useTheme();
  const { diff } = view;
  const total = rowCount(view);
  const current = currentFile(view);
  const position = current === undefined ? 0 : view.order.indexOf(current) + 1;
  const rows = visibleRows(view, height - 1);
  const mark = (path: string) =>
    applied ? '[=]' : !pick ? '[ ]' : !pick.files || pick.files.includes(path) ? '[x]' : '[ ]';
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate" dimColor={theme.dim}>
        {`file ${position} of ${view.order.length} · rows ${Math.min(total, view.top + 1)}-${Math.min(total, view.top + rows.length)} of ${total}`}
      </Text>
      {rows.map((row, i) => {
        if (row.kind === 'gap') return <Text key={i}> </Text>;
        const file = diff.files[row.file]!;
        if (row.kind === 'entry') {
          const reason = view.hostRun[row.file];
          return (
            <Text key={i} wrap="truncate">
              {`  ${mark(file.path)} ${safe(file.path)}  `}
              <Text color={theme.good}>{`+${file.added}`}</Text>{' '}
              <Text color={theme.bad}>{`-${file.removed}`}</Text>
              {reason ? <Text color={theme.warn}>{`  ! runs on the host: ${reason}`}</Text> : null}
            </Text>
          );
        }
        if (row.kind === 'file') {
          const reason = view.hostRun[row.file];
          const folded = view.collapsed.includes(row.file) ? '▸' : '▾';
          const rename = file.oldPath ? `${safe(file.oldPath)} → ` : '';
          const stat = file.binary ? 'binary' : `+${file.added} -${file.removed}`;
          return (
            <Text key={i} wrap="truncate" bold inverse={row.file === current && i === 0}>
              {`${folded} ${mark(file.path)} ${rename}${safe(file.path)}`}
              {/* Before the stat: at 80 columns the reason is what must not be cut. */}
              {reason ? <Text color={theme.warn}>{`  ! runs on the host: ${reason}`}</Text> : null}
              {` (${file.status}, ${stat})`}
            </Text>
          );
        }
        const kind = diff.kinds[row.line] as LineKind;
        return (
          <Text key={i} wrap="truncate" color={lineColour(theme, kind)}>
            {shown(diff.lines[row.line]!, width) || ' '}
          </Text>
        );
      })}
    </Box>
  );
}

/**
 * A diff line as the terminal can show it: tabs as spaces, control bytes (which would move the
 * cursor or worse: the agent wrote them) made visible, cut to the width.
 */
function shown(line: string, width: number): string {
  return visibleText(line.slice(0, width * 2).replaceAll('\t', '    '), { oneLine: true }).slice(0, width);
}

const safe = (text: string) => visibleText(text, { oneLine: true });

function lineColour(theme: Theme, kind: LineKind): string | undefined {
  switch (kind) {
    case LineKind.added:
      return theme.good;
    case LineKind.removed:
      return theme.bad;
    case LineKind.hunk:
      return theme.accent;
    default:
      return undefined;
  }
}
