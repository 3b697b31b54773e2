import { UserError } from '../errors.js';
import { belongsTo, type ResourceRole } from '../docker/labels.js';
import type { Labels } from '../docker/engine.js';
import type { ProjectIdentity } from './identity.js';

export function assertOwned(
  project: ProjectIdentity,
  kind: 'container' | 'network' | 'volume',
  name: string,
  role: ResourceRole,
  labels: Labels | null | undefined,
): void {
  if (belongsTo(labels, project.id, role)) return;
  throw new UserError(
    `A ${kind} named ${name} already exists, and claude-tui did not create it for ${project.dir}.`,
    `claude-tui has left it alone. Rename or remove it (docker ${kind === 'container' ? '' : `${kind} `}rm ${name}) if it is not needed, then run the command again.`,
  );
}
