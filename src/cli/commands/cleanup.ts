import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { folderIsGone } from '../../project/folder-gone.js';
import { locateProject } from '../../project/locate.js';
import { formatBytes } from '../../project/format-bytes.js';
import {
  cleanupCandidates,
  listManagedResources,
  removeManagedResources,
  type ManagedResource,
} from '../../project/inventory.js';
import type { CommandHandler } from '../command-table.js';
import { confirmOrYes } from './volumes.js';

const row = (r: ManagedResource, note: string) => [
  r.kind === 'volume' ? `volume (${r.role})` : r.kind,
  r.name,
  r.projectDir ?? '-',
  formatBytes(r.sizeBytes),
  note,
];
const whyRemove = (r: ManagedResource) =>
  r.kind === 'container' && r.inUse
    ? "running, but its project's folder is gone (stopped first)"
    : r.folderMissing
      ? "its project's folder is gone"
      : r.usedOnlyByGoneProjects
        ? `used only by ${r.usedBy.join(', ')}, whose project's folder is gone`
        : 'nothing uses it';
const total = (list: ManagedResource[]) => formatBytes(list.reduce((sum, r) => sum + (r.sizeBytes ?? 0), 0));

/**
 * `cleanup`: removes what claude-tui made and nothing uses, keeping the newest agent image and
 * any volume with unmerged commits (unless --discard-unmerged). Shows the plan first.
 */
export const cleanupCommand: CommandHandler = async (ctx) => {
  const discard = ctx.args.flags['discard-unmerged'] === true;
  const dryRun = ctx.args.flags['dry-run'] === true;
  const inventory = await listManagedResources(ctx.engine);
  // --project DIR: only that project's containers, volumes and networks; shared images stay.
  const only = typeof ctx.args.flags.project === 'string' ? scope(ctx.args.flags.project, ctx.cwd) : null;
  const plan = cleanupCandidates(
    only ? { resources: inventory.resources.filter((r) => r.projectDir === only) } : inventory,
  );
  // --discard-unmerged moves the unmerged volumes nothing uses into the plan.
  const remove = [
    ...plan.remove,
    ...(discard ? plan.keep.filter((k) => k.reason.includes('merged back')).map((k) => k.resource) : []),
  ];
  const keep = plan.keep.filter((k) => !remove.includes(k.resource));
  const json = ctx.args.flags.json === true;
  if (!json) {
    if (remove.length) {
      ctx.out.table(
        ['KIND', 'NAME', 'PROJECT', 'SIZE', 'WHY'],
        remove.map((r) => row(r, whyRemove(r))),
      );
    }
    if (keep.length) {
      ctx.out.line();
      ctx.out.line('Kept:');
      ctx.out.table(
        ['KIND', 'NAME', 'PROJECT', 'SIZE', 'WHY'],
        keep.map((k) => row(k.resource, k.reason)),
      );
    }
  }
  const shape = (list: ManagedResource[]) => list.map(({ id: _id, ...r }) => r);
  if (!remove.length || dryRun) {
    if (json)
      ctx.out.json({
        removed: [],
        wouldRemove: shape(remove),
        kept: keep.map((k) => ({ ...shape([k.resource])[0], reason: k.reason })),
      });
    else
      ctx.out.line(
        remove.length
          ? `Would delete ${remove.length} (${total(remove)}); --dry-run deleted nothing.`
          : 'Nothing to clean up.',
      );
    return;
  }
  const running = remove.filter((r) => r.kind === 'container' && r.inUse).length;
  const stopping = running
    ? `, stopping ${running} running ${running === 1 ? 'container' : 'containers'}`
    : '';
  if (!(await confirmOrYes(ctx, `Delete ${remove.length} (${total(remove)})${stopping}?`)))
    throw new UserError('Nothing was deleted.');
  const result = await removeManagedResources(ctx.engine, remove, { discardUnmerged: discard }, (line) =>
    ctx.out.note(line),
  );
  if (json) {
    ctx.out.json({
      removed: shape(result.removed),
      skipped: result.skipped.map((s) => ({ ...shape([s.resource])[0], reason: s.reason })),
      kept: keep.map((k) => ({ ...shape([k.resource])[0], reason: k.reason })),
    });
  } else {
    ctx.out.line(`Deleted ${result.removed.length} (${total(result.removed)}).`);
    for (const s of result.skipped) ctx.out.note(`Not deleted: ${s.resource.name}: ${s.reason}`);
  }
  return result.skipped.length ? 1 : 0;
};

/** The project --project names; one whose folder is gone is still named by the path it had. */
function scope(path: string, cwd: string): string {
  const absolute = resolve(cwd, path);
  return folderIsGone(absolute) ? absolute : locateProject(path, cwd).dir;
}
