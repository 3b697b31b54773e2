import { createAppSettingsStore } from '../config/app-settings.js';
import { environmentForContext } from '../docker/docker-context.js';
import { createEngineRegistry, type EngineRegistry } from '../docker/engine-registry.js';
import type { Terminal } from '../docker/exec-on-terminal.js';
import type { HostServices } from '../project/host-services.js';
import { systemProcessRunner } from '../system/process.js';
import type { ParsedArgs } from './args.js';
import type { Output } from './output.js';

/** What a command may use; the side effects are passed in here, not imported by commands. */
export interface CommandContext extends HostServices {
  engines: EngineRegistry;
  args: ParsedArgs;
  out: Output;
  cwd: string;
  terminal: Terminal;
}

export function createContext(args: ParsedArgs, out: Output): CommandContext {
  const context = typeof args.flags.context === 'string' ? args.flags.context : undefined;
  // What we start (the watcher, the SSH relay) reaches the Engine `--context` chose, too.
  const env = environmentForContext(process.env, context);
  // Creating the engine clients opens nothing; the first call does.
  const engines = createEngineRegistry(env, { context });
  return {
    args,
    out,
    env,
    cwd: process.cwd(),
    engine: engines.current.engine,
    engineRef: engines.current.ref,
    engines,
    processes: systemProcessRunner,
    cliPath: process.argv[1],
    settings: createAppSettingsStore(process.env, { notice: (text) => out.note(text) }),
    terminal: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  };
}
