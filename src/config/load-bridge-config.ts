import { basename } from 'node:path';
import { ConfigError } from '../errors.js';
import type { BridgeConfig } from './bridge-config-schema.js';
import type { BridgePolicy, BridgeTarget } from './bridge-policy.js';

/** Where the bridge's policy lives, relative to the project. */
export const BRIDGE_FILE = '.claude/bridge.yaml';

/**
 * The compose project name `docker compose` gives a folder when none is set: its name lowercased,
 * everything but a-z 0-9 _ and - dropped, and no _ or - left at the start. Empty when nothing is
 * left (compose then refuses to guess, and so do we).
 */
export function composeProjectName(projectDir: string): string {
  return basename(projectDir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/**
 * Parses bridge.yaml's text (read from the host by the policy review, never here) into what the
 * bridge acts on. yaml and zod are loaded only when there is a file to parse.
 */
export async function parseBridgeConfig(
  file: string,
  text: string,
  projectDir: string,
): Promise<BridgePolicy> {
  const [{ parseYamlFile }, { bridgeConfigSchema }] = await Promise.all([
    import('./parse-yaml-file.js'),
    import('./bridge-config-schema.js'),
  ]);
  const config = parseYamlFile(file, text, bridgeConfigSchema);
  const composeProject = config.compose_project ?? composeProjectName(projectDir);
  if (!composeProject) {
    throw new ConfigError(
      file,
      '1:1',
      `compose_project: the folder name ${JSON.stringify(basename(projectDir))} gives no compose project name; set compose_project to the one your compose file runs under`,
    );
  }
  return toBridgePolicy(config, composeProject);
}

function toBridgePolicy(config: BridgeConfig, composeProject: string): BridgePolicy {
  // Without a prototype, a lookup of a name the file does not have (constructor, toString) finds
  // nothing, rather than something of Object's.
  const containers: Record<string, BridgeTarget> = Object.create(null) as Record<string, BridgeTarget>;
  for (const [name, value] of Object.entries(config.containers)) {
    containers[name] =
      typeof value === 'string'
        ? { serviceOrContainer: value }
        : 'service' in value
          ? { service: value.service }
          : { containerName: value.container };
  }
  const commands = Object.create(null) as BridgePolicy['commands'];
  for (const [name, command] of Object.entries(config.commands)) {
    commands[name] = {
      // The schema made sure one of the two is there and names a container.
      container: (command.container ?? config.default_container)!,
      exec: command.exec,
      workdir:
        command.workdir === undefined || command.workdir === '/'
          ? command.workdir
          : command.workdir.replace(/\/$/, ''),
      user: command.user === undefined ? undefined : String(command.user),
      env: [...new Set(command.env ?? [])],
    };
  }
  return { composeProject, defaultContainer: config.default_container, containers, commands };
}
