import type { Dispatch } from 'react';
import type { DashboardDomain } from '../dashboard-domain.js';
import { describeError } from '../describe-error.js';
import { firstKey, type CommandId, type KeyBindings } from '../keymap.js';
import { parseStartInput, startInputProblem } from '../start-input.js';
import type { Action, DashboardState } from '../state.js';
import { ConfirmLine } from './confirm-line.js';
import { PromptLine } from './prompt-line.js';
import { StatusLine } from './status-line.js';

/**
 * The bottom line: the prompt or the yes/no question of an overlay, which it carries out when
 * answered, or else the status line with the keys of the screen.
 */
export function BottomLine({
  state,
  bindings,
  dispatch,
  run,
  domain,
  say,
}: {
  state: DashboardState;
  bindings: KeyBindings;
  dispatch: Dispatch<Action>;
  run: (busy: string, work: () => Promise<string | void>) => Promise<void>;
  domain: DashboardDomain;
  say: (kind: 'info' | 'error' | 'busy' | 'notice', text: string) => void;
}) {
  const overlay = state.overlay;
  const closeOverlay = () => dispatch({ type: 'overlay', overlay: null });
  if (overlay?.kind === 'prompt') {
    const submit = (value: string) => {
      closeOverlay();
      if (overlay.purpose === 'filter') return;
      if (overlay.purpose === 'add-project') {
        void run('adding the project…', async () => {
          const dir = await domain.addProject(value.trim());
          dispatch({ type: 'select-project', projectDir: dir });
          return `Added ${dir}. ${firstKey(bindings, 'project.up')} brings it up.`;
        });
        return;
      }
      const project = state.selectedProject;
      if (!project) return;
      let request: { name?: string; agentArgs: string[] };
      try {
        request = parseStartInput(value);
      } catch (error) {
        say('error', describeError(error));
        return;
      }
      void run('starting the session…', async () => {
        const name = await domain.startSession(project, request);
        return `Started ${name}. ${firstKey(bindings, 'session.attach')} attaches (select it with tab).`;
      });
    };
    return (
      <PromptLine
        label={overlay.label}
        value={overlay.value}
        problem={overlay.purpose === 'start-session' ? startInputProblem(overlay.value) : undefined}
        onChange={(value) => {
          dispatch({ type: 'prompt-input', value });
          if (overlay.purpose === 'filter') dispatch({ type: 'filter', filter: value });
        }}
        onSubmit={submit}
        onCancel={() => {
          if (overlay.purpose === 'filter') dispatch({ type: 'filter', filter: '' });
          closeOverlay();
        }}
      />
    );
  }
  if (overlay?.kind === 'confirm') {
    return (
      <ConfirmLine
        message={overlay.message}
        onAnswer={(yes) => {
          closeOverlay();
          if (!yes) return say('info', 'Nothing was changed.');
          const action = overlay.action;
          if (action.type === 'stop-session') {
            void run(`stopping ${action.name}…`, async () => {
              await domain.stopSession(action.projectDir, action.name);
              return `Stopped ${action.name}.`;
            });
          } else {
            void run('taking the project down…', async () => {
              await domain.downProject(action.projectDir);
              return 'The project is down; its volumes stay.';
            });
          }
        }}
      />
    );
  }
  const hint = (id: CommandId, text: string) => `${firstKey(bindings, id)} ${text}`;
  const hints =
    state.screen.name === 'projects'
      ? [
          hint('session.attach', 'attach'),
          hint('session.start', 'start'),
          hint('session.stop', 'stop'),
          hint('projects.focus', 'switch'),
          hint('project.up', 'up'),
          hint('project.down', 'down'),
          hint('project.add', 'add'),
          hint('screen.allowlist', 'allowlist'),
          hint('screen.cleanup', 'cleanup'),
          hint('list.filter', 'filter'),
          hint('screen.bridge', 'sidecars'),
        ].join(' · ')
      : '';
  return <StatusLine status={state.status} hints={hints} />;
}
