import { Box, Text } from 'ink';
import { firstKey, type KeyBindings } from '../keymap.js';
import { needsReview, type DashboardState } from '../state.js';
import { useTheme } from '../theme.js';

/** The top line: where you are, how many projects are up, what needs you, and the two keys to know. */
export function Header({ state, bindings }: { state: DashboardState; bindings: KeyBindings }) {
  const theme = useTheme();
  const up = state.projects.filter((p) => p.state === 'up').length;
  const screen =
    state.screen.name === 'policy'
      ? 'policy review'
      : state.screen.name === 'merge'
        ? `merge ${state.screen.session}`
        : state.screen.name;
  const toReview = state.projects.filter((p) => needsReview(state.alerts[p.dir])).length;
  return (
    <Box justifyContent="space-between">
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          claude-tui
        </Text>
        <Text
          dimColor={theme.dim}
        >{` ${screen} · ${state.projects.length} ${state.projects.length === 1 ? 'project' : 'projects'}, ${up} up`}</Text>
        {state.attention.length ? (
          <Text color={theme.warn}>{` · ${state.attention.length} need you`}</Text>
        ) : null}
        {toReview ? (
          <Text
            color={theme.warn}
          >{` · ${toReview} to review (${firstKey(bindings, 'screen.policy')})`}</Text>
        ) : null}
      </Text>
      <Text
        dimColor={theme.dim}
      >{`${firstKey(bindings, 'app.help')} help · ${firstKey(bindings, 'app.quit')} quit`}</Text>
    </Box>
  );
}
