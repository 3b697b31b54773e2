import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { claudeMcpServers } from '../config/mcp-servers.js';
import type { ProjectConfig } from '../config/project-config-schema.js';
import type { DockerEngine } from '../docker/engine.js';
import { execText } from '../docker/exec.js';
import { UserError } from '../errors.js';
import { AGENT_USER } from '../project/container-specs.js';
import type { ProjectIdentity } from '../project/identity.js';
import { writeFileAtomically } from '../system/write-file-atomically.js';
import { SESSION_SCRIPT } from './sessions.js';

/**
 * Claude Code's MCP settings, written from the approved project config into the agent's home
 * (`mcpServers` in ~/.claude.json), merged with the person's own servers there (images/session.sh
 * install-mcp). Written as the agent's user: the home is the agent's to write, and a root that
 * wrote there could be led by a link anywhere in the container.
 */
export async function writeMcpSettings(
  engine: DockerEngine,
  container: string,
  config: ProjectConfig,
): Promise<void> {
  const result = await execText(engine, container, [SESSION_SCRIPT, 'install-mcp'], {
    user: AGENT_USER,
    input: JSON.stringify(claudeMcpServers(config)),
  });
  if (result.exitCode !== 0) {
    throw new UserError(
      `The MCP servers could not be written into the agent's settings: ${result.stderr.trim()}`,
      'Fix what is named above (claude-tui shell opens a shell in the agent), then try again.',
    );
  }
}

/** What the host last wrote, and into which agent container (its home volume goes with it). */
interface WrittenRecord {
  agent: string;
  servers: string;
}

const RECORD_FILE = 'mcp-written.json';

/**
 * When the approved servers are written: at `up` only when they differ from what was last written
 * to this agent container, so that an `up` with nothing to do starts no process in the agent; at a
 * session's start always, whatever the agent did to the file meanwhile. Neither writes when there
 * is nothing of ours to write or to take away, which is the common case: no exec at all.
 */
export async function syncMcpSettings(
  engine: DockerEngine,
  project: ProjectIdentity,
  config: ProjectConfig,
  stateDir: string,
  moment: 'up' | 'session-start',
): Promise<void> {
  const servers = JSON.stringify(claudeMcpServers(config));
  const record = join(stateDir, RECORD_FILE);
  const written = await readRecord(record);
  if (servers === '{}' && (written?.servers ?? '{}') === '{}') return;
  const agent = await engine.inspectContainer(project.names.agent);
  if (!agent?.State.Running) return;
  if (moment === 'up' && written?.agent === agent.Id && written.servers === servers) return;
  await writeMcpSettings(engine, project.names.agent, config);
  await writeFileAtomically(record, JSON.stringify({ agent: agent.Id, servers }), 0o600);
}

async function readRecord(file: string): Promise<WrittenRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as WrittenRecord;
  } catch {
    return undefined;
  }
}
