// Attach to a git session on a remote Engine (a second dockerd on TCP with TLS, made here with
// certificates of its own, as the tests make it) against attach to the same kind of session on the
// local socket, in the same run: command to first screen byte, and to the agent's prompt on screen.
// Rounds alternate (ABBA…) so that drift in the machine's load weighs on both sides alike. The
// second Engine gets the agent image from ours (docker save | load: the build is not what is timed).
// Reads test/support/remote-engines.ts as TypeScript: Node 23.6 or later.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProject, CLI, median, ptySession, removeBenchProject, report, run } from './lib.mjs';

const { makeCertificates, removeDir, startSecondEngine, tempDir } =
  await import('../test/support/remote-engines.ts');

const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const fakeAgent = fileURLToPath(new URL('../test/fixtures/fake-agent/fake-agent', import.meta.url));
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** A repository whose agent is the fake agent, committed in it (a remote project binds no folder). */
function gitProject(prefix, engineEnv) {
  const { dir, env } = benchProject(prefix);
  mkdirSync(join(dir, '.claude'));
  writeFileSync(
    join(dir, '.claude', 'claude-tui.yaml'),
    'firewall:\n  defaults: false\n  selfCheck: { blocked: [], allowed: [] }\nagent:\n  command: ./tools/fake-agent\n',
  );
  mkdirSync(join(dir, 'tools'));
  copyFileSync(fakeAgent, join(dir, 'tools', 'fake-agent'));
  chmodSync(join(dir, 'tools', 'fake-agent'), 0o755);
  writeFileSync(join(dir, '.gitignore'), '.config-home/\n.state/\n');
  const git = (...args) =>
    run('git', ['-C', dir, '-c', 'user.name=Bench', '-c', 'user.email=bench@example.test', ...args]);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'start');
  return { dir, env: { ...env, ...engineEnv, TERM: 'xterm-256color' } };
}

function cli(project, ...args) {
  return run(process.execPath, [CLI, ...args], { env: project.env });
}

async function attachOnce(project) {
  const s = ptySession(process.execPath, [CLI, 'attach', 'bench', '--project', project.dir], project.env);
  await s.waitFor('\x1b[?1049h', 0);
  const prompt = await s.waitFor('> ', 0);
  await pause(100);
  s.p.write('\x11');
  await s.exit;
  return { firstByte: s.firstByte(), prompt: prompt - s.startedAt };
}

const dir = tempDir('ctui-bench-ra-');
let second;
const projects = [];
try {
  const certs = await makeCertificates(dir);
  second = await startSecondEngine(dir, certs);
  const local = gitProject('claude-tui-bench-ra-local-', {});
  const remote = gitProject('claude-tui-bench-ra-tls-', {
    DOCKER_HOST: `tcp://127.0.0.1:${second.tlsPort}`,
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: certs.clientDir,
  });
  projects.push(local, remote);
  cli(local, 'up', local.dir, '--yes');
  const image = run('docker', [
    'inspect',
    '-f',
    '{{.Config.Image}}',
    JSON.parse(cli(local, 'status', local.dir, '--json')).agent.name,
  ]);
  run('sh', ['-c', 'docker save "$1" | docker -H "unix://$2" load -q', 'sh', image, second.socket]);
  cli(remote, 'up', remote.dir, '--yes');
  for (const project of projects) cli(project, 'start', project.dir, '--git', '--name', 'bench');
  await pause(1000);

  const results = { local: [], remote: [] };
  await attachOnce(local);
  await attachOnce(remote);
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 ? ['remote', 'local'] : ['local', 'remote'];
    for (const kind of order) results[kind].push(await attachOnce(kind === 'local' ? local : remote));
  }
  const pick = (kind, key) => median(results[kind].map((r) => r[key]));
  console.log(`claude-tui bench: attach to a git session on a TLS Engine (${rounds} rounds, medians)`);
  report('attach, local socket: command to first byte', pick('local', 'firstByte'), 'ms');
  report('attach, TLS Engine: command to first byte', pick('remote', 'firstByte'), 'ms');
  report('attach, local socket: command to prompt', pick('local', 'prompt'), 'ms');
  report('attach, TLS Engine: command to prompt', pick('remote', 'prompt'), 'ms');
  report(
    'attach ratio (TLS / local socket), first byte',
    pick('remote', 'firstByte') / pick('local', 'firstByte'),
    'x',
    {
      text: '<= 1.3x',
      test: (v) => v <= 1.3,
    },
  );
} finally {
  for (const project of projects) {
    run(process.execPath, [CLI, 'cleanup', '--project', project.dir, '--yes', '--discard-unmerged'], {
      env: project.env,
      allowFailure: true,
    });
    removeBenchProject(project.dir, project.env);
  }
  await second?.stop();
  removeDir(dir);
}
