import type { GitRunner } from './git-runner.js';
import type { SessionClone } from './types.js';

/**
 * A session clone in a plain folder on this machine, for tests (ours and the merge screen's) and
 * for clones the person trusts. Git runs there through the host runner, so hooks are off and no
 * prompt can appear; a folder's own git config is still read, so never point this at a clone the
 * agent wrote to outside a test: in production the clone lives in a volume and git runs there.
 */
export function folderClone(run: GitRunner, dir: string): SessionClone {
  return {
    git: async (args, options = {}) =>
      run(dir, ['-c', 'core.fsmonitor=false', ...args], {
        allowFailure: true,
        stdout: options.stdout,
        ...(options.stdin ? { input: await text(options.stdin) } : {}),
      }),
  };
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
