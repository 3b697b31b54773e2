import { describe, expect, it } from 'vitest';
import type { DockerEngine } from '../../src/docker/engine.js';
import type { ExecResult } from '../../src/docker/exec.js';
import { answeringEngine } from '../support/answering-engine.js';
import { reloadOrRollBack } from '../../src/firewall/apply-firewall.js';

/** A gateway that answers each `firewall reload` with the next of these results. */
function gateway(results: ExecResult[]) {
  const calls: string[][] = [];
  const engine: DockerEngine = answeringEngine((command) => {
    calls.push([...command]);
    return results.shift()!;
  });
  return { engine, calls };
}

describe('reloadOrRollBack', () => {
  const ok = { exitCode: 0, stdout: 'protected: 3 names, 0 ranges', stderr: '' };
  const failed = (why: string) => ({ exitCode: 1, stdout: '', stderr: `firewall: ${why}` });

  it('puts the previous policy back and applies it again when the new one fails', async () => {
    const { engine, calls } = gateway([failed('the IPv4 rules were refused'), ok]);
    let restored = 0;
    await expect(
      reloadOrRollBack(engine, 'gw', { changed: true, restore: () => Promise.resolve(void restored++) }),
    ).rejects.toThrow('the IPv4 rules were refused');
    expect(restored).toBe(1);
    expect(calls).toHaveLength(2);
  });

  it('says so when the previous policy cannot be applied again either, naming both reasons', async () => {
    const { engine } = gateway([failed('the IPv4 rules were refused'), failed('the resolver did not start')]);
    const error = await reloadOrRollBack(engine, 'gw', {
      changed: true,
      restore: () => Promise.resolve(),
    }).then(
      () => undefined,
      (e: unknown) => e as Error & { hint?: string },
    );
    expect(error?.message).toContain('the IPv4 rules were refused');
    expect(error?.message).toContain(
      'applying the previous one again failed too (the resolver did not start)',
    );
    expect(error?.hint).toContain('unprotected');
  });
});
