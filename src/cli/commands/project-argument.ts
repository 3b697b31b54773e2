import { UsageError } from '../../errors.js';
import type { ProjectIdentity } from '../../project/identity.js';
import { locateProject } from '../../project/locate.js';
import type { CommandContext } from '../context.js';

/** The optional DIR argument; more than one positional is a usage error. */
export function projectArgument(ctx: CommandContext): ProjectIdentity {
  const [dir, ...extra] = ctx.args.positionals;
  if (extra.length)
    throw new UsageError(`Unexpected argument "${extra[0]}".`, 'Pass at most one project directory.');
  return locateProject(dir, ctx.cwd);
}
