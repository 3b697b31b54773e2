import { UsageError, UserError } from '../../errors.js';
import { formatIssue, parseEntry } from '../../firewall/allowlist.js';
import { describeAllowlist } from '../../app/describe-allowlist.js';
import { applyProjectAllowlist, editProjectAllowlist } from '../../app/edit-project-allowlist.js';
import { readRefused } from '../../firewall/gateway-control.js';
import type { ProjectIdentity } from '../../project/identity.js';
import { locateProject } from '../../project/locate.js';
import type { CommandHandler } from '../command-table.js';
import type { CommandContext } from '../context.js';
import { approveProject } from './approve.js';
import { pendingJson, pendingText, reportPolicyNotes } from './shared.js';

type Sub = 'ls' | 'add' | 'rm' | 'apply' | 'approve' | 'refused';
const subcommands: Sub[] = ['ls', 'add', 'rm', 'apply', 'approve', 'refused'];

export const allowCommand: CommandHandler = async (ctx) => {
  const [sub, ...rest] = ctx.args.positionals;
  if (!sub || !subcommands.includes(sub as Sub)) {
    throw new UsageError(
      sub ? `Unknown allow subcommand "${sub}".` : 'allow needs a subcommand.',
      `Use one of: ${subcommands.join(', ')} (see claude-tui allow --help).`,
    );
  }
  const takesEntries = sub === 'add' || sub === 'rm';
  if (!takesEntries && rest.length > 1) throw new UsageError(`Unexpected argument "${rest[1]}".`);
  const dirFlag = typeof ctx.args.flags.project === 'string' ? ctx.args.flags.project : undefined;
  const project = locateProject(takesEntries ? dirFlag : (rest[0] ?? dirFlag), ctx.cwd);
  switch (sub as Sub) {
    case 'ls':
      return list(ctx, project);
    case 'add':
      return edit(ctx, project, rest, 'add');
    case 'rm':
      return edit(ctx, project, rest, 'rm');
    case 'apply':
      return apply(ctx, project, ctx.args.flags.yes === true);
    case 'approve':
      return approveProject(ctx, project);
    case 'refused':
      return refused(ctx, project);
  }
};

async function list(ctx: CommandContext, project: ProjectIdentity): Promise<void> {
  const view = await describeAllowlist(ctx, project);
  if (ctx.args.flags.json) {
    ctx.out.json({
      project: project.dir,
      status: view.status,
      policy: view.policy,
      projectEntries: view.rows.filter((r) => r.editable).map(({ entry, source }) => ({ entry, source })),
      pending: pendingJson(view.pending),
    });
    return;
  }
  ctx.out.line(`firewall: ${view.status}`);
  ctx.out.table(
    ['ENTRY', 'FROM'],
    view.rows.map((r) => [r.entry, r.source]),
  );
  if (view.ranges)
    ctx.out.line(`plus ${view.ranges} address ranges (GitHub's published ranges and CIDR entries)`);
  for (const warning of view.warnings) ctx.out.note(`warning: ${formatIssue(warning)}`);
  if (view.pending) ctx.out.note(pendingText(view.pending, view, project.dir));
}

async function edit(ctx: CommandContext, project: ProjectIdentity, raw: string[], action: 'add' | 'rm') {
  if (!raw.length) throw new UsageError(`allow ${action} needs at least one domain or CIDR range.`);
  const values = raw.map((entry, index) => {
    const outcome = parseEntry(entry.trim());
    if ('reason' in outcome) {
      throw new UsageError(
        `Argument ${index + 1}: ${formatIssue({ source: 'argument', line: 0, text: entry, reason: outcome.reason }).replace(/^argument: /, '')}`,
      );
    }
    return outcome.entry.value;
  });
  const { changed, ...result } = await editProjectAllowlist(ctx, project, action, values);
  report(ctx, project, { [action === 'add' ? 'added' : 'removed']: changed, ...result });
}

async function apply(ctx: CommandContext, project: ProjectIdentity, approveNow: boolean): Promise<number> {
  const { review, ...result } = await applyProjectAllowlist(ctx, project, { approve: approveNow });
  reportPolicyNotes(ctx, review, project.dir);
  report(ctx, project, { ...result, pending: pendingJson(review.pending) });
  // Applied, but not what the files say: a script must notice.
  return review.pending ? 1 : 0;
}

async function refused(ctx: CommandContext, project: ProjectIdentity): Promise<void> {
  const gateway = await ctx.engine.inspectContainer(project.names.gateway);
  if (!gateway?.State.Running) {
    throw new UserError(
      `The project ${project.dir} is not up.`,
      `Run \`claude-tui up ${project.dir}\` first.`,
    );
  }
  const entries = await readRefused(ctx.engine, project.names.gateway);
  if (ctx.args.flags.json) {
    ctx.out.json(entries);
    return;
  }
  if (!entries.length) {
    ctx.out.line('Nothing was refused.');
    return;
  }
  ctx.out.table(
    ['WHAT', 'TARGET', 'COUNT', 'LAST'],
    entries.map((e) => [e.kind === 'dns' ? 'name' : 'connection', e.target, String(e.count), e.last]),
  );
  ctx.out.note('Allow a name with `claude-tui allow add NAME`.');
}

function report(
  ctx: CommandContext,
  project: ProjectIdentity,
  result: Record<string, unknown> & { status: string },
) {
  if (ctx.args.flags.json) {
    ctx.out.json({ project: project.dir, ...result });
    return;
  }
  for (const key of ['added', 'removed'] as const) {
    const values = result[key] as string[] | undefined;
    if (values?.length) ctx.out.line(`${key} ${values.join(', ')}`);
  }
  ctx.out.line(`firewall: ${result.status}`);
}
