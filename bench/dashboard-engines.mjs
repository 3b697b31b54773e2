// The dashboard over two Engines, this machine's and a second dockerd on TLS (certificates made
// here, reached through a Docker context): start to the first full frame, against the same
// dashboard over this machine's Engine alone, in the same run. A full frame: every Engine's
// heading says it is reachable, every project is listed with its state, the local project's
// firewall is read and its session's preview is on screen.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProject, CLI, dashboardInPty, median, removeBenchProject, report, run } from './lib.mjs';
// Node runs the test support's TypeScript as it is (type stripping).
import { makeCertificates, removeDir, startSecondEngine, tempDir } from '../test/support/remote-engines.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const image = 'debian:bookworm-slim';
const fakeAgent = fileURLToPath(new URL('../test/fixtures/fake-agent', import.meta.url));
const { dir: root, env: baseEnv } = benchProject('claude-tui-bench-de-', {
  notifications: { desktop: false },
});
const context = `ctui-bench-${process.pid}`;

/** Start to the first frame that `full` accepts (the dashboard in a pty of 120x40). */
async function firstFrame(env, cwd, full) {
  const d = dashboardInPty(env, cwd);
  try {
    return (await d.waitFor(full)) - d.started;
  } finally {
    d.p.write('q');
    await d.exited;
  }
}

const dir = tempDir('ctui-bde-');
let second;
const local = join(root, 'local');
try {
  const certs = await makeCertificates(dir);
  second = await startSecondEngine(dir, certs);
  execFileSync('sh', ['-c', `docker save "$1" | docker -H "unix://$2" load`, 'sh', image, second.socket]);
  const dockerConfig = join(dir, 'docker-config');
  const at = (file) => join(certs.clientDir, file);
  run(
    'docker',
    [
      ...['context', 'create', context, '--docker'],
      `host=tcp://127.0.0.1:${second.tlsPort},ca=${at('ca.pem')},cert=${at('cert.pem')},key=${at('key.pem')}`,
    ],
    { env: { ...process.env, DOCKER_CONFIG: dockerConfig } },
  );
  const env = { ...baseEnv, TERM: 'xterm-256color', DOCKER_CONFIG: dockerConfig };

  // The local project, up with one session of the fake agent.
  mkdirSync(join(local, '.claude'), { recursive: true });
  writeFileSync(
    join(local, '.claude', 'claude-tui.yaml'),
    ['firewall:', '  defaults: false', '  selfCheck: { blocked: [], allowed: [] }', 'agent:']
      .concat([
        '  command: /opt/fake-agent/fake-agent',
        'mounts:',
        `  - { source: ${fakeAgent}, target: /opt/fake-agent }`,
        '',
      ])
      .join('\n'),
  );
  chownSync(local, 1234, 1234);
  run(process.execPath, [CLI, 'up', local, '--yes'], { env });
  run(process.execPath, [CLI, 'start', local, '--name', 's1'], { env });

  // The remote project: its pair made on the second Engine, labelled as claude-tui labels them.
  const remote = join(root, 'remote');
  mkdirSync(remote);
  // Its id and slug as claude-tui works them out (asked here before it is remembered anywhere).
  const identity = JSON.parse(run(process.execPath, [CLI, 'status', remote, '--json'], { env }));
  for (const role of ['gateway', 'agent']) {
    const labels = {
      'dev.claude-tui.managed': 'true',
      'dev.claude-tui.role': role,
      'dev.claude-tui.project': remote,
      'dev.claude-tui.project-id': identity.id,
    };
    run('docker', [
      ...['-H', `unix://${second.socket}`, 'run', '-d', '--init', '--network', 'none'],
      ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
      ...['--name', `claude-tui-${identity.slug}-${identity.id}-${role}`, image, 'sleep', 'infinity'],
    ]);
  }
  const settingsFile = join(env.CLAUDE_TUI_CONFIG_DIR, 'config.json');
  const single = JSON.parse(readFileSync(settingsFile, 'utf8'));
  const two = {
    ...single,
    projects: [...single.projects, { dir: remote, lastUsed: new Date().toISOString(), engine: { context } }],
  };
  await new Promise((resolve) => setTimeout(resolve, 3000));

  const localReady = (s) => /›\s+local\s+up\s+protected/.test(s) && s.includes('fake-agent ready');
  const singleFull = (s) => localReady(s) && !s.includes('ENGINE');
  // The second Engine's heading is cut at the column's width: its project listed says it answered.
  const twoFull = (s) =>
    localReady(s) &&
    /ENGINE default · \S+ · reachable/.test(s) &&
    s.includes(`ENGINE ${context} · tcp://`) &&
    /\n\s+remote\s+(up|rejoining)/.test(s);
  const one = [];
  const both = [];
  for (let r = 0; r < rounds; r++) {
    writeFileSync(settingsFile, JSON.stringify(single));
    one.push(await firstFrame(env, local, singleFull));
    writeFileSync(settingsFile, JSON.stringify(two));
    both.push(await firstFrame(env, local, twoFull));
  }
  console.log(`claude-tui bench: dashboard over two Engines, one on TLS (${rounds} rounds, medians)`);
  report('first full frame, this machine’s Engine alone', median(one), 'ms');
  report('first full frame, two Engines (one TLS)', median(both), 'ms', {
    text: '< 600 ms',
    test: (v) => v < 600,
  });
  report('two Engines over one', median(both) / median(one), 'x');
} finally {
  removeBenchProject(local, baseEnv);
  await second?.stop();
  removeDir(dir);
  removeDir(root);
}
