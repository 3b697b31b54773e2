import { Box, Text, useApp, useInput, useStdout, useWindowSize } from 'ink';
import { useCallback, useReducer, useRef, useState } from 'react';
import { BottomLine } from './components/bottom-line.js';
import { Header } from './components/header.js';
import { HelpOverlay } from './components/help-overlay.js';
import type { DashboardDomain } from './dashboard-domain.js';
import { describeError } from './describe-error.js';
import { useEngineData } from './hooks/use-engine-data.js';
import { useProjectAlerts } from './hooks/use-project-alerts.js';
import { usePreview } from './hooks/use-preview.js';
import { useSessionWatchers } from './hooks/use-session-watchers.js';
import { commandFor, firstKey, keyName, type CommandId, type KeyBindings } from './keymap.js';
import {
  unavailableMergeService,
  unavailableShell,
  type MergeService,
  type MergeServiceFactory,
  type OpenShell,
} from './merge/merge-service.js';
import { AllowlistScreen, type SubScreenProps } from './screens/allowlist-screen.js';
import { BridgeScreen } from './screens/bridge-screen.js';
import { CleanupScreen } from './screens/cleanup-screen.js';
import { MergeScreen } from './screens/merge-screen.js';
import { PolicyScreen } from './screens/policy-screen.js';
import { ProjectsScreen } from './screens/projects-screen.js';
import { useGitCounts } from './hooks/use-git-counts.js';
import { startInputProblem } from './start-input.js';
import {
  initialState,
  reduce,
  selectedProject,
  selectedSession,
  sessionsOf,
  type ConfirmAction,
  type DashboardState,
  type PromptPurpose,
} from './state.js';
import { useTheme } from './theme.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export interface AppProps {
  domain: DashboardDomain;
  bindings: KeyBindings;
  /** Said once in the status line at start (e.g. a problem with the key settings). */
  startupNotice?: string | undefined;
  /** Rings the terminal bell when a session needs the person. */
  bell?: boolean;
  /** The folder the dashboard was started in (symlinks resolved): its project is selected. */
  startDir?: string | undefined;
  /** Makes the merge screen's git service for a session (not available until src/git is wired). */
  mergeService?: MergeServiceFactory;
  /** Runs a shell in a folder (a conflict's worktree); the dashboard gives up the terminal meanwhile. */
  openShell?: OpenShell;
}

