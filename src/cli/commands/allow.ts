import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError, UserError } from '../../errors.js';
import { formatIssue, parseEntry } from '../../firewall/allowlist.js';
import { addEntries, removeEntries } from '../../firewall/allowlist-edit.js';
import { writeApproved } from '../../firewall/approval-store.js';
import { applyFirewall } from '../../firewall/apply-firewall.js';
import { DEFAULT_DOMAINS } from '../../firewall/defaults.js';
import { readFirewallStatus, readRefused } from '../../firewall/gateway-control.js';
import {
  ALLOWLIST_FILES,
  readProjectAllowlist,
  WRITABLE_ALLOWLIST,
} from '../../firewall/project-allowlist.js';
import type { ProjectIdentity } from '../../project/identity.js';
import { locateProject } from '../../project/locate.js';
import type { CommandHandler } from '../command-table.js';
import type { CommandContext } from '../context.js';
import { confirm } from '../prompt.js';
import { loadFirewallPlan, reportAllowlistNotes } from './shared.js';

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
      return approve(ctx, project);
    case 'refused':
      return refused(ctx, project);
  }
};

async function list(ctx: CommandContext, project: ProjectIdentity): Promise<void> {
  const plan = await loadFirewallPlan(ctx, project);
  const files = await readProjectAllowlist(project.dir);
  const { policy } = plan.firewall;
  const projectEntries = files.flatMap((f) =>
    f.text.split('\n').flatMap((line, i) => {
      const entry = line.replace(/#.*$/, '').trim();
      return entry ? [{ entry, source: `${f.path}:${i + 1}` }] : [];
    }),
  );
  const gateway = await ctx.engine.inspectContainer(project.names.gateway);
  const status = gateway?.State.Running
    ? await readFirewallStatus(ctx.engine, project.names.gateway)
    : 'the project is not up';
  if (ctx.args.flags.json) {
    ctx.out.json({
      project: project.dir,
      status,
      policy,
      projectEntries,
      pending: plan.firewall.pending ?? null,
    });
    return;
  }
  ctx.out.line(
    `firewall: ${policy.enabled ? status : 'off (firewall.enabled: false in the project config)'}`,
  );
  const projectValues = new Set(projectEntries.map((e) => parseValue(e.entry)));
  const rows = [
    ...policy.domains
      .filter((d) => !projectValues.has(d))
      .map((d) => [d, (DEFAULT_DOMAINS as readonly string[]).includes(d) ? 'default' : 'package registry']),
    ...projectEntries.map((e) => [e.entry, e.source]),
  ];
  ctx.out.table(['ENTRY', 'FROM'], rows);
  const ranges = policy.cidrs4.length + policy.cidrs6.length;
  if (ranges) ctx.out.line(`plus ${ranges} address ranges (GitHub's published ranges and CIDR entries)`);
  reportAllowlistNotes(ctx, plan.firewall, project.dir);
}

function parseValue(entry: string): string | undefined {
  const outcome = parseEntry(entry);
  return 'entry' in outcome ? outcome.entry.value : undefined;
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
  // An edit records the result as approved, so it must not slip in a change made elsewhere.
  const before = await loadFirewallPlan(ctx, project);
  if (before.firewall.pending) {
    reportAllowlistNotes(ctx, before.firewall, project.dir);
    throw new UserError(
      'The allowlist changed outside claude-tui; it was not edited.',
      `Review and approve it first: claude-tui allow approve ${project.dir}`,
    );
  }
  const changed: string[] = [];
  if (action === 'add') {
    const path = join(project.dir, WRITABLE_ALLOWLIST);
    const text = await readFile(path, 'utf8').catch(() => '');
    const result = addEntries(text, values);
    if (result.added.length) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, result.text);
    }
    changed.push(...result.added);
  } else {
    for (const file of ALLOWLIST_FILES) {
      const path = join(project.dir, file);
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const result = removeEntries(text, values);
      if (result.removed.length) await writeFile(path, result.text);
      changed.push(...result.removed);
    }
    const missing = values.filter((v) => !changed.includes(v));
    if (missing.length && !changed.length) {
      const defaults = missing.filter((m) => (DEFAULT_DOMAINS as readonly string[]).includes(m));
      throw new UserError(
        `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the project's allowlist.`,
        defaults.length
          ? 'Defaults are turned off as a whole: firewall.defaults: false in .claude/claude-tui.yaml.'
          : 'See `claude-tui allow ls` for what is allowed and where it comes from.',
      );
    }
  }
  await writeApproved(before.stateDir, await readProjectAllowlist(project.dir));
  const plan = await loadFirewallPlan(ctx, project);
  const result = await applyFirewall(ctx.engine, project, plan.stateDir, plan.firewall.policy);
  report(ctx, project, { [action === 'add' ? 'added' : 'removed']: changed, ...result });
}

async function apply(ctx: CommandContext, project: ProjectIdentity, approveNow: boolean): Promise<number> {
  const plan = await loadFirewallPlan(ctx, project, { approveAllowlist: approveNow });
  const result = await applyFirewall(ctx.engine, project, plan.stateDir, plan.firewall.policy);
  reportAllowlistNotes(ctx, plan.firewall, project.dir);
  report(ctx, project, { ...result, pending: plan.firewall.pending ?? null });
  // Applied, but not what the files say: a script must notice.
  return plan.firewall.pending ? 1 : 0;
}

async function approve(ctx: CommandContext, project: ProjectIdentity): Promise<void> {
  const plan = await loadFirewallPlan(ctx, project);
  if (!plan.firewall.pending) {
    report(ctx, project, { status: 'nothing to approve: the allowlist is as approved', applied: false });
    return;
  }
  ctx.out.note(
    `Changes to the project's allowlist made outside claude-tui:\n${plan.firewall.pending.replace(/^/gm, '    ')}`,
  );
  if (ctx.args.flags.yes !== true) {
    if (!ctx.terminal.stdin.isTTY) {
      throw new UserError(
        'Not approved: there is no terminal to ask on.',
        'Pass --yes to approve without asking.',
      );
    }
    if (!(await confirm('Apply these changes?'))) throw new UserError('Not approved; nothing was changed.');
  }
  await apply(ctx, project, true);
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
