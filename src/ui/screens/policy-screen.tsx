import { Box, Text, useInput } from 'ink';
import { useCallback, useEffect, useState } from 'react';
import type { ProjectAlerts } from '../../app/project-alerts.js';
import { describePending, MARK } from '../../policy/describe-pending.js';
import { ConfirmLine } from '../components/confirm-line.js';
import { SectionTitle } from '../components/section-title.js';
import { describeError } from '../describe-error.js';
import { commandFor, firstKey, keyName, listStep } from '../keymap.js';
import { useTheme, type Theme } from '../theme.js';
import type { SubScreenProps } from './allowlist-screen.js';

/**
 * The one place a change to the project's policy files is reviewed: every file's diff, what the
 * change would widen or narrow, why it cannot be approved if it cannot, and the files that run on
 * the host which changed since the last `up`. A yes approves exactly what is on screen.
 */
export function PolicyScreen({
  domain,
  bindings,
  projectDir,
  height,
  active,
  onClose,
  onHelp,
  onQuit,
  say,
}: SubScreenProps & { projectDir: string }) {
  const theme = useTheme();
  const [alerts, setAlerts] = useState<ProjectAlerts | null>(null);
  const [top, setTop] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const load = useCallback(async () => {
    try {
      setAlerts(await domain.projectAlerts(projectDir));
    } catch (error) {
      say('error', describeError(error));
    }
  }, [domain, projectDir, say]);
  useEffect(() => {
    void load();
  }, [load]);

  const lines = alerts ? reviewLines(alerts, projectDir) : [];
  const page = Math.max(1, height - 3);
  const scroll = (delta: number | 'top' | 'bottom') =>
    setTop((t) => {
      const last = Math.max(0, lines.length - page);
      if (delta === 'top') return 0;
      if (delta === 'bottom') return last;
      return Math.max(0, Math.min(last, t + delta));
    });
  const pending = alerts?.pending ?? null;

  useInput(
    (input, key) => {
      const command = commandFor(bindings, 'policy', keyName(input, key));
      const step = listStep(command, page);
      if (step !== undefined) return scroll(step);
      switch (command) {
        case 'app.back':
          return onClose();
        case 'app.quit':
          return onQuit();
        case 'app.help':
          return onHelp();
        case 'policy.approve':
          if (!pending) return say('info', 'Nothing to approve: the policy files are as approved.');
          if (pending.problems.length)
            return say('error', 'This change cannot be approved as it is; fix the files named above.');
          return setConfirming(true);
        default:
          return undefined;
      }
    },
    { isActive: active && !confirming },
  );

  const approve = () => {
    if (!pending) return;
    say('busy', 'approving…');
    domain
      .approvePolicy(projectDir, pending, (line) => say('busy', line))
      .then((message) => say('info', message))
      .catch((error: unknown) => say('error', describeError(error)))
      .finally(() => void load());
  };
  const shown = lines.slice(top, top + page);
  return (
    <Box flexDirection="column" height={height}>
      <SectionTitle
        title="POLICY REVIEW"
        detail={`${projectDir}${lines.length > page ? ` · ${top + 1}-${Math.min(lines.length, top + page)} of ${lines.length}` : ''}`}
      />
      <Box flexDirection="column" height={page} overflow="hidden">
        {alerts === null ? (
          <Text dimColor>reading…</Text>
        ) : (
          shown.map((line, i) => (
            <Text key={top + i} wrap="truncate" color={lineColour(theme, line)}>
              {line || ' '}
            </Text>
          ))
        )}
      </Box>
      {confirming ? (
        <ConfirmLine
          message="Approve exactly this change and apply it?"
          onAnswer={(yes) => {
            setConfirming(false);
            if (yes) approve();
            else say('info', 'Not approved; nothing was changed.');
          }}
        />
      ) : (
        <Text dimColor={theme.dim} wrap="truncate">
          {pending && !pending.problems.length
            ? `${firstKey(bindings, 'policy.approve')} approves and applies · ${firstKey(bindings, 'app.back')} back`
            : `${firstKey(bindings, 'app.back')} back`}
        </Text>
      )}
    </Box>
  );
}

export function reviewLines(alerts: ProjectAlerts, projectDir: string): string[] {
  const lines = alerts.pending
    ? describePending(alerts.pending, { projectDir, neverApproved: alerts.approvedAt === null, full: true })
    : [
        alerts.approvedAt
          ? `The policy files are as approved (${alerts.approvedAt}).`
          : 'There are no policy files to approve; the project runs on the defaults.',
      ];
  if (alerts.hostRun.length) {
    lines.push(
      '',
      'Files that run on the host changed since the last up or approval (look before you run them):',
      ...alerts.hostRun.map((c) => `  ${MARK.problem} ${c.path} (${c.change})`),
    );
  }
  return lines;
}

function lineColour(theme: Theme, line: string): string | undefined {
  const text = line.trimStart();
  if (text.startsWith(MARK.widens) || text.startsWith(MARK.problem)) return theme.warn;
  if (text.startsWith(MARK.narrows)) return theme.good;
  if (text.startsWith('+ ')) return theme.good;
  if (text.startsWith('- ')) return theme.bad;
  if (!line.startsWith(' ') && line.endsWith(':')) return theme.accent;
  return undefined;
}
