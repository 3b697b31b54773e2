import { Box, Text, useInput } from 'ink';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { parseDiff } from '../../git/parse-diff.js';
import type { MergeOutcome } from '../../git/types.js';
import { ConfirmLine } from '../components/confirm-line.js';
import { PromptLine } from '../components/prompt-line.js';
import { SectionTitle } from '../components/section-title.js';
import { describeError } from '../describe-error.js';
import { commandFor, firstKey, keyName, listStep, type CommandId, type KeyBindings } from '../keymap.js';
import { CommitList } from '../merge/commit-list.js';
import { DiffPane } from '../merge/diff-pane.js';
import type { MergeService, OpenShell } from '../merge/merge-service.js';
import {
  branchNameProblem,
  diffCommit,
  initialMergeState,
  mergeRequest,
  pickedCommits,
  reduceMerge,
  selectedCommit,
  targetLabel,
  type MergeScreenState,
} from '../merge/merge-state.js';
import { MessageEditor } from '../merge/message-editor.js';
import { OutcomeView } from '../merge/outcome-view.js';
import { useTheme } from '../theme.js';
import type { SubScreenProps } from './allowlist-screen.js';

/** What every screen of the app gets, less the domain: this one works through its service. */
export interface MergeScreenProps extends Omit<SubScreenProps, 'domain' | 'onReview'> {
  service: MergeService;
  /** Hands the terminal to a shell in the conflict's worktree; resolves when it exits. */
  openShell: OpenShell;
  session: string;
}

/**
 * A git session's commits, brought to the host: pick them (or some of their files), read their
 * diffs, squash them, choose where they land, and land them after a yes. A conflict stops the
 * merge with three ways on: resolve in a shell, skip the commit, or abort.
 */
