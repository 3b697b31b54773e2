import { UsageError } from '../../errors.js';
import type { ProjectIdentity } from '../../project/identity.js';
import { agentUnavailable } from '../../project/agent-exec.js';
import { locateProject } from '../../project/locate.js';
import type { CommandContext } from '../context.js';

/** The optional DIR argument; more than one positional is a usage error. */
export function projectArgument(ctx: CommandContext): ProjectIdentity {
  const [dir, ...extra] = ctx.args.positionals;
  if (extra.length)
    throw new UsageError(`Unexpected argument "${extra[0]}".`, 'Pass at most one project directory.');
  return locateProject(dir, ctx.cwd);
}

/** Stops early, with the reason and what to do, when the project's agent is not running. */
export async function assertAgentUp(ctx: CommandContext, project: ProjectIdentity): Promise<void> {
  const problem = await agentUnavailable(ctx.engine, project);
  if (problem) throw problem;
}
