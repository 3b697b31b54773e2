import { Box, Text } from 'ink';
import type { ProjectAlerts } from '../../app/project-alerts.js';
import { summarizePending } from '../../policy/describe-pending.js';
import type { ProjectStatus } from '../../project/status.js';
import { ago, stateLabel } from '../../session/describe-session.js';
import type { SessionInfo } from '../../session/session-state.js';
import { ListView } from '../components/list-view.js';
import { SectionTitle } from '../components/section-title.js';
import {
  attentionKey,
  projectListRows,
  type EngineView,
  needsReview,
  selectedProject,
  sessionsOf,
  visibleProjects,
  type DashboardState,
} from '../state.js';
import { stateColour, useTheme } from '../theme.js';
import { useNow } from '../hooks/use-now.js';

/** Wide enough for projects on the left and the sessions with their preview on the right. */
const TWO_COLUMNS_FROM = 110;

/**
 * The main screen: every project with its containers, firewall, sessions and volumes; the
 * selected project's sessions; and the selected session's screen, live.
 */
export function ProjectsScreen({
  state,
  preview,
  width,
  height,
  reviewKey,
  mergeKey,
}: {
  state: DashboardState;
  preview: string | null;
  width: number;
  height: number;
  /** The key that opens the policy review, for the hint on a project that needs one. */
  reviewKey: string;
  /** The key that opens the merge screen, for the hint on a git session. */
  mergeKey: string;
}) {
  const theme = useTheme();
  const now = useNow(AGES_EVERY_MS);
  const projects = visibleProjects(state);
  const listRows = projectListRows(state);
  const project = selectedProject(state);
  const sessions = sessionsOf(state, state.selectedProject);
  const selected = sessions.find((s) => s.name === state.selectedSession);
  const twoColumns = width >= TWO_COLUMNS_FROM;
  const left = twoColumns ? Math.min(72, Math.floor(width * 0.55)) : width;
  const listWidth = left - 1;
  const projectList = (rows: number) => (
    <Box flexDirection="column">
      <SectionTitle
        title="PROJECTS"
        detail={
          state.filter
            ? `filter: ${state.filter}`
            : `${projects.length} · ${projects.filter((p) => p.state === 'up').length} up`
        }
      />
      <ListView
        items={listRows}
        selectedIndex={listRows.findIndex(
          (r) => r.kind === 'project' && r.project.dir === state.selectedProject,
        )}
        height={rows}
        focused={state.focus === 'projects'}
        empty={
          state.loaded
            ? state.filter
              ? 'no project matches the filter'
              : 'no projects yet: a adds one by path'
            : 'reading…'
        }
        row={(r) =>
          r.kind === 'engine' ? (
            <EngineHeading engine={r.engine} />
          ) : r.kind === 'engine-down' ? (
            <Text color={theme.warn}>{`    ${r.engine.down?.reason ?? ''}`}</Text>
          ) : (
            <ProjectRow
              project={r.project}
              review={needsReview(state.alerts[r.project.dir])}
              firewall={state.firewall[r.project.dir]}
              sessions={state.sessions[r.project.dir]}
              width={listWidth}
            />
          )
        }
      />
    </Box>
  );
  const alert = project ? alertLine(state.alerts[project.dir]) : null;
  const sessionList = (rows: number) => (
    <Box flexDirection="column">
      {alert ? (
        <Text color={theme.warn} wrap="truncate">
          {`! ${alert} (${reviewKey})`}
        </Text>
      ) : null}
      <SectionTitle
        title="SESSIONS"
        detail={
          project
            ? [
                project.name,
                project.gateway?.state === 'running' ? state.firewall[project.dir] : undefined,
                project.dir,
              ]
                .filter(Boolean)
                .join(' · ')
            : ''
        }
      />
      <ListView
        items={sessions}
        selectedIndex={sessions.findIndex((s) => s.name === state.selectedSession)}
        height={alert ? rows - 1 : rows}
        focused={state.focus === 'sessions'}
        empty={
          !project
            ? ''
            : project.folderMissing
              ? 'its folder is gone: c cleans up what it left'
              : project.state !== 'up'
                ? `the project is ${project.state}: u brings it up`
                : 'no sessions: s starts one'
        }
        row={(s) => (
          <SessionRow
            session={s}
            attention={!!project && state.attention.includes(attentionKey(project.dir, s.name))}
            now={now}
          />
        )}
      />
    </Box>
  );
  const previewPane = (rows: number, columns: number) => (
    <Box flexDirection="column">
      <SectionTitle
        title="PREVIEW"
        detail={
          selected
            ? [
                selected.name,
                selected.kind === 'git' &&
                  `${selected.git ? `${gitCounts(selected.git)} · ` : ''}${mergeKey} merges`,
                'enter attaches',
              ]
                .filter(Boolean)
                .join(' · ')
            : ''
        }
      />
      <Preview text={preview} rows={rows} columns={columns} />
    </Box>
  );

  if (twoColumns) {
    const sessionRows = Math.max(3, Math.min(sessions.length + 1, Math.floor((height - 2) / 3)));
    return (
      <Box flexDirection="row" height={height}>
        <Box width={left} flexShrink={0} flexDirection="column" marginRight={1}>
          {projectList(height - 1)}
        </Box>
        <Box flexDirection="column" flexGrow={1}>
          {sessionList(sessionRows)}
          {previewPane(height - sessionRows - 2, width - left - 1)}
        </Box>
      </Box>
    );
  }
  const projectRows = Math.max(2, Math.min(listRows.length + 1, Math.floor((height - 3) / 3)));
  const sessionRows = Math.max(2, Math.min(sessions.length + 1, Math.floor((height - 3) / 4)));
  return (
    <Box flexDirection="column" height={height}>
      {projectList(projectRows)}
      {sessionList(sessionRows)}
      {previewPane(height - projectRows - sessionRows - 3, width)}
    </Box>
  );
}

