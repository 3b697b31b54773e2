import { listProjects, type ProjectStatus } from '../../project/status.js';
import type { CommandHandler } from '../command-table.js';

export const listCommand: CommandHandler = async (ctx) => {
  const known = (await ctx.settings.read()).projects.map((p) => p.dir);
  const projects = await listProjects(ctx.engine, known);
  if (ctx.args.flags.json) {
    ctx.out.json(projects);
    return;
  }
  if (!projects.length) {
    ctx.out.line('No projects yet. Run `claude-tui up` in a project directory.');
    return;
  }
  const rows = projects.map((p) => [
    p.name,
    p.folderMissing ? 'folder missing' : p.state,
    containerState(p.gateway),
    containerState(p.agent),
    p.dir,
  ]);
  ctx.out.table(['PROJECT', 'STATE', 'GATEWAY', 'AGENT', 'PATH'], rows);
  if (projects.some((p) => p.folderMissing)) {
    ctx.out.note(
      'A project whose folder is missing keeps its containers and volumes: `claude-tui cleanup` offers them.',
    );
  }
};

function containerState(container: ProjectStatus['gateway']): string {
  return container ? container.state : 'missing';
}
