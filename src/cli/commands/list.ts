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
    p.state,
    containerState(p.gateway),
    containerState(p.agent),
    p.dir,
  ]);
  printTable((text) => ctx.out.line(text), ['PROJECT', 'STATE', 'GATEWAY', 'AGENT', 'PATH'], rows);
};

function containerState(container: ProjectStatus['gateway']): string {
  return container ? container.state : 'missing';
}

export function printTable(line: (text: string) => void, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  line(format(header));
  for (const row of rows) line(format(row));
}
