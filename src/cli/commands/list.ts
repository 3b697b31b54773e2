import { describeHandle } from '../../project/project-engine.js';
import { engineGroups, listEngine, type EngineListing } from '../../project/engine-projects.js';
import type { ProjectStatus } from '../../project/status.js';
import type { CommandHandler } from '../command-table.js';

/**
 * Projects grouped by the Engine they live on, every Engine read at once with a short timeout:
 * one that cannot be reached is said so, and never holds up the others. The current Engine
 * failing is still the command's failure (exit 3), as it was with one Engine.
 */
export const listCommand: CommandHandler = async (ctx) => {
  const groups = engineGroups(ctx.engines, await ctx.settings.read());
  const listings = await Promise.all(groups.map((group) => listEngine(group)));
  const current = listings[0]!;
  if (!current.reachable) throw current.error;
  if (ctx.args.flags.json) {
    ctx.out.json({ engines: listings.map(engineJson) });
    return;
  }
  if (listings.length === 1 && !current.projects.length) {
    ctx.out.line('No projects yet. Run `claude-tui up` in a project directory.');
    return;
  }
  const header = ['PROJECT', 'STATE', 'GATEWAY', 'AGENT', 'PATH'];
  // One Engine: the table as it always was. Several: a heading per Engine, then its projects.
  if (listings.length === 1) ctx.out.table(header, current.projects.map(projectRow));
  for (const listing of listings.length > 1 ? listings : []) {
    const where = `Engine ${describeHandle(listing.group.handle)}`;
    if (!listing.reachable) {
      ctx.out.line(`${where}: unreachable: ${listing.reason}`);
      for (const dir of listing.group.known) ctx.out.line(`  ${dir} (state unknown)`);
    } else {
      ctx.out.line(`${where}: reachable`);
      if (listing.projects.length) ctx.out.table(header, listing.projects.map(projectRow));
    }
    ctx.out.line();
  }
  if (listings.some((l) => l.reachable && l.projects.some((p) => p.folderMissing))) {
    ctx.out.note(
      'A project whose folder is missing keeps its containers and volumes: `claude-tui cleanup` offers them.',
    );
  }
};

function projectRow(p: ProjectStatus): string[] {
  return [
    p.name,
    p.folderMissing ? 'folder missing' : p.state,
    containerState(p.gateway),
    containerState(p.agent),
    p.dir,
  ];
}

function engineJson(listing: EngineListing) {
  const { handle, current, known } = listing.group;
  const engine = { name: handle.id, endpoint: handle.endpoint, current };
  return listing.reachable
    ? { ...engine, reachable: true, projects: listing.projects }
    : { ...engine, reachable: false, reason: listing.reason, projects: [], remembered: known };
}

function containerState(container: ProjectStatus['gateway']): string {
  return container ? container.state : 'missing';
}
