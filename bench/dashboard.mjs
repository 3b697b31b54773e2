// Figures for the dashboard with 20 projects, 100 sessions and 200 volumes, all real and labelled
// in the Docker Engine: start to first full frame, resident memory, CPU while idle, and detach to
// the dashboard redrawn. Baselines from the same run: Node's own start and `claude-tui --version`.
import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProject, CLI, dashboardInPty, median, report, run, timeRun } from './lib.mjs';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 20);
const SESSIONS_PER_PROJECT = 5;
const VOLUMES = 200;
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const { dir: root, env: baseEnv } = benchProject('claude-tui-bench-d-', {
  notifications: { desktop: false },
});
const env = { ...baseEnv, TERM: 'xterm-256color' };
const fakeAgent = fileURLToPath(new URL('../test/fixtures/fake-agent', import.meta.url));
const cli = (...args) => run(process.execPath, [CLI, ...args], { env });
const say = (text) => process.env.BENCH_DEBUG && console.error(text);

/**
 * A full first frame: every project counted with its firewall state and sessions (no "…" left
 * where one is still being read), the selected project's sessions and its preview.
 */
const fullFrame = (screen) =>
  Number(/PROJECTS\s+\d+ · (\d+) up/.exec(screen)?.[1]) >= PROJECTS &&
  /›\s+\S+\s+idle/.test(screen) &&
  screen.includes('fake-agent ready') &&
  !/… {2}|… sess/.test(screen);

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const projects = [];
const extraVolumes = [];
try {
  say('making fixtures');
  for (let i = 0; i < PROJECTS; i++) {
    const dir = join(root, `proj-${String(i).padStart(2, '0')}`);
    mkdirSync(join(dir, '.claude'), { recursive: true });
    writeFileSync(
      join(dir, '.claude', 'claude-tui.yaml'),
      [
        'firewall:',
        '  defaults: false',
        '  selfCheck: { blocked: [], allowed: [] }',
        'agent:',
        '  command: /opt/fake-agent/fake-agent',
        'mounts:',
        `  - { source: ${fakeAgent}, target: /opt/fake-agent }`,
        '',
      ].join('\n'),
    );
    chownSync(dir, 1234, 1234);
    cli('up', dir, '--yes');
    for (let s = 0; s < SESSIONS_PER_PROJECT; s++) cli('start', dir, '--name', `s${s}`);
    projects.push(dir);
    say(`  project ${i + 1} up with ${SESSIONS_PER_PROJECT} sessions`);
  }
  // Each project has its home volume; the rest of the 200 are session volumes spread over them.
  const homes = projects.map((dir) => {
    const status = JSON.parse(cli('status', dir, '--json'));
    return JSON.parse(run('docker', ['volume', 'inspect', status.volumes[0]]))[0];
  });
  for (let v = 0; extraVolumes.length + PROJECTS < VOLUMES; v++) {
    const home = homes[v % PROJECTS];
    const name = `${home.Name.replace(/-home$/, '')}-bench-${v}`;
    const labels = { ...home.Labels, 'dev.claude-tui.role': 'session' };
    run('docker', [
      'volume',
      'create',
      ...Object.entries(labels).flatMap(([k, val]) => ['--label', `${k}=${val}`]),
      name,
    ]);
    extraVolumes.push(name);
  }
  // Let every fake agent reach its prompt, so the first frame shows settled states.
  await new Promise((resolve) => setTimeout(resolve, 3000));

  const nodeStart = [];
  const version = [];
  const firstFrame = [];
  const rss = [];
  const idleCpu = [];
  const redraw = [];
  for (let r = 0; r < rounds; r++) {
    nodeStart.push(timeRun(process.execPath, ['-e', '0']));
    version.push(timeRun(process.execPath, [CLI, '--version'], { env }));
    // Started in the first project, as a person would be: the dashboard opens on it.
    const d = dashboardInPty(env, projects[0]);
    firstFrame.push((await d.waitFor(fullFrame)) - d.started);
    // Idle: nothing pressed, nothing changing; the preview of one session refreshes.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const ticks = cpuTicks(d.p.pid);
    const idleFrom = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const seconds = (performance.now() - idleFrom) / 1000;
    idleCpu.push(((cpuTicks(d.p.pid) - ticks) / 100 / seconds) * 100);
    rss.push(rssMb(d.p.pid));
    // Attach to the selected session, then detach: time from the key to the dashboard redrawn.
    // One key per read, as a person types: keys sent together would arrive as one input.
    const pause = () => new Promise((resolve) => setTimeout(resolve, 300));
    d.p.write('\t');
    await pause();
    d.p.write('\r');
    await d.waitFor((s) => !s.includes('PROJECTS'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const key = performance.now();
    d.p.write('\x11');
    redraw.push((await d.waitFor((s) => s.includes('PROJECTS') && s.includes('Detached from'))) - key);
    await pause();
    d.p.write('q');
    await d.exited;
    say(`  round ${r + 1}: first frame ${firstFrame.at(-1).toFixed(0)} ms, rss ${rss.at(-1).toFixed(0)} MB`);
  }

  console.log(
    `claude-tui bench: dashboard (${PROJECTS} projects, ${PROJECTS * SESSIONS_PER_PROJECT} sessions, ${VOLUMES} volumes; ${rounds} rounds, medians)`,
  );
  report('node -e 0 (Node start alone, for scale)', median(nodeStart), 'ms');
  report('claude-tui --version (CLI start, baseline)', median(version), 'ms');
  report('start to first full frame', median(firstFrame), 'ms', { text: '< 500 ms', test: (v) => v < 500 });
  report('resident memory, dashboard open', median(rss), 'MB', { text: '< 150 MB', test: (v) => v < 150 });
  report('CPU while idle (10 s), % of one core', median(idleCpu), '%', { text: '< 1%', test: (v) => v < 1 });
  report('detach to dashboard redrawn', median(redraw), 'ms', { text: '< 100 ms', test: (v) => v < 100 });
} finally {
  for (const dir of projects) {
    const status = JSON.parse(
      run(process.execPath, [CLI, 'status', dir, '--json'], { env, allowFailure: true }) || '{}',
    );
    run(process.execPath, [CLI, 'down', dir], { env, allowFailure: true });
    for (const volume of status.volumes ?? [])
      run('docker', ['volume', 'rm', volume], { allowFailure: true });
  }
  for (const volume of extraVolumes) run('docker', ['volume', 'rm', volume], { allowFailure: true });
  rmSync(root, { recursive: true, force: true });
}
