import type { CredentialStore } from '../auth/credential-store.js';
import type { AppSettingsStore } from '../config/app-settings.js';
import type { DockerEngine } from '../docker/engine.js';
import type { EngineRef } from '../docker/engine-ref.js';
import type { EngineRegistry } from '../docker/engine-registry.js';
import type { ProcessRunner } from '../system/process.js';

/**
 * The side effects an operation on a project may use, passed in by whoever drives it (a CLI
 * command or the dashboard), so both run the same operations.
 */
export interface HostServices {
  engine: DockerEngine;
  /** Which Engine `engine` is, as a project remembers it (absent: not known, nothing is recorded). */
  engineRef?: EngineRef;
  /** Every Engine of this run, for what spans several (the dashboard, `ls`, a project's own). */
  engines?: EngineRegistry;
  processes: ProcessRunner;
  settings: AppSettingsStore;
  env: NodeJS.ProcessEnv;
  /** Where the agent's credentials are kept; default: the host's secrets file. */
  credentials?: CredentialStore;
  /** The claude-tui script, for helpers that outlive the command (the SSH agent relay). */
  cliPath?: string;
}
