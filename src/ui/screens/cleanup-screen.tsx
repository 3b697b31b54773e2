import { Box, Text, useInput } from 'ink';
import { useCallback, useEffect, useState } from 'react';
import { holdsUnmerged, unusedByLivingProject, type ManagedResource } from '../../project/inventory.js';
import { formatBytes } from '../../project/format-bytes.js';
import { ConfirmLine } from '../components/confirm-line.js';
import { ListView } from '../components/list-view.js';
import { PromptLine } from '../components/prompt-line.js';
import { SectionTitle } from '../components/section-title.js';
import { describeError } from '../describe-error.js';
import { commandFor, firstKey, keyName } from '../keymap.js';
import { useTheme } from '../theme.js';
import type { SubScreenProps } from './allowlist-screen.js';

const keyOf = (r: ManagedResource) => `${r.kind}:${r.id}`;

/** Fits a name in `n` columns keeping both ends (the suffix tells home from session volumes). */
function middleFit(text: string, n: number): string {
  if (text.length < n) return text.padEnd(n);
  const keep = n - 2;
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))} `;
}

/**
 * Whether something uses it. What belongs to a project whose folder is gone says that instead:
 * cleanup may take it, in use or not (the delete question says what runs).
 */
function useText(r: ManagedResource): string {
  // Short: at 80 columns an unmerged count must still fit after it.
  if (r.folderMissing) return 'folder gone';
  if (r.usedOnlyByGoneProjects) return 'used by a gone project';
  return r.inUse ? 'in use' : '-';
}

function unmergedText(r: ManagedResource): string {
  if (!holdsUnmerged(r)) return '';
  return r.unmergedCommits === null ? '  unmerged?' : `  ${r.unmergedCommits} unmerged`;
}

/** "Delete 3 (60 MB)?", saying so when running containers are among them. */
function deleteQuestion(chosen: ManagedResource[]): string {
  const size = formatBytes(chosen.reduce((sum, r) => sum + (r.sizeBytes ?? 0), 0));
  const running = chosen.filter((r) => r.kind === 'container' && r.inUse).length;
  const stopping = running
    ? `, stopping ${running} running ${running === 1 ? 'container' : 'containers'}`
    : '';
  return `Delete ${chosen.length} (${size})${stopping}?`;
}

type Asking = { step: 'first' | 'unmerged'; chosen: ManagedResource[] };

/**
 * Everything claude-tui created, found by label: containers, volumes, images and networks, with
 * size, project and whether something uses it. Select and delete with a yes; a git-session volume
 * that holds unmerged commits needs a second yes of its own.
 */
export function CleanupScreen({
  domain,
  bindings,
  width,
  height,
  active,
  onClose,
  onHelp,
  onQuit,
  say,
}: SubScreenProps) {
  const theme = useTheme();
  const [resources, setResources] = useState<ManagedResource[] | null>(null);
  const [index, setIndex] = useState(0);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [asking, setAsking] = useState<Asking | null>(null);
  const [filter, setFilter] = useState('');
  const [filtering, setFiltering] = useState(false);

  const load = useCallback(async () => {
    try {
      const inventory = await domain.inventory();
      setResources(inventory.resources);
      setChosen((previous) => new Set(inventory.resources.map(keyOf).filter((k) => previous.has(k))));
    } catch (error) {
      say('error', describeError(error));
    }
  }, [domain, say]);
  useEffect(() => {
    void load();
  }, [load]);

  const needle = filter.trim().toLowerCase();
  const list = (resources ?? []).filter(
    (r) =>
      !needle || [r.name, r.role, r.kind, r.projectDir ?? ''].some((f) => f.toLowerCase().includes(needle)),
  );
  const current = list[Math.min(index, list.length - 1)];
  const selection = list.filter((r) => chosen.has(keyOf(r)));
  const toggle = (r: ManagedResource) =>
    setChosen((previous) => {
      const next = new Set(previous);
      if (next.has(keyOf(r))) next.delete(keyOf(r));
      else next.add(keyOf(r));
      return next;
    });
  const remove = (targets: ManagedResource[], discardUnmerged: boolean) => {
    say('busy', `deleting ${targets.length}…`);
    domain
      .removeResources(targets, { discardUnmerged })
      .then(({ removed, skipped }) => {
        const skippedText = skipped.map((s) => `${s.resource.name}: ${s.reason}`).join('; ');
        say(
          skipped.length ? 'error' : 'info',
          `deleted ${removed.length}${skipped.length ? ` · kept ${skipped.length}: ${skippedText}` : ''}`,
        );
      })
      .catch((error: unknown) => say('error', describeError(error)))
      .finally(() => void load());
  };

  useInput(
    (input, key) => {
      const command = commandFor(bindings, 'cleanup', keyName(input, key));
      const count = list.length;
      switch (command) {
        case 'app.back':
          if (filter) return setFilter('');
          return onClose();
        case 'list.filter':
          return setFiltering(true);
        case 'app.quit':
          return onQuit();
        case 'app.help':
          return onHelp();
        case 'list.up':
          return setIndex((i) => Math.max(0, i - 1));
        case 'list.down':
          return setIndex((i) => Math.min(count - 1, i + 1));
        case 'list.top':
          return setIndex(0);
        case 'list.bottom':
          return setIndex(count - 1);
        case 'cleanup.toggle':
          return current ? toggle(current) : undefined;
        case 'cleanup.unused':
          return setChosen(new Set(list.filter(unusedByLivingProject).map(keyOf)));
        case 'cleanup.refresh':
          return void load();
        case 'cleanup.delete': {
          const targets = selection.length ? selection : current ? [current] : [];
          if (!targets.length) return;
          const busy = targets.filter((r) => !unusedByLivingProject(r));
          if (busy.length)
            return say(
              'error',
              `${busy.map((r) => r.name).join(', ')} ${busy.length === 1 ? 'is' : 'are'} in use; take the project down first (d on the projects screen).`,
            );
          return setAsking({ step: 'first', chosen: targets });
        }
        default:
          return undefined;
      }
    },
    { isActive: active && !asking && !filtering },
  );

  // Room for the name and project; the rest (marks, kind, size, use, unmerged) is fixed, but for
  // the use and unmerged notes, which get what the longest of them needs.
  const projectWidth = width >= 110 ? 18 : 11;
  const notesWidth = Math.max(20, ...list.map((r) => `  ${useText(r)}${unmergedText(r)}`.length + 2));
  const nameWidth = Math.max(16, width - projectWidth - 4 - 12 - 9 - notesWidth);
  const total = selection.reduce((sum, r) => sum + (r.sizeBytes ?? 0), 0);
  return (
    <Box flexDirection="column" height={height}>
      <SectionTitle
        title="CLEANUP"
        detail={`${filter ? `filter: ${filter} · ` : ''}${list.length} ${list.length === 1 ? 'thing' : 'things'} claude-tui made · ${selection.length} selected (${formatBytes(total)}) · ${firstKey(bindings, 'cleanup.toggle')} select · ${firstKey(bindings, 'cleanup.unused')} all unused · ${firstKey(bindings, 'cleanup.delete')} delete`}
      />
      <Text dimColor={theme.dim} wrap="truncate">
        {'    ' +
          'KIND'.padEnd(12) +
          'NAME'.padEnd(nameWidth) +
          'PROJECT'.padEnd(projectWidth) +
          'SIZE'.padStart(9) +
          '  USE'}
      </Text>
      <ListView
        items={list}
        selectedIndex={Math.min(index, list.length - 1)}
        height={height - 2 - (asking || filtering ? 1 : 0)}
        focused
        empty={
          resources
            ? needle
              ? 'nothing matches the filter'
              : 'claude-tui has nothing in Docker'
            : 'reading…'
        }
        row={(r) => (
          <>
            {chosen.has(keyOf(r)) ? '[x] ' : '[ ] '}
            {(r.kind === 'volume' ? r.role : r.kind).padEnd(12).slice(0, 12)}
            {middleFit(r.name, nameWidth)}
            {middleFit(r.projectDir?.split('/').pop() ?? '-', projectWidth)}
            {formatBytes(r.sizeBytes).padStart(9)}
            <Text color={r.inUse || r.folderMissing ? theme.warn : undefined}>{`  ${useText(r)}`}</Text>
            {holdsUnmerged(r) ? <Text color={theme.bad}>{unmergedText(r)}</Text> : null}
          </>
        )}
      />
      {filtering ? (
        <PromptLine
          label="filter (name, kind, project)"
          value={filter}
          onChange={(value) => {
            setFilter(value);
            setIndex(0);
          }}
          onSubmit={() => setFiltering(false)}
          onCancel={() => {
            setFilter('');
            setFiltering(false);
          }}
        />
      ) : null}
      {asking ? (
        <ConfirmLine
          message={
            asking.step === 'first'
              ? deleteQuestion(asking.chosen)
              : `${asking.chosen
                  .filter(holdsUnmerged)
                  .map((r) => r.name)
                  .join(', ')} may hold commits never merged back. Delete them too, losing those commits?`
          }
          onAnswer={(yes) => {
            if (asking.step === 'first') {
              if (!yes) {
                setAsking(null);
                return say('info', 'Nothing was deleted.');
              }
              if (asking.chosen.some(holdsUnmerged))
                return setAsking({ step: 'unmerged', chosen: asking.chosen });
            }
            setAsking(null);
            setChosen(new Set());
            // A no to the second question keeps only the volumes it was about.
            const targets = yes ? asking.chosen : asking.chosen.filter((r) => !holdsUnmerged(r));
            if (targets.length) remove(targets, yes && asking.step === 'unmerged');
            else say('info', 'Nothing was deleted.');
          }}
        />
      ) : null}
    </Box>
  );
}
