import { createAppSettingsStore, type AppSettingsStore } from '../config/app-settings.js';
import type { DockerEngine } from '../docker/engine.js';
import { createDockerEngine } from '../docker/engine-http.js';
import type { Terminal } from '../docker/interactive-exec.js';
import { systemProcessRunner, type ProcessRunner } from '../system/process.js';
import type { ParsedArgs } from './args.js';
import type { Output } from './output.js';

/** What a command may use; the side effects are passed in here, not imported by commands. */
export interface CommandContext {
  args: ParsedArgs;
  out: Output;
  env: NodeJS.ProcessEnv;
  cwd: string;
  engine: DockerEngine;
  processes: ProcessRunner;
  settings: AppSettingsStore;
  terminal: Terminal;
}

export function createContext(args: ParsedArgs, out: Output): CommandContext {
  return {
    args,
    out,
    env: process.env,
    cwd: process.cwd(),
    // Creating the engine client opens nothing; the first call does.
    engine: createDockerEngine(process.env),
    processes: systemProcessRunner,
    settings: createAppSettingsStore(process.env),
    terminal: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  };
}
