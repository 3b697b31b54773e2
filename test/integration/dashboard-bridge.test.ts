import { appendFileSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeCallLogPath, type BridgeCall } from '../../src/bridge/call-log.js';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { projectStateDir } from '../../src/project/project-state-dir.js';
import { docker, dockerAvailable, makeProject, runCli, testEnv } from '../support/cli.js';
import { TerminalHarness } from '../support/terminal.js';

const engine = createDockerEngine();
/** The locally seeded base image: nothing is pulled. */
const IMAGE = 'debian:bookworm-slim';
const compose = `ctui-dash-shop-${process.pid}`;
const composeNetwork = `${compose}_default`;
const containers = [`${compose}-php-1`, `${compose}-db-1`];

const BRIDGE_YAML = [
  'version: "1"',
  `compose_project: ${compose}`,
  'default_container: php',
  'containers:',
  '  php: php',
  'commands:',
  '  php: { exec: php }',
  '  composer: { exec: composer, workdir: /app }',
  '',
].join('\n');

/** A call as the relay appends it to the log. */
const line = (call: BridgeCall) => `${JSON.stringify(call)}\n`;

describe.skipIf(!dockerAvailable())(
  'the dashboard shows networks, sidecars and bridge calls (built binary in a pty)',
  () => {
    let project: ProjectIdentity;
    let dash: TerminalHarness;
    let callLog: string;

    beforeAll(async () => {
      // A compose project of test containers, made the way compose labels them.
      await docker(['network', 'create', '--label', `com.docker.compose.project=${compose}`, composeNetwork]);
      for (const [name, service] of [
        [containers[0]!, 'php'],
        [containers[1]!, 'db'],
      ] as const) {
        await engine.createContainer(name, {
          Image: IMAGE,
          Cmd: ['sleep', 'infinity'],
          Labels: { 'com.docker.compose.project': compose, 'com.docker.compose.service': service },
          HostConfig: { NetworkMode: composeNetwork },
        });
        await engine.startContainer(name);
      }

      project = makeProject('dash-bridge');
      mkdirSync(join(project.dir, '.claude'));
      writeFileSync(join(project.dir, '.claude', 'claude-tui.yaml'), `networks: [${composeNetwork}]\n`);
      writeFileSync(join(project.dir, '.claude', 'bridge.yaml'), BRIDGE_YAML);
      for (const path of ['.claude', '.claude/claude-tui.yaml', '.claude/bridge.yaml'])
        chownSync(join(project.dir, path), 1234, 1234);
      // Approved, not up: what is shown comes from the approved policy, the Engine and the log alone.
      const approve = await runCli(['approve', project.dir, '--yes']);
      expect(approve.exitCode, approve.stderr).toBe(0);

      const stateDir = projectStateDir(project, { ...process.env, ...testEnv() });
      callLog = bridgeCallLogPath(stateDir);
      const now = Date.now();
      writeFileSync(
        callLog,
        line({ at: now - 90_000, command: 'composer', exitCode: 0, durationMs: 4200 }) +
          line({
            at: now - 30_000,
            command: 'nc',
            exitCode: undefined,
            durationMs: 1,
            refused: 'not a bridged command',
          }) +
          line({ at: now - 10_000, command: 'php', exitCode: 255, durationMs: 180 }),
      );
      dash = new TerminalHarness([], { cols: 120, rows: 40 }, {}, project.dir);
    }, 120_000);

    afterAll(async () => {
      dash?.write('q');
      await dash?.exitCode().catch(() => dash.proc.kill());
      for (const name of containers) await engine.removeContainer(name);
      await docker(['network', 'rm', composeNetwork], { reject: false });
    });

    it('opens with b on the project it was started in: its network and the bridge’s calls', async () => {
      await dash.waitFor('claude-tui projects');
      await dash.waitFor(/SESSIONS {2}dash-bridge-/);
      dash.write('b');
      await dash.waitFor('RECENT CALLS');
      await dash.waitFor(`${composeNetwork}  compose project ${compose}`);
      await dash.waitFor(/php\s+exit 255\s+180 ms\s+\d+s ago/);
      await dash.waitFor(/nc\s+refused\s+1 ms\s+\d+s ago\s+not a bridged command/);
      await dash.waitFor(/composer\s+exit 0\s+4\.2 s\s+1m ago/);
    });

    it('shows a call the relay appends while the screen is open', async () => {
      appendFileSync(callLog, line({ at: Date.now(), command: 'composer', exitCode: 3, durationMs: 75 }));
      // Half a line, as the relay may leave it for a moment: not shown, and no harm done.
      appendFileSync(callLog, '{"at":1,"command":"ph');
      await dash.waitFor(/composer\s+exit 3\s+75 ms\s+\ds ago/, 5000);
      await dash.waitFor('4 · newest first');
    });

    it('shows the compose project’s containers, those the bridge reaches, and follows their state', async () => {
      await dash.waitFor(`compose project ${compose} · 2 containers, 1 bridged`);
      await dash.waitFor(new RegExp(`php\\s+${containers[0]}\\s+running\\s+composer, php`));
      await dash.waitFor(new RegExp(`db\\s+${containers[1]}\\s+running\\s+not bridged`));
      await engine.stopContainer(containers[1]!, 0);
      // Docker's event stream says so at once (the screen test shows that the event is what reads
      // the list again); the policy's reading every few seconds would catch it at the latest.
      await dash.waitFor(new RegExp(`db\\s+${containers[1]}\\s+exited\\s+not bridged`), 6000);
    });

    it('status says the same for scripts', async () => {
      const result = await runCli(['status', project.dir, '--json']);
      expect(result.exitCode, result.stderr).toBe(0);
      const status = JSON.parse(result.stdout) as {
        networks: unknown;
        sidecars: { sidecars: { service: string; commands: string[] }[] } | null;
        bridgeCalls: BridgeCall[];
      };
      expect(status.networks).toEqual([{ name: composeNetwork, exists: true, composeProject: compose }]);
      expect(status.bridgeCalls.map((c) => [c.command, c.exitCode ?? c.refused])).toEqual([
        ['composer', 3],
        ['php', 255],
        ['nc', 'not a bridged command'],
        ['composer', 0],
      ]);
      expect(status.sidecars?.sidecars.map((s) => [s.service, s.commands])).toEqual([
        ['db', []],
        ['php', ['composer', 'php']],
      ]);
    });
  },
);
