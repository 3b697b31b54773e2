import { UsageError, UserError } from '../../errors.js';
import { formatBytes } from '../../project/format-bytes.js';
import {
  holdsUnmerged,
  listManagedResources,
  removeManagedResources,
  type ManagedResource,
} from '../../project/inventory.js';
import type { CommandHandler } from '../command-table.js';
import type { CommandContext } from '../context.js';
import { confirm } from '../prompt.js';

const describeUse = (r: ManagedResource) => (r.inUse ? `in use by ${r.usedBy.join(', ')}` : '-');
const describeUnmerged = (r: ManagedResource) =>
  r.role !== 'git-session' ? '' : r.unmergedCommits === null ? 'unknown' : String(r.unmergedCommits);

/** `volumes`: every volume claude-tui made, with project, size, use and unmerged work. */
export const volumesCommand: CommandHandler = async (ctx) => {
  const volumes = (await listManagedResources(ctx.engine)).resources.filter((r) => r.kind === 'volume');
  if (ctx.args.flags.json) {
    ctx.out.json(volumes.map(({ kind: _kind, id: _id, ...volume }) => volume));
    return;
  }
  if (!volumes.length) {
    ctx.out.line('claude-tui has no volumes in Docker.');
    return;
  }
  ctx.out.table(
    ['VOLUME', 'ROLE', 'PROJECT', 'SIZE', 'USE', 'UNMERGED'],
    volumes.map((v) => [
      v.name,
      v.role,
      v.projectDir ? `${v.projectDir}${v.folderMissing ? ' (folder missing)' : ''}` : '-',
      formatBytes(v.sizeBytes),
      describeUse(v),
      describeUnmerged(v),
    ]),
  );
};

/** Asks on the terminal, or insists on --yes where there is no one to ask. */
export async function confirmOrYes(ctx: CommandContext, question: string): Promise<boolean> {
  if (ctx.args.flags.yes === true) return true;
  if (!ctx.terminal.stdin.isTTY) {
    throw new UserError(
      `${question} There is no terminal to ask on.`,
      'Pass --yes to go ahead without asking.',
    );
  }
  return confirm(question);
}

/** `rm-volume NAME`: deletes one volume claude-tui made, never one it did not. */
export const rmVolumeCommand: CommandHandler = async (ctx) => {
  const [name, ...extra] = ctx.args.positionals;
  if (!name) throw new UsageError('Name the volume.', 'See `claude-tui volumes` for their names.');
  if (extra.length)
    throw new UsageError(`Unexpected argument "${extra[0]}".`, 'Delete one volume at a time.');
  const volume = (await listManagedResources(ctx.engine)).resources.find(
    (r) => r.kind === 'volume' && r.name === name,
  );
  if (!volume) {
    const exists = await ctx.engine.inspectVolume(name);
    throw new UserError(
      exists
        ? `The volume ${name} was not made by claude-tui; it is left alone.`
        : `There is no volume ${name}.`,
      exists
        ? 'Use `docker volume rm` for volumes of other tools.'
        : 'See `claude-tui volumes` for their names.',
    );
  }
  if (volume.inUse) {
    throw new UserError(
      `The volume ${name} is in use by ${volume.usedBy.join(', ')}.`,
      'Take its project down first (`claude-tui down DIR`).',
    );
  }
  let discard = ctx.args.flags['discard-unmerged'] === true;
  const size = formatBytes(volume.sizeBytes);
  if (!(await confirmOrYes(ctx, `Delete the volume ${name} (${size})?`)))
    throw new UserError('Nothing was deleted.');
  if (holdsUnmerged(volume) && !discard) {
    const what =
      volume.unmergedCommits === null
        ? 'may hold commits never merged back (they could not be counted)'
        : `holds ${volume.unmergedCommits} commits never merged back`;
    if (!ctx.terminal.stdin.isTTY || ctx.args.flags.yes === true) {
      throw new UserError(
        `The volume ${name} ${what}; nothing was deleted.`,
        'Merge them first, or pass --discard-unmerged to lose them.',
      );
    }
    discard = await confirm(`The volume ${name} ${what}. Delete it anyway, losing them?`);
    if (!discard) throw new UserError('Nothing was deleted.');
  }
  const { skipped } = await removeManagedResources(ctx.engine, [volume], { discardUnmerged: discard });
  if (skipped.length) throw new UserError(`The volume ${name} was not deleted: ${skipped[0]!.reason}.`);
  ctx.out.line(`Deleted the volume ${name} (${size}).`);
};