export function App({
  domain,
  bindings,
  startupNotice,
  bell = true,
  startDir,
  mergeService = unavailableMergeService,
  openShell = unavailableShell,
}: AppProps) {
  const { exit, suspendTerminal } = useApp();
  const { stdout } = useStdout();
  const { columns, rows } = useWindowSize();
  const theme = useTheme();
  const [state, dispatch] = useReducer(reduce, undefined, () => ({
    ...initialState(startDir ?? null),
    status: startupNotice ? { kind: 'error' as const, text: startupNotice } : null,
  }));
  const attached = useRef(false);
  /** The service of the session the merge screen is open on. */
  const [merging, setMerging] = useState<MergeService | null>(null);
  const say = useCallback(
    (kind: 'info' | 'error' | 'busy' | 'notice', text: string) =>
      dispatch({ type: 'status', status: { kind, text } }),
    [],
  );
  const run = useCallback(
    async (busy: string, work: () => Promise<string | void>) => {
      say('busy', busy);
      try {
        const done = await work();
        if (done) say('info', done);
        else dispatch({ type: 'status', status: null });
      } catch (error) {
        say('error', describeError(error));
      }
    },
    [say],
  );

  const { refresh } = useEngineData(domain, dispatch);
  const alerts = useProjectAlerts(domain, state.projects, state.selectedProject, dispatch);
  useSessionWatchers(
    domain,
    state.projects,
    dispatch,
    (text) => {
      say('notice', text);
      if (bell && !attached.current) stdout.write('\x07');
    },
    (text) => say('error', text),
  );
  const project = selectedProject(state);
  const session = selectedSession(state);
  const previewVisible = state.screen.name === 'projects' && state.overlay?.kind !== 'help';
  const preview = usePreview(
    domain,
    project && session?.running ? { projectDir: project.dir, session: session.name } : null,
    previewVisible,
  );
  useGitCounts(
    domain,
    dispatch,
    project?.dir ?? null,
    sessionsOf(state, project?.dir ?? null)
      .filter((s) => s.kind === 'git' && s.running)
      .map((s) => s.name),
    state.screen.name === 'projects',
  );

  const attach = () => {
    if (!project || !session)
      return say('error', 'No session selected: start one with ' + firstKey(bindings, 'session.start') + '.');
    if (!session.running)
      return say('error', `${session.name} has ended; its transcript: claude-tui logs ${session.name}`);
    void (async () => {
      attached.current = true;
      let outcome = '';
      try {
        await suspendTerminal(async () => {
          outcome = await domain.attachSession(project.dir, session);
        });
        say('info', outcome);
      } catch (error) {
        say('error', describeError(error));
      } finally {
        attached.current = false;
      }
    })();
  };

  const openPrompt = (purpose: PromptPurpose, label: string, value = '') =>
    dispatch({ type: 'overlay', overlay: { kind: 'prompt', purpose, label, value } });
  const confirm = (message: string, action: ConfirmAction) =>
    dispatch({ type: 'overlay', overlay: { kind: 'confirm', message, action } });

  const perform = (command: CommandId) => {
    switch (command) {
      case 'app.quit':
        return exit();
      case 'app.help':
        return dispatch({
          type: 'overlay',
          overlay: state.overlay?.kind === 'help' ? null : { kind: 'help' },
        });
      case 'app.back':
        if (state.overlay) return dispatch({ type: 'overlay', overlay: null });
        if (state.filter) return dispatch({ type: 'filter', filter: '' });
        return dispatch({ type: 'focus', focus: 'projects' });
      case 'list.up':
        return dispatch({ type: 'move', delta: -1 });
      case 'list.down':
        return dispatch({ type: 'move', delta: 1 });
      case 'list.top':
        return dispatch({ type: 'move', delta: 'top' });
      case 'list.bottom':
        return dispatch({ type: 'move', delta: 'bottom' });
      case 'list.filter':
        return openPrompt('filter', 'filter projects', state.filter);
      case 'projects.focus':
        return dispatch({ type: 'focus' });
      case 'session.attach':
        if (state.focus === 'projects' && !session) return dispatch({ type: 'focus', focus: 'sessions' });
        return attach();
      case 'session.start':
        if (!project) return say('error', 'Select a project first.');
        return openPrompt(
          'start-session',
          `start a session in ${project.name} ([--git] [NAME] [-- AGENT ARGS])`,
        );
      case 'session.stop':
        if (!project || !session) return say('error', 'No session selected.');
        return confirm(`Stop ${session.name}? The agent in it ends.`, {
          type: 'stop-session',
          projectDir: project.dir,
          name: session.name,
        });
      case 'session.merge':
        if (!project || !session) return say('error', 'No session selected.');
        if (session.kind !== 'git')
          return say('error', `${session.name}: only git sessions (start --git) have commits to merge.`);
        try {
          setMerging(mergeService(project.dir, session.name));
        } catch (error) {
          return say('error', describeError(error));
        }
        return dispatch({
          type: 'open',
          screen: { name: 'merge', projectDir: project.dir, session: session.name },
        });
      case 'project.add':
        return openPrompt('add-project', 'add a project (path)');
      case 'project.up':
        if (!project) return say('error', 'Select a project first.');
        if (project.folderMissing)
          return say(
            'error',
            `${project.dir} no longer exists; ${firstKey(bindings, 'screen.cleanup')} cleans up what ${project.name} left in Docker.`,
          );
        return void run(`bringing ${project.name} up…`, () =>
          domain.upProject(project.dir, (line) => say('busy', `${project.name}: ${line}`)),
        );
      case 'project.down':
        if (!project) return say('error', 'Select a project first.');
        return confirm(`Take ${project.name} down? Sessions end; volumes stay.`, {
          type: 'down-project',
          projectDir: project.dir,
        });
      case 'screen.allowlist':
        if (!project) return say('error', 'Select a project first.');
        return dispatch({ type: 'open', screen: { name: 'allowlist', projectDir: project.dir } });
      case 'screen.bridge':
        if (!project) return say('error', 'Select a project first.');
        return dispatch({ type: 'open', screen: { name: 'bridge', projectDir: project.dir } });
      case 'screen.cleanup':
        return dispatch({ type: 'open', screen: { name: 'cleanup' } });
      case 'screen.policy':
        if (!project) return say('error', 'Select a project first.');
        return dispatch({ type: 'open', screen: { name: 'policy', projectDir: project.dir } });
      default:
        return undefined;
    }
  };

  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const onMainScreen = state.screen.name === 'projects';
  const modal = state.overlay?.kind === 'prompt' || state.overlay?.kind === 'confirm';
  useInput(
    (input, key) => {
      const name = keyName(input, key);
      const command = commandFor(bindings, 'projects', name);
      if (tooSmall) {
        if (command === 'app.quit') exit();
        return;
      }
      if (command) perform(command);
    },
    { isActive: (onMainScreen || tooSmall) && !modal },
  );

  if (tooSmall) {
    return (
      <Box flexDirection="column" width={columns} height={rows}>
        <Text wrap="wrap" color={theme.warn}>
          {`The terminal is ${columns}x${rows}; the dashboard needs at least ${MIN_COLUMNS}x${MIN_ROWS}. Make the window larger, or press q to quit.`}
        </Text>
      </Box>
    );
  }

  const bodyHeight =
    rows -
    2 -
    (state.engineDown ? 1 : 0) -
    (state.overlay?.kind === 'prompt' && promptProblem(state) ? 1 : 0);
  const close = () => {
    if (state.screen.name === 'policy' || state.screen.name === 'allowlist')
      alerts.readNow(state.screen.projectDir);
    dispatch({ type: 'open', screen: { name: 'projects' } });
    refresh();
  };
  const subScreen: SubScreenProps = {
    domain,
    bindings,
    width: columns,
    height: bodyHeight,
    active: !state.overlay,
    onClose: close,
    onHelp: () => dispatch({ type: 'overlay', overlay: { kind: 'help' } }),
    onQuit: () => exit(),
    onReview: (projectDir) => dispatch({ type: 'open', screen: { name: 'policy', projectDir } }),
    say,
  };
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Header state={state} bindings={bindings} />
      {state.engineDown ? (
        <Text wrap="truncate" inverse color={theme.bad}>
          {` Docker Engine unreachable: ${state.engineDown} Reconnecting… `}
        </Text>
      ) : null}
      <Box height={bodyHeight} flexDirection="column" overflow="hidden">
        {state.overlay?.kind === 'help' ? (
          <HelpOverlay bindings={bindings} width={columns} height={bodyHeight} />
        ) : state.screen.name === 'allowlist' ? (
          <AllowlistScreen {...subScreen} projectDir={state.screen.projectDir} />
        ) : state.screen.name === 'bridge' ? (
          <BridgeScreen {...subScreen} projectDir={state.screen.projectDir} />
        ) : state.screen.name === 'policy' ? (
          <PolicyScreen {...subScreen} projectDir={state.screen.projectDir} />
        ) : state.screen.name === 'merge' && merging ? (
          <MergeScreen
            {...subScreen}
            service={merging}
            session={state.screen.session}
            openShell={(dir) => suspendTerminal(() => openShell(dir))}
          />
        ) : state.screen.name === 'cleanup' ? (
          <CleanupScreen {...subScreen} />
        ) : (
          <ProjectsScreen
            state={state}
            preview={preview}
            width={columns}
            height={bodyHeight}
            reviewKey={firstKey(bindings, 'screen.policy')}
            mergeKey={firstKey(bindings, 'session.merge')}
          />
        )}
      </Box>
      <BottomLine state={state} bindings={bindings} dispatch={dispatch} run={run} domain={domain} say={say} />
    </Box>
  );
}

function promptProblem(state: DashboardState): string | undefined {
  if (state.overlay?.kind !== 'prompt') return undefined;
  if (state.overlay.purpose === 'start-session') return startInputProblem(state.overlay.value);
  return undefined;
}
