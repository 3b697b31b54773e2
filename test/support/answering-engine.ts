import { Writable } from 'node:stream';
import type { DockerEngine } from '../../src/docker/engine.js';
import type { ExecProcess } from '../../src/docker/exec-process.js';
import type { ExecResult } from '../../src/docker/exec.js';

/**
 * For pure unit tests: an Engine whose only working call is exec, each answered at once with the
 * result `answer` gives for the command (stdin is taken and ignored).
 */
export function answeringEngine(answer: (command: readonly string[]) => ExecResult): DockerEngine {
  return {
    startExec(request, onOutput): Promise<ExecProcess> {
      const result = answer(request.command);
      if (result.stdout) onOutput('stdout', Buffer.from(result.stdout));
      if (result.stderr) onOutput('stderr', Buffer.from(result.stderr));
      return Promise.resolve({
        stdin: new Writable({ write: (_chunk, _encoding, done) => done() }),
        resize: () => undefined,
        pause: () => undefined,
        resume: () => undefined,
        exit: Promise.resolve(result.exitCode),
        close: () => undefined,
      });
    },
  } as Partial<DockerEngine> as DockerEngine;
}
