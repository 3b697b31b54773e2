import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { fetchFromAgent } from '../support/agent-fetch.js';
import { dockerAvailable, makeProject, runCli, waitFor } from '../support/cli.js';
import { canRestartDockerd, restartDockerd } from '../support/engine-restart.js';
import { writePolicyFiles } from '../support/project-files.js';
import { buildTestHostsImage, startTestNetwork, type TestNetwork } from '../support/test-hosts.js';

const engine = createDockerEngine();
// It stops the whole Engine: on CI's own machine always, elsewhere only when asked for.
const wanted = process.env.CI === 'true' || process.env.CLAUDE_TUI_TEST_ENGINE_RESTART === '1';
if (dockerAvailable() && !wanted) {
  console.warn(
    '\n!!! SKIPPING the Docker Engine restart test: it stops and starts dockerd (CI=true or CLAUDE_TUI_TEST_ENGINE_RESTART=1 runs it)\n',
  );
}

describe.skipIf(!dockerAvailable() || !wanted)(
  'after the Docker Engine itself restarts (real dockerd)',
  () => {
    let net: TestNetwork;
    let project: ProjectIdentity;

    beforeAll(async () => {
      const cannot = canRestartDockerd();
      if (cannot) throw new Error(`This test restarts dockerd and cannot here: ${cannot}.`);
      await buildTestHostsImage();
      // The test's own hosts come back with the Engine, as a real server would be there after it.
      net = await startTestNetwork(
        `ctui-test-engine-${process.pid}`,
        { allowed: ['allowed.test'], blocked: ['blocked.test'] },
        { restartWithEngine: true },
      );
      project = makeProject('engine-restart');
      writePolicyFiles(project, {
        // Names resolve through Docker's own DNS (the default upstream): addresses on the test
        // network may change when the Engine restarts.
        config: `firewall:\n  defaults: false\n  selfCheck: { blocked: [], allowed: [] }\nnetworks: [${net.name}]\n`,
        allowlist: 'allowed.test\n',
      });
      const up = await runCli(['up', project.dir, '--yes']);
      expect(up.exitCode, up.stderr).toBe(0);
    });

    afterAll(async () => {
      await runCli(['down', project.dir]);
      await net?.remove();
    });

    it('brings every project back protected, with no command run; the agent never outside it', async () => {
      const before = await engine.inspectContainer(project.names.gateway);
      await restartDockerd(engine);
      // Only looking from here on: no up, no apply.
      type Status = { state: string; firewall: string; agent: { state: string } | null };
      const status = async () =>
        JSON.parse((await runCli(['status', project.dir, '--json'])).stdout) as Status;
      let last: Status | undefined;
      await waitFor(
        'the gateway back, protected',
        async () => (last = await status()).firewall.startsWith('protected: '),
        90_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; the last status: ${JSON.stringify(last)}`);
      });
      expect(last?.firewall).toMatch(/^protected: 1 names/);
      const gateway = await engine.inspectContainer(project.names.gateway);
      expect(gateway?.State.StartedAt).not.toBe(before?.State.StartedAt);
      // Docker starts the restored containers all at once, with no order for a shared namespace:
      // an agent started before its gateway fails to join and stays stopped (never running
      // outside it). It is up within seconds, or stopped for `up` to start.
      const settled = await waitFor(
        'the agent up in the gateway, or stopped',
        async () => {
          const now = await status();
          if (now.state === 'up') return now;
          const agent = await engine.inspectContainer(project.names.agent);
          return agent && !agent.State.Running && !agent.State.Restarting ? now : undefined;
        },
        30_000,
      );
      if (settled.state !== 'up') {
        expect(settled.state).toBe('partial');
        console.log('[engine restart] Docker started the agent before its gateway; `up` starts it');
        expect((await runCli(['up', project.dir])).exitCode).toBe(0);
      }
      // The test's own web server comes back with the Engine too, in its own time.
      await waitFor(
        'the allowed host to answer the agent',
        async () => (await fetchFromAgent(project, 'http://allowed.test/')).body === 'hello from allowed',
        30_000,
      );
      expect((await fetchFromAgent(project, 'http://blocked.test/')).code).toBe(6);
      expect((await fetchFromAgent(project, `http://${await net.ip('blocked')}/`)).code).toBe(7);
    });
  },
);
