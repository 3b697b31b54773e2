import { ago } from '../../session/describe-session.js';
import { Box, Text, useInput } from 'ink';
import { useCallback, useEffect, useState } from 'react';
import { parseEntry } from '../../firewall/allowlist.js';
import { describePending } from '../../policy/describe-pending.js';
import type { AllowlistView } from '../../app/describe-allowlist.js';
import type { RefusedEntry } from '../../firewall/gateway-control.js';
import { ConfirmLine } from '../components/confirm-line.js';
import { ListView } from '../components/list-view.js';
import { PromptLine } from '../components/prompt-line.js';
import { SectionTitle } from '../components/section-title.js';
import type { DashboardDomain } from '../dashboard-domain.js';
import { describeError } from '../describe-error.js';
import { commandFor, firstKey, keyName, listStep, type KeyBindings } from '../keymap.js';
import { stateColour, useTheme } from '../theme.js';

type Pane = 'entries' | 'refused';
type Editing =
  | { kind: 'add'; value: string }
  | { kind: 'edit'; original: string; value: string }
  | { kind: 'delete'; entry: string };

export interface SubScreenProps {
  domain: DashboardDomain;
  bindings: KeyBindings;
  width: number;
  height: number;
  /** False while an overlay of the app has the keyboard. */
  active: boolean;
  onClose: () => void;
  onHelp: () => void;
  onQuit: () => void;
  say: (kind: 'info' | 'error' | 'busy' | 'notice', text: string) => void;
  /** Opens the review of the project's waiting policy change (one view for every file). */
  onReview: (projectDir: string) => void;
}

/** The problem with an entry as typed so far; undefined when it would be accepted. */
export function entryProblem(value: string): string | undefined {
  const text = value.trim();
  if (!text) return 'type a domain (example.com) or a CIDR range (203.0.113.0/24)';
  const outcome = parseEntry(text);
  if ('reason' in outcome) return `"${text}" ${outcome.reason}`;
  return outcome.warning ? `warning: ${outcome.warning}` : undefined;
}

/**
 * The project's allowlist, editable in place: the defaults (read-only) and the project's own
 * entries, with validation as you type; each change is applied to the running gateway at once.
 * Below it, what the firewall refused, with one key to allow a refused name. A change made to the
 * files outside claude-tui is shown as a diff and applied only after a yes.
 */
