import { ALLOWLIST_FILES } from '../firewall/project-allowlist.js';
import { BRIDGE_FILE } from '../config/load-bridge-config.js';
import { PROJECT_CONFIG_FILE } from '../config/load-project-config.js';

export { BRIDGE_FILE };

/**
 * The project's files that decide the agent's rights. The agent can write the workspace, so each
 * is only a proposal until a person approves it on the host; what runs is the approved copy.
 */
export const POLICY_FILES = [PROJECT_CONFIG_FILE, ...ALLOWLIST_FILES, BRIDGE_FILE] as const;
export type PolicyFile = (typeof POLICY_FILES)[number];
