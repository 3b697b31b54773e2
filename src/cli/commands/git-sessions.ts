import { withSessionCommits } from '../../app/git-session-work.js';
import { UsageError, UserError } from '../../errors.js';
import { abortMerge, continueMerge, mergeSession, pendingMerge, skipConflict } from '../../git/merge.js';
import { commitDiff, sessionDiff } from '../../git/session-diff.js';
import { findSessionCommit } from '../../git/find-commit.js';
import { visibleCommit, visibleOutcome } from '../../git/visible-commit.js';
import { visibleText } from '../../system/visible-text.js';
import { listSessionCommits } from '../../git/session-log.js';
import type { MergeOutcome, MergeRequest, MergeTarget, SessionCommit } from '../../git/types.js';
import type { CommandHandler } from '../command-table.js';
import type { CommandContext } from '../context.js';
import { sessionArgument } from './sessions.js';
import { confirmOrYes } from './volumes.js';

const shortSha = (sha: string) => sha.slice(0, 10);

function when(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

function marks(commit: SessionCommit): string {
  return `${commit.applied ? 'applied' : ''}${commit.applied && commit.hostRun ? ', ' : ''}${commit.hostRun ? 'runs on host' : ''}`;
}

export const logCommand: CommandHandler = async (ctx) => {
  const { project, name } = sessionArgument(ctx);
  const commits = await withSessionCommits(ctx, project, name, ({ run }) =>
    listSessionCommits(run, project.dir, name),
  );
  if (ctx.args.flags.json) {
    ctx.out.json(commits);
    return;
  }
  if (!commits.length) {
    ctx.out.line(`The session ${name} has no commits since it started.`);
    return;
  }
  const shownCommits = commits.map(visibleCommit);
  ctx.out.table(
    ['COMMIT', 'TIME', 'FILES', '+/-', 'SUBJECT', 'MARKS'],
    shownCommits.map((c) => [
      shortSha(c.sha),
      when(c.authorTime),
      String(c.files.length),
      `+${c.added} -${c.removed}`,
      c.subject,
      marks(c),
    ]),
  );
  const flagged = shownCommits.filter((c) => c.hostRun);
  for (const commit of flagged) {
    const files = commit.files.filter((f) => f.hostRun).map((f) => `${f.path} (${f.hostRun})`);
    ctx.out.line(`${shortSha(commit.sha)} touches files that run on the host: ${files.join(', ')}`);
  }
};

export const diffCommand: CommandHandler = async (ctx) => {
  const [name, rev, ...extra] = ctx.args.positionals;
  if (!name) throw new UsageError('Name the session.', 'See `claude-tui sessions` for their names.');
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const { project } = sessionArgument({ ...ctx, args: { ...ctx.args, positionals: [name] } });
  const text = await withSessionCommits(ctx, project, name, async ({ run }) => {
    if (!rev) return sessionDiff(run, project.dir, name);
    const commit = findSessionCommit(await listSessionCommits(run, project.dir, name), rev, name);
    return commitDiff(run, project.dir, commit.sha);
  });
  // The diff is the agent's text: its control characters must not act on the terminal.
  process.stdout.write(colourDiff(visibleText(text), ctx));
};

function colourDiff(text: string, ctx: CommandContext): string {
  const colour = Boolean(process.stdout.isTTY) && !ctx.env.NO_COLOR && ctx.env.TERM !== 'dumb';
  if (!colour) return text;
  return text.replace(/^.*$/gm, (line) => {
    if (/^(\+\+\+|---|diff --git|index )/.test(line)) return `\x1b[1m${line}\x1b[0m`;
    if (line.startsWith('@@')) return `\x1b[36m${line}\x1b[0m`;
    if (line.startsWith('+')) return `\x1b[32m${line}\x1b[0m`;
    if (line.startsWith('-')) return `\x1b[31m${line}\x1b[0m`;
    return line;
  });
}

export const mergeCommand: CommandHandler = async (ctx) => {
  const { project, name } = sessionArgument(ctx);
  const flags = ctx.args.flags;
  const modes = ['continue', 'abort', 'skip'].filter((mode) => flags[mode]);
  if (modes.length > 1) throw new UsageError(`--${modes.join(' and --')} cannot go together.`);
  const mode = modes[0];
  return withSessionCommits(ctx, project, name, async ({ run, clone }) => {
    if (mode === 'abort') {
      const pending = await pendingMerge(run, project.dir, name);
      await abortMerge(run, project.dir, name);
      ctx.out.line(
        pending
          ? `Aborted the merge of ${name}: your repository is as it was before it.`
          : `No merge of ${name} was waiting; nothing changed.`,
      );
      return 0;
    }
    if (mode === 'continue') return report(ctx, name, await continueMerge(run, project.dir, name, clone));
    if (mode === 'skip') return report(ctx, name, await skipConflict(run, project.dir, name, clone));
    const commits = await listSessionCommits(run, project.dir, name, mergeTarget(ctx));
    const request = mergeRequest(ctx, name, commits);
    await confirmHostRun(ctx, commits, request);
    return report(ctx, name, await mergeSession(run, project.dir, request, clone));
  });
};

function mergeTarget(ctx: CommandContext): MergeTarget {
  const { onto, branch } = ctx.args.flags;
  if (onto && branch) throw new UsageError('--onto and --branch cannot go together.');
  if (typeof onto === 'string') return { kind: 'branch', name: onto };
  if (typeof branch === 'string') return { kind: 'new-branch', name: branch };
  return { kind: 'current' };
}

function mergeRequest(ctx: CommandContext, session: string, commits: readonly SessionCommit[]): MergeRequest {
  const flags = ctx.args.flags;
  const { all, pick } = flags;
  if (!all && typeof pick !== 'string') {
    throw new UsageError(
      'Say which commits: --all, or --pick A,B (hash prefixes or positions, 1 = oldest).',
      `See \`claude-tui log ${session}\`.`,
    );
  }
  if (all && pick) throw new UsageError('--all and --pick cannot go together.');
  const chosen = all
    ? commits.filter((c) => !c.applied)
    : String(pick)
        .split(',')
        .filter(Boolean)
        .map((rev) => findSessionCommit(commits, rev.trim(), session));
  const files = typeof flags.files === 'string' ? flags.files.split(',').filter(Boolean) : undefined;
  const picks = [...new Set(chosen)]
    .sort((a, b) => commits.indexOf(a) - commits.indexOf(b))
    .map((commit) => {
      if (!files) return { sha: commit.sha };
      const taken = commit.files.map((f) => f.path).filter((path) => files.includes(path));
      return taken.length ? { sha: commit.sha, files: taken } : undefined;
    })
    .filter((pick): pick is NonNullable<typeof pick> => pick !== undefined);
  if (!picks.length)
    throw new UserError('Nothing to merge: no picked commit has those files, or all are applied.');
  const message = flags.message;
  if (flags.squash && typeof message !== 'string') throw new UsageError('--squash needs a message: -m MSG.');
  if (!flags.squash && message) throw new UsageError('-m goes with --squash.');
  return {
    session,
    picks,
    ...(flags.squash ? { squash: { message: String(message) } } : {}),
    target: mergeTarget(ctx),
    dryRun: Boolean(flags['dry-run']),
  };
}

/** Picking a commit that touches files that run on the host asks a second time. */
async function confirmHostRun(ctx: CommandContext, commits: readonly SessionCommit[], request: MergeRequest) {
  const picked = new Map(request.picks.map((p) => [p.sha, p.files]));
  const flagged = commits
    .filter((c) => picked.has(c.sha))
    .flatMap((c) =>
      c.files
        .filter((f) => f.hostRun && (!picked.get(c.sha) || picked.get(c.sha)!.includes(f.path)))
        .map((f) => `  ${shortSha(c.sha)} ${visibleText(f.path, { oneLine: true })}: ${f.hostRun}`),
    );
  if (!flagged.length || request.dryRun) return;
  ctx.out.line('These picks change files that run on your machine later:');
  for (const line of flagged) ctx.out.line(line);
  if (!(await confirmOrYes(ctx, 'Merge them anyway?'))) throw new UserError('Nothing was merged.');
}

function report(ctx: CommandContext, session: string, landedOrConflict: MergeOutcome): number {
  const outcome = visibleOutcome(landedOrConflict);
  if (ctx.args.flags.json) {
    ctx.out.json(outcome);
    return outcome.kind === 'landed' ? 0 : 1;
  }
  if (outcome.kind === 'conflict' && ctx.args.flags['dry-run']) {
    ctx.out.line(`${shortSha(outcome.sha)} (${outcome.subject}) would not apply: conflicts in`);
    for (const file of outcome.files) ctx.out.line(`  ${file}`);
    ctx.out.line('Nothing was changed. Leave that commit out (--pick), or merge and resolve the conflict.');
    return 1;
  }
  if (outcome.kind === 'conflict') {
    ctx.out.line(`${shortSha(outcome.sha)} (${outcome.subject}) does not apply: conflicts in`);
    for (const file of outcome.files) ctx.out.line(`  ${file}`);
    ctx.out.line('Your repository is untouched. Three ways on:');
    ctx.out.line(
      `  resolve in ${outcome.worktree} (edit, git add), then \`claude-tui merge ${session} --continue\``,
    );
    ctx.out.line(`  skip this commit: \`claude-tui merge ${session} --skip\``);
    ctx.out.line(`  give up: \`claude-tui merge ${session} --abort\``);
    return 1;
  }
  const count = outcome.commits.length;
  const verb = outcome.dryRun ? 'Would land' : 'Landed';
  ctx.out.line(`${verb} ${count} commit${count === 1 ? '' : 's'} on ${outcome.branch}.`);
  if (outcome.skipped.length) {
    ctx.out.line(
      `Skipped ${outcome.skipped.length} already there: ${outcome.skipped.map(shortSha).join(', ')}.`,
    );
  }
  if (outcome.dropped?.length) ctx.out.line(`Left out: ${outcome.dropped.map(shortSha).join(', ')}.`);
  for (const warning of outcome.warnings ?? []) ctx.out.note(warning);
  return 0;
}