export function AllowlistScreen({
  domain,
  bindings,
  projectDir,
  height,
  active,
  onClose,
  onHelp,
  onQuit,
  onReview,
  say,
}: SubScreenProps & { projectDir: string }) {
  const theme = useTheme();
  const [view, setView] = useState<AllowlistView | null>(null);
  const [refused, setRefused] = useState<RefusedEntry[]>([]);
  const [pane, setPane] = useState<Pane>('entries');
  const [entryIndex, setEntryIndex] = useState(0);
  const [refusedIndex, setRefusedIndex] = useState(0);
  const [editing, setEditing] = useState<Editing | null>(null);

  const load = useCallback(async () => {
    try {
      const next = await domain.describeAllowlist(projectDir);
      setView(next);
      setRefused(await domain.refused(projectDir).catch(() => []));
    } catch (error) {
      say('error', describeError(error));
    }
  }, [domain, projectDir, say]);
  useEffect(() => {
    void load();
  }, [load]);

  const change = (busy: string, work: () => Promise<string>) => {
    say('busy', busy);
    work()
      .then((message) => say('info', message))
      .catch((error: unknown) => say('error', describeError(error)))
      .finally(() => void load());
  };
  const edit = (action: 'add' | 'rm', values: string[]) =>
    change(`${action === 'add' ? 'adding' : 'removing'} ${values.join(', ')}…`, async () => {
      const result = await domain.editAllowlist(projectDir, action, values);
      const what = result.changed.length
        ? `${action === 'add' ? 'added' : 'removed'} ${result.changed.join(', ')}`
        : 'no change';
      return `${what} · firewall: ${result.status}`;
    });

  const rows = view?.rows ?? [];
  const entry = rows[Math.min(entryIndex, rows.length - 1)];
  const refusedEntry = refused[Math.min(refusedIndex, refused.length - 1)];
  const move = (delta: number | 'top' | 'bottom') => {
    const [count, set] =
      pane === 'entries' ? [rows.length, setEntryIndex] : [refused.length, setRefusedIndex];
    set((i) =>
      delta === 'top' ? 0 : delta === 'bottom' ? count - 1 : Math.max(0, Math.min(count - 1, i + delta)),
    );
  };

  useInput(
    (input, key) => {
      const command = commandFor(bindings, 'allowlist', keyName(input, key));
      const step = listStep(command, Math.max(1, entriesHeight - 1));
      if (step !== undefined) return move(step);
      switch (command) {
        case 'app.back':
          return onClose();
        case 'app.quit':
          return onQuit();
        case 'app.help':
          return onHelp();
        case 'allow.switch':
          return setPane((p) => (p === 'entries' ? 'refused' : 'entries'));
        case 'allow.add':
          return setEditing({ kind: 'add', value: '' });
        case 'allow.edit':
          if (!entry?.editable) return say('error', editableHint(entry?.source));
          return setEditing({ kind: 'edit', original: entry.entry, value: entry.entry });
        case 'allow.delete':
          if (!entry?.editable) return say('error', editableHint(entry?.source));
          return setEditing({ kind: 'delete', entry: entry.entry });
        case 'allow.refused':
          if (pane !== 'refused' || !refusedEntry) return;
          if (refusedEntry.kind !== 'dns')
            return say(
              'error',
              'Only names can be allowed from here; add an address range with a (e.g. 203.0.113.7/32).',
            );
          return edit('add', [refusedEntry.target]);
        case 'allow.apply':
          return change('applying…', async () => {
            const result = await domain.applyAllowlist(projectDir);
            return `firewall: ${result.status}${result.waiting ? ` · ${result.waiting}` : ''}`;
          });
        case 'allow.approve':
          if (!view?.pending) return say('info', 'Nothing to approve: the policy files are as approved.');
          return onReview(projectDir);
        default:
          return undefined;
      }
    },
    { isActive: active && !editing },
  );

  const pendingLines = view?.pending
    ? describePending(view.pending, { projectDir, neverApproved: view.approvedAt === null }).slice(1)
    : [];
  const pendingHeight = pendingLines.length ? Math.min(pendingLines.length, 6) + 1 : 0;
  const editorHeight = editing ? 2 : 0;
  const listHeight = height - 4 - pendingHeight - editorHeight;
  const entriesHeight = Math.max(3, Math.ceil(listHeight * 0.6));
  const refusedHeight = Math.max(2, listHeight - entriesHeight);

  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate">
        <Text bold>{projectDir}</Text>
        {'  firewall: '}
        <Text color={stateColour(theme, view?.status ?? '')}>{view?.status ?? 'reading…'}</Text>
      </Text>
      {pendingLines.length ? (
        <Box flexDirection="column">
          <Text color={theme.warn} bold wrap="truncate">
            {`The policy files changed outside claude-tui, not applied; ${firstKey(bindings, 'allow.approve')} reviews it:`}
          </Text>
          {pendingLines.slice(0, 6).map((line, i) => (
            <Text
              key={i}
              wrap="truncate"
              color={
                line.trimStart().startsWith('+ ')
                  ? theme.good
                  : line.trimStart().startsWith('- ')
                    ? theme.bad
                    : undefined
              }
            >
              {`  ${line}`}
            </Text>
          ))}
        </Box>
      ) : null}
      <SectionTitle
        title="ALLOWED"
        detail={`${rows.length} names${view?.ranges ? ` + ${view.ranges} address ranges` : ''} · ${firstKey(bindings, 'allow.add')} add · ${firstKey(bindings, 'allow.edit')} edit · ${firstKey(bindings, 'allow.delete')} delete · ${firstKey(bindings, 'allow.apply')} apply`}
      />
      <ListView
        items={rows}
        selectedIndex={Math.min(entryIndex, rows.length - 1)}
        height={entriesHeight}
        focused={pane === 'entries'}
        empty={view ? 'nothing allowed' : 'reading…'}
        row={(r) => (
          <>
            {r.entry.padEnd(40)}
            <Text dimColor={theme.dim}>{r.source}</Text>
          </>
        )}
      />
      <SectionTitle
        title="REFUSED"
        detail={`${refused.length} · ${firstKey(bindings, 'allow.switch')} here, ${firstKey(bindings, 'allow.refused')} allows a name`}
      />
      <ListView
        items={refused}
        selectedIndex={Math.min(refusedIndex, refused.length - 1)}
        height={refusedHeight}
        focused={pane === 'refused'}
        empty="nothing refused"
        row={(r) => (
          <>
            {(r.kind === 'dns' ? 'name' : 'conn').padEnd(6)}
            {r.target.padEnd(40)}
            {String(r.count).padStart(5)}
            <Text dimColor={theme.dim}>{`  ${ago(r.last)} ago`}</Text>
          </>
        )}
      />
      {editing ? (
        <Editor
          editing={editing}
          setEditing={setEditing}
          edit={edit}
          change={change}
          domain={domain}
          projectDir={projectDir}
        />
      ) : null}
    </Box>
  );
}

function editableHint(source: string | undefined): string {
  return source === 'default' || source === 'package registry'
    ? 'Defaults are not edited one by one: firewall.defaults: false in .claude/claude-tui.yaml turns them off.'
    : 'Select one of the project’s own entries.';
}

function Editor({
  editing,
  setEditing,
  edit,
  change,
  domain,
  projectDir,
}: {
  editing: Editing;
  setEditing: (editing: Editing | null) => void;
  edit: (action: 'add' | 'rm', values: string[]) => void;
  change: (busy: string, work: () => Promise<string>) => void;
  domain: DashboardDomain;
  projectDir: string;
}) {
  if (editing.kind === 'delete') {
    return (
      <ConfirmLine
        message={`Remove ${editing.entry} from the allowlist and apply?`}
        onAnswer={(yes) => {
          setEditing(null);
          if (yes) edit('rm', [editing.entry]);
        }}
      />
    );
  }
  const problem = entryProblem(editing.value);
  return (
    <PromptLine
      label={editing.kind === 'add' ? 'allow' : `change ${editing.original} to`}
      value={editing.value}
      problem={problem}
      onChange={(value) => setEditing({ ...editing, value })}
      onCancel={() => setEditing(null)}
      onSubmit={(value) => {
        if (problem && !problem.startsWith('warning:')) return;
        setEditing(null);
        const entry = value.trim();
        if (editing.kind === 'add') return edit('add', [entry]);
        if (entry === editing.original) return;
        change(`changing ${editing.original} to ${entry}…`, async () => {
          await domain.editAllowlist(projectDir, 'add', [entry]);
          const result = await domain.editAllowlist(projectDir, 'rm', [editing.original]);
          return `changed ${editing.original} to ${entry} · firewall: ${result.status}`;
        });
      }}
    />
  );
}
