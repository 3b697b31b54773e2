import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { Sidecar, UnreachedTarget } from '../../bridge/sidecars.js';
import {
  callAge,
  callKind,
  callOutcome,
  formatDuration,
  networkLine,
  sidecarCommands,
} from '../../app/describe-bridge.js';
import { ListView } from '../components/list-view.js';
import { SectionTitle } from '../components/section-title.js';
import { useProjectBridge } from '../hooks/use-project-bridge.js';
import { commandFor, firstKey, keyName, listStep } from '../keymap.js';
import { stateColour, useTheme } from '../theme.js';
import type { SubScreenProps } from './allowlist-screen.js';
import { useNow } from '../hooks/use-now.js';

type Pane = 'sidecars' | 'calls';
type SidecarRow = { kind: 'sidecar'; sidecar: Sidecar } | { kind: 'unreached'; target: UnreachedTarget };

/** Ages move on by themselves: a redraw this often keeps them true. */
const AGES_EVERY_MS = 5000;

/**
 * What the project reaches besides the internet: the Docker networks its gateway joins, the
 * compose project's containers with the bridge commands mapped to each (a service no command
 * reaches shows as not bridged), and the bridge's recent calls, all as approved and kept current
 * while the screen is open.
 */
export function BridgeScreen({
  domain,
  bindings,
  projectDir,
  height,
  width,
  active,
  onClose,
  onHelp,
  onQuit,
}: SubScreenProps & { projectDir: string }) {
  const theme = useTheme();
  const { view, calls, error } = useProjectBridge(domain, projectDir);
  const [pane, setPane] = useState<Pane>('sidecars');
  const [index, setIndex] = useState({ sidecars: 0, calls: 0 });
  const now = useNow(AGES_EVERY_MS);
  const sidecars = view?.sidecars;
  const rows: SidecarRow[] = [
    ...(sidecars?.sidecars ?? []).map((sidecar) => ({ kind: 'sidecar' as const, sidecar })),
    ...(sidecars?.unreached ?? []).map((target) => ({ kind: 'unreached' as const, target })),
  ];
  const networks = view?.networks ?? [];
  const networkRows = Math.max(1, Math.min(networks.length, 4));
  const listsHeight = height - 1 - (1 + networkRows) - 2;
  const sidecarRows = sidecars ? Math.max(2, Math.min(rows.length + 1, Math.floor(listsHeight / 2))) : 1;
  const callRows = Math.max(2, listsHeight - sidecarRows);

  const move = (delta: number | 'top' | 'bottom') => {
    const count = pane === 'sidecars' ? rows.length : calls.length;
    setIndex((i) => {
      const at = i[pane];
      const next =
        delta === 'top' ? 0 : delta === 'bottom' ? count - 1 : Math.max(0, Math.min(count - 1, at + delta));
      return { ...i, [pane]: Math.max(0, next) };
    });
  };
  useInput(
    (input, key) => {
      const command = commandFor(bindings, 'bridge', keyName(input, key));
      const step = listStep(command, Math.max(1, (pane === 'sidecars' ? sidecarRows : callRows) - 1));
      if (step !== undefined) return move(step);
      switch (command) {
        case 'app.back':
          return onClose();
        case 'app.quit':
          return onQuit();
        case 'app.help':
          return onHelp();
        case 'bridge.switch':
          return setPane((p) => (p === 'sidecars' && calls.length ? 'calls' : 'sidecars'));
        default:
          return undefined;
      }
    },
    { isActive: active },
  );

  const reached = sidecars?.sidecars.filter((s) => s.commands.length).length ?? 0;
  const switchHint = `${firstKey(bindings, 'bridge.switch')} switches`;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text wrap="truncate">
        <Text bold>{projectDir}</Text>
        {error ? <Text color={theme.bad}>{`  ${error}`}</Text> : view ? null : '  reading…'}
      </Text>
      <SectionTitle
        title="NETWORKS"
        detail={`${networks.length} joined · networks: in .claude/claude-tui.yaml, as approved`}
      />
      <Box flexDirection="column" height={networkRows}>
        {networks.length ? (
          networks.slice(0, networkRows).map((n) => (
            <Text key={n.name} wrap="truncate" color={n.exists ? undefined : theme.warn}>
              {`  ${networkLine(n)}`}
            </Text>
          ))
        ) : (
          <Text dimColor wrap="truncate">
            {'  none: a line `networks: [NAME]` in .claude/claude-tui.yaml joins a compose project’s network'}
          </Text>
        )}
      </Box>
      <SectionTitle
        title="SIDECARS"
        detail={
          sidecars
            ? `compose project ${sidecars.composeProject} · ${sidecars.sidecars.length} containers, ${reached} bridged · ${switchHint}`
            : ''
        }
      />
      {sidecars ? (
        <ListView
          items={rows}
          selectedIndex={Math.min(index.sidecars, rows.length - 1)}
          height={sidecarRows}
          focused={pane === 'sidecars'}
          empty={`no container carries com.docker.compose.project=${sidecars.composeProject}: is the compose project up?`}
          row={(row) =>
            row.kind === 'sidecar' ? <SidecarLine sidecar={row.sidecar} /> : <Unreached target={row.target} />
          }
        />
      ) : (
        <Text dimColor wrap="truncate">
          {view
            ? '  no command bridge: .claude/bridge.yaml maps commands to a compose project’s containers'
            : ''}
        </Text>
      )}
      <SectionTitle title="RECENT CALLS" detail={calls.length ? `${calls.length} · newest first` : ''} />
      <ListView
        items={calls}
        selectedIndex={Math.min(index.calls, calls.length - 1)}
        height={callRows}
        focused={pane === 'calls'}
        empty={view ? 'no calls yet' : ''}
        row={(call) => {
          const kind = callKind(call);
          const colour = kind === 'ok' ? theme.good : kind === 'failed' ? theme.bad : theme.warn;
          return (
            <>
              {`${call.command.padEnd(14)} `}
              <Text color={colour}>{callOutcome(call).padEnd(11)}</Text>
              {` ${formatDuration(call.durationMs).padStart(7)} `}
              <Text dimColor={theme.dim}>{`  ${callAge(call, now).padEnd(8)}`}</Text>
              {call.refused ? <Text color={colour}>{` ${call.refused}`}</Text> : null}
            </>
          );
        }}
      />
    </Box>
  );
}

function SidecarLine({ sidecar }: { sidecar: Sidecar }) {
  const theme = useTheme();
  const bridged = sidecar.commands.length > 0;
  return (
    <Text dimColor={!bridged && theme.dim}>
      {(sidecar.service ?? '-').padEnd(14)}
      {sidecar.container.padEnd(28)}
      <Text color={stateColour(theme, sidecar.state === 'running' ? 'up' : sidecar.state)}>
        {sidecar.state.padEnd(11)}
      </Text>
      {sidecarCommands(sidecar)}
    </Text>
  );
}

function Unreached({ target }: { target: UnreachedTarget }) {
  const theme = useTheme();
  return (
    <Text color={theme.warn}>
      {target.name.padEnd(14)}
      {target.target.padEnd(28)}
      {'missing'.padEnd(11)}
      {`${target.commands.join(', ')} cannot run`}
    </Text>
  );
}