export function MergeScreen(props: MergeScreenProps) {
  const { service, openShell, session, bindings, width, height, active, onClose, onHelp, onQuit, say } =
    props;
  const theme = useTheme();
  const [state, dispatch] = useReducer(reduceMerge, session, initialMergeState);
  const load = useCallback(async () => {
    try {
      const [commits, branch] = await Promise.all([service.commits(), service.currentBranch()]);
      dispatch({ type: 'loaded', commits, branch });
    } catch (error) {
      say('error', describeError(error));
    }
  }, [service, say]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (state.note) say(state.note.kind, state.note.text);
  }, [state.note, say]);

  // The latest state for the calls below, which finish after later renders.
  const current = useRef(state);
  current.current = state;
  const call = (busy: string, work: () => Promise<MergeOutcome | void>) => {
    say('busy', busy);
    work()
      .then((outcome) => {
        if (!outcome) return;
        dispatch({ type: 'outcome', outcome });
        if (outcome.kind === 'landed') {
          say(
            'info',
            `Landed on ${outcome.branch}: ${outcome.commits.length} commit${outcome.commits.length === 1 ? '' : 's'}.`,
          );
          void load();
        } else {
          say('error', `${outcome.sha.slice(0, 7)} conflicts in ${outcome.files.length} files.`);
        }
      })
      .catch((error: unknown) => say('error', describeError(error)));
  };

  const bodyHeight = Math.max(3, height - 3);
  const perform = (command: CommandId | undefined) => {
    const view = state.view;
    const step = listStep(command, view === 'diff' ? bodyHeight - 2 : bodyHeight - 1);
    if (step !== undefined && view === 'diff')
      return dispatch({ type: 'diff-scroll', delta: step, height: bodyHeight - 1 });
    if (step !== undefined && view === 'list') return dispatch({ type: 'move', delta: step });
    switch (command) {
      case 'app.back':
        if (view === 'conflict')
          return say(
            'error',
            `The merge waits at a conflict: ${firstKey(bindings, 'conflict.shell')} resolve, ${firstKey(bindings, 'conflict.skip')} skip or ${firstKey(bindings, 'conflict.abort')} abort.`,
          );
        return view === 'list' ? onClose() : dispatch({ type: 'back' });
      case 'app.quit':
        return onQuit();
      case 'app.help':
        return onHelp();
      case 'merge.pick':
        return view === 'list' || view === 'diff' ? dispatch({ type: 'toggle-pick' }) : undefined;
      case 'merge.diff': {
        const commit = selectedCommit(state);
        if (view !== 'list' || !commit) return undefined;
        return void service
          .diff(commit.sha)
          .then((text) => dispatch({ type: 'diff-opened', diff: parseDiff(text) }))
          .catch((error: unknown) => say('error', describeError(error)));
      }
      case 'merge.collapse':
        return view === 'diff' ? dispatch({ type: 'diff-collapse' }) : undefined;
      case 'merge.next-file':
        return view === 'diff' ? dispatch({ type: 'diff-file', direction: 1 }) : undefined;
      case 'merge.previous-file':
        return view === 'diff' ? dispatch({ type: 'diff-file', direction: -1 }) : undefined;
      case 'merge.squash':
        return view === 'list' ? dispatch({ type: 'edit-squash' }) : undefined;
      case 'merge.target':
        return view === 'list' ? dispatch({ type: 'edit-target' }) : undefined;
      case 'merge.land':
        return view === 'list' ? dispatch({ type: 'land' }) : undefined;
      case 'conflict.shell': {
        const outcome = state.outcome;
        if (outcome?.kind !== 'conflict') return undefined;
        return void openShell(outcome.worktree)
          .then(() =>
            say(
              'info',
              `Back from the shell. ${firstKey(bindings, 'conflict.continue')} continues once it is resolved.`,
            ),
          )
          .catch((error: unknown) => say('error', describeError(error)));
      }
      case 'conflict.continue':
        return call('continuing…', () => service.continue());
      case 'conflict.skip':
        return call('skipping the commit…', () => service.skip());
      case 'conflict.abort':
        return dispatch({ type: 'ask-abort' });
      default:
        return undefined;
    }
  };

  const typing = state.question !== null || state.editing !== null;
  useInput(
    (input, key) => {
      const scope = state.view === 'conflict' ? 'merge-conflict' : 'merge';
      perform(commandFor(bindings, scope, keyName(input, key)));
    },
    { isActive: active && !typing },
  );

  const answer = (yes: boolean) => {
    const question = current.current.question;
    dispatch({ type: 'answer', yes });
    if (question?.kind === 'land') {
      if (!yes) return say('info', 'Nothing landed.');
      const request = mergeRequest(current.current);
      call('landing…', () => service.merge(request));
    } else if (question?.kind === 'abort') {
      if (!yes) return say('info', 'The merge still waits at the conflict.');
      say('busy', 'aborting…');
      service
        .abort()
        .then(() => {
          dispatch({ type: 'aborted' });
          void load();
        })
        .catch((error: unknown) => say('error', describeError(error)));
    }
  };

  return (
    <Box flexDirection="column" height={height}>
      <SectionTitle title={`MERGE ${session}`} detail={titleDetail(state)} />
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        <Body state={state} dispatch={dispatch} bindings={bindings} width={width} height={bodyHeight} />
      </Box>
      <StateLine state={state} />
      {state.question ? (
        <ConfirmLine
          message={state.question.kind === 'abort' ? 'Abort the merge? Nothing lands.' : state.question.text}
          onAnswer={answer}
        />
      ) : state.editing?.kind === 'branch' ? (
        <PromptLine
          label="new branch"
          value={state.editing.value}
          onChange={(value) => dispatch({ type: 'edit-input', value })}
          onSubmit={(value) => dispatch({ type: 'edit-done', value })}
          onCancel={() => dispatch({ type: 'edit-cancel' })}
        />
      ) : (
        <Text dimColor={theme.dim} wrap="truncate">
          {hints(state, bindings)}
        </Text>
      )}
    </Box>
  );
}

