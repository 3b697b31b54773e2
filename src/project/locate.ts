import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { projectIdentity, type ProjectIdentity } from './identity.js';

/** Resolves the DIR argument of a command (default: the current directory) to a project. */
export function locateProject(dirArgument: string | undefined, cwd: string = process.cwd()): ProjectIdentity {
  const requested = resolve(cwd, dirArgument ?? '.');
  let stat;
  try {
    stat = statSync(requested);
  } catch {
    throw new UserError(`${requested} does not exist.`, 'Pass the path of an existing project directory.');
  }
  if (!stat.isDirectory()) {
    throw new UserError(
      `${requested} is not a directory.`,
      'Pass the path of a project directory, not a file.',
    );
  }
  return projectIdentity(realpathSync(requested));
}
