import { createAppSettingsStore } from '../config/app-settings.js';
import { createDockerEngine } from '../docker/engine-http.js';
import type { Terminal } from '../docker/exec-on-terminal.js';
import type { HostServices } from '../project/host-services.js';
import { systemProcessRunner } from '../system/process.js';
import type { ParsedArgs } from './args.js';
import type { Output } from './output.js';

/** What a command may use; the side effects are passed in here, not imported by commands. */
export interface CommandContext extends HostServices {
  args: ParsedArgs;
  out: Output;
  cwd: string;
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
    cliPath: process.argv[1],
    settings: createAppSettingsStore(process.env, { notice: (text) => out.note(text) }),
    terminal: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  };
}