function Body({
  state,
  dispatch,
  bindings,
  width,
  height,
}: {
  state: MergeScreenState;
  dispatch: (action: Parameters<typeof reduceMerge>[1]) => void;
  bindings: KeyBindings;
  width: number;
  height: number;
}) {
  if (state.editing?.kind === 'squash') {
    return (
      <MessageEditor
        title="SQUASH MESSAGE"
        value={state.editing.value}
        height={height}
        onChange={(value) => dispatch({ type: 'edit-input', value })}
        onDone={(value) => dispatch({ type: 'edit-done', value })}
        onCancel={() => dispatch({ type: 'edit-cancel' })}
      />
    );
  }
  if ((state.view === 'outcome' || state.view === 'conflict') && state.outcome)
    return <OutcomeView outcome={state.outcome} bindings={bindings} />;
  const commit = diffCommit(state);
  if (state.view === 'diff' && state.diff && commit)
    return (
      <DiffPane
        view={state.diff}
        pick={state.picks[commit.sha]}
        applied={commit.applied}
        width={width}
        height={height}
      />
    );
  return (
    <CommitList
      commits={state.commits}
      picks={state.picks}
      selected={state.selected}
      width={width}
      height={height}
    />
  );
}

/**
 * Above the keys: where the picks land and whether they are squashed; while a question or the
 * branch name is open, what it needs said (why a file needs a second yes, what is wrong with a name).
 */
function StateLine({ state }: { state: MergeScreenState }) {
  const theme = useTheme();
  if (state.question?.kind === 'host-run')
    return (
      <Text wrap="truncate" color={theme.warn}>
        {`! ${state.question.detail}`}
      </Text>
    );
  const problem =
    state.editing?.kind === 'branch' ? branchNameProblem(state.editing.value.trim()) : undefined;
  if (problem)
    return (
      <Text wrap="truncate" color={theme.bad}>
        {problem}
      </Text>
    );
  return (
    <Text wrap="truncate">
      <Text dimColor={theme.dim}>target: </Text>
      <Text color={theme.accent}>{targetLabel(state)}</Text>
      {state.squash ? (
        <Text dimColor={theme.dim}>{` · squash into one: ${state.squash.message.split('\n')[0]}`}</Text>
      ) : null}
    </Text>
  );
}

function titleDetail(state: MergeScreenState): string {
  const commits = state.commits ?? [];
  if (state.view === 'diff') {
    const commit = diffCommit(state);
    return commit ? `${commit.sha.slice(0, 7)} ${commit.subject}` : '';
  }
  const applied = commits.filter((c) => c.applied).length;
  return `${commits.length} commits · ${pickedCommits(state).length} picked${applied ? ` · ${applied} applied` : ''} · oldest first`;
}

function hints(state: MergeScreenState, bindings: KeyBindings): string {
  const hint = (id: CommandId, text: string) => `${firstKey(bindings, id)} ${text}`;
  const back = hint('app.back', 'back');
  switch (state.view) {
    case 'diff':
      return [
        hint('merge.pick', 'pick file'),
        hint('merge.collapse', 'collapse'),
        `${firstKey(bindings, 'merge.next-file')}/${firstKey(bindings, 'merge.previous-file')} next/previous file`,
        back,
      ].join(' · ');
    case 'conflict':
      return [
        hint('conflict.shell', 'shell'),
        hint('conflict.continue', 'continue'),
        hint('conflict.skip', 'skip'),
        hint('conflict.abort', 'abort'),
      ].join(' · ');
    case 'outcome':
      return back;
    default:
      return [
        hint('merge.pick', 'pick'),
        hint('merge.diff', 'diff'),
        hint('merge.squash', 'squash'),
        hint('merge.target', 'target'),
        hint('merge.land', 'land'),
        back,
      ].join(' · ');
  }
}
