import { Box, Text } from 'ink';
import type { MergeOutcome } from '../../git/types.js';
import { firstKey, type KeyBindings } from '../keymap.js';
import { useTheme } from '../theme.js';
import { visibleText } from '../../system/visible-text.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a merge did: where it landed and what it skipped, or the conflict and the ways on. */
export function OutcomeView({ outcome, bindings }: { outcome: MergeOutcome; bindings: KeyBindings }) {
  const theme = useTheme();
  if (outcome.kind === 'landed') {
    return (
      <Box flexDirection="column">
        <Text color={theme.good} bold wrap="truncate">
          {`${outcome.dryRun ? 'Would land' : 'Landed'} on ${outcome.branch}: ${plural(outcome.commits.length, 'commit')}${outcome.skipped.length ? `, ${outcome.skipped.length} skipped (already on it)` : ''}`}
        </Text>
        {outcome.commits.map((sha) => (
          <Text key={sha} wrap="truncate">{`  new ${sha.slice(0, 12)}`}</Text>
        ))}
        {outcome.skipped.map((sha) => (
          <Text key={sha} dimColor={theme.dim} wrap="truncate">{`  skipped ${sha.slice(0, 12)}`}</Text>
        ))}
        <Text dimColor={theme.dim}>{`${firstKey(bindings, 'app.back')} back to the commits`}</Text>
      </Box>
    );
  }
  const key = (id: Parameters<typeof firstKey>[1]) => firstKey(bindings, id);
  return (
    <Box flexDirection="column">
      <Text color={theme.bad} bold wrap="truncate">
        {`Conflict: ${outcome.sha.slice(0, 7)} ${visibleText(outcome.subject, { oneLine: true })} does not apply`}
      </Text>
      <Text wrap="truncate">{`Files with conflicts (${outcome.files.length}):`}</Text>
      {outcome.files.map((file) => (
        <Text
          key={file}
          color={theme.warn}
          wrap="truncate"
        >{`  ${visibleText(file, { oneLine: true })}`}</Text>
      ))}
      <Text wrap="truncate">{`Resolve them in ${outcome.worktree}`}</Text>
      <Text> </Text>
      <Text wrap="truncate">{`${key('conflict.shell')}  open a shell there; then ${key('conflict.continue')} continues with the picks left`}</Text>
      <Text wrap="truncate">{`${key('conflict.skip')}  skip this commit and go on`}</Text>
      <Text wrap="truncate">{`${key('conflict.abort')}  abort: nothing lands, the branch stays as it was`}</Text>
    </Box>
  );
}