/** A git session's commits: not landed yet, landed so far. */
const gitCounts = (git: { ahead: number; landed: number }) => `${git.ahead} ahead, ${git.landed} landed`;

function firewallWord(project: ProjectStatus, firewall: string | undefined): string {
  if (project.gateway?.state !== 'running') return '-';
  return firewall ?? '…';
}

/** "protected: 14 names, 52 ranges, applied …" → "protected"; other states keep their reason. */
const firewallShort = (text: string) => (text.startsWith('protected') ? 'protected' : text);

/** The firewall column: room for `protected`, and the start of a reason (the title line has all of it). */
const FIREWALL_WIDTH = 15;
/** Everything in a project row but the name: markers 2+2, state 8, firewall, sessions 8, waiting 8, volumes 5. */
const PROJECT_ROW_FIXED = 2 + 2 + 8 + FIREWALL_WIDTH + 8 + 8 + 5;

/** A project's alerts in one line: the waiting policy change first, then host-run files. */
function alertLine(alerts: ProjectAlerts | undefined): string | null {
  if (!alerts) return null;
  const parts = [
    summarizePending(alerts.pending),
    alerts.hostRun.length
      ? `${alerts.hostRun[0]!.path}${alerts.hostRun.length > 1 ? ` and ${alerts.hostRun.length - 1} more` : ''} changed (runs on the host)`
      : null,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

/** An Engine above its projects: its name, where it is, and whether it answers (why not, since when). */
function EngineHeading({ engine }: { engine: EngineView }) {
  const theme = useTheme();
  const where = engine.endpoint === engine.id ? '' : ` · ${engine.endpoint}`;
  // Unreachable: the reason, on the line below, names the address.
  return engine.down ? (
    <>
      <Text bold>{`ENGINE ${engine.id}`}</Text>
      <Text color={theme.warn}>{` · unreachable since ${clock(engine.down.since)}`}</Text>
    </>
  ) : (
    <>
      <Text bold>{`ENGINE ${engine.id}${where}`}</Text>
      <Text dimColor={theme.dim}>{engine.read ? ' · reachable' : ' · reading…'}</Text>
    </>
  );
}

/** 14:03:07, local time. */
const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);

function ProjectRow({
  project,
  review,
  firewall,
  sessions,
  width,
}: {
  project: ProjectStatus;
  /** Something waits for the person's review (a policy change, host-run files changed). */
  review: boolean;
  firewall: string | undefined;
  sessions: SessionInfo[] | undefined;
  width: number;
}) {
  const theme = useTheme();
  const wall = firewallShort(firewallWord(project, firewall));
  const nameWidth = Math.max(10, width - PROJECT_ROW_FIXED);
  const waiting = sessions?.filter((s) => s.state === 'waiting').length ?? 0;
  const fit = (text: string, n: number) =>
    text.length > n - 1 ? `${text.slice(0, n - 2)}… ` : text.padEnd(n);
  return (
    <>
      {review ? <Text color={theme.warn}>! </Text> : '  '}
      {fit(project.name, nameWidth)}
      {project.folderMissing ? (
        // Nothing can come up without its folder: that says more than its containers' state.
        <Text color={theme.warn}>{fit('folder missing', 8 + FIREWALL_WIDTH)}</Text>
      ) : (
        <>
          <Text color={stateColour(theme, project.state)}>{fit(project.state, 8)}</Text>
          <Text color={stateColour(theme, wall)}>{fit(wall, FIREWALL_WIDTH)}</Text>
        </>
      )}
      {fit(`${sessions?.length ?? (project.agent?.state === 'running' ? '…' : 0)} sess`, 8)}
      {waiting ? <Text color={theme.warn}>{fit(`${waiting} wait`, 8)}</Text> : ' '.repeat(8)}
      {`${project.volumes.length} vol`}
    </>
  );
}

/** Ages on screen move on by themselves; a redraw this often keeps them true at no real cost. */
const AGES_EVERY_MS = 10_000;

function SessionRow({ session, attention, now }: { session: SessionInfo; attention: boolean; now: number }) {
  const theme = useTheme();
  const state = stateLabel(session);
  return (
    <>
      {attention ? <Text color={theme.warn}>● </Text> : '  '}
      {session.name.padEnd(14).slice(0, 14)} <Text color={stateColour(theme, state)}>{state.padEnd(11)}</Text>
      {session.kind === 'git' ? (
        <Text color={theme.accent}>{'git'.padEnd(7)}</Text>
      ) : (
        <Text dimColor={theme.dim}>{session.source.padEnd(7)}</Text>
      )}
      {ago(session.created, now).padEnd(5)}
      <Text dimColor={theme.dim}>{`out ${ago(session.lastActivity, now)}`}</Text>
      {session.git ? <Text dimColor={theme.dim}>{`  ${gitCounts(session.git)}`}</Text> : null}
    </>
  );
}

function Preview({ text, rows, columns }: { text: string | null; rows: number; columns: number }) {
  const lines = (text ?? '').replace(/\s+$/, '').split('\n');
  const shown = lines.slice(Math.max(0, lines.length - rows));
  return (
    <Box flexDirection="column" height={Math.max(1, rows)} overflow="hidden">
      {text === null ? (
        <Text dimColor> no session selected</Text>
      ) : (
        shown.map((line, i) => (
          <Text key={i} wrap="truncate">
            {line.slice(0, columns) || ' '}
          </Text>
        ))
      )}
    </Box>
  );
}
