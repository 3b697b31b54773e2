// Figure for issue 12: starting a git session on a generated repository of 20,000 files and 2,000
// commits, end to end through the CLI (a volume, a container joined to the gateway, the commits
// streamed in as a pack, the files checked out, the agent started), against `git worktree add` of
// the same commit on the host in the same run (target: at most 2x), with `git clone --no-hardlinks`
// for scale.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchProject, CLI, median, removeBenchProject, report, run, timeRun } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const FILES = Number(process.env.BENCH_GIT_FILES ?? 20_000);
const COMMITS = Number(process.env.BENCH_GIT_COMMITS ?? 2_000);
const { dir, env } = benchProject('claude-tui-bench-git-');
const gitEnv = { ...env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.test', LC_ALL: 'C' };
const git = (...args) => run('git', ['-C', dir, ...args], { env: gitEnv });

/** The repository, made by git fast-import: FILES files of 20 lines, then COMMITS commits of 5 edits. */
function generateRepository() {
  git('init', '-q', '-b', 'main');
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31).toString(36).slice(2, 10);
  const chunks = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const file = (i) =>
    Array.from({ length: 20 }, (_, line) => `line ${line} of file ${i} ${random()}\n`).join('');
  const path = (i) => `src/d${Math.floor(i / 200)}/f${i}.txt`;
  chunks.push(
    'commit refs/heads/main\ncommitter Bench <bench@example.test> 1700000000 +0000\n',
    data('start'),
  );
  for (let i = 0; i < FILES; i++) chunks.push(`M 100644 inline ${path(i)}\n`, data(file(i)));
  chunks.push('\n');
  for (let c = 1; c < COMMITS; c++) {
    chunks.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.test> ${1700000000 + c} +0000\n`,
      data(`change ${c}`),
    );
    for (let k = 0; k < 5; k++) {
      const i = Math.floor(Number.parseInt(random(), 36) % FILES);
      chunks.push(`M 100644 inline ${path(i)}\n`, data(file(i)));
    }
    chunks.push('\n');
  }
  const imported = spawnSync('git', ['-C', dir, 'fast-import', '--quiet'], {
    input: chunks.join(''),
    env: gitEnv,
  });
  if (imported.status !== 0) throw new Error(`fast-import: ${imported.stderr}`);
  // A repository people work in is packed; its working tree is checked out.
  git('repack', '-adq');
  git('checkout', '-qf', 'main');
}

mkdirSync(join(dir, '.claude'), { recursive: true });
writeFileSync(
  join(dir, '.claude', 'claude-tui.yaml'),
  'firewall:\n  defaults: false\n  selfCheck: { blocked: [], allowed: [] }\nagent:\n  command: bash\n',
);
writeFileSync(join(dir, '.claude', 'allowed-domains.txt'), '# none\n');
const scratch = `${dir}-scratch`;
try {
  console.log(`generating a repository of ${FILES} files and ${COMMITS} commits…`);
  generateRepository();
  // The bench's own files stay out of the repository's status.
  writeFileSync(join(dir, '.git', 'info', 'exclude'), '.claude/\n.config-home/\n.state/\n');
  run(process.execPath, [CLI, 'up', dir, '--yes'], { env });
  const start = [];
  const worktree = [];
  const worktreeSerial = [];
  const clone = [];
  for (let round = 0; round < rounds; round++) {
    const name = `bench${round}`;
    start.push(timeRun(process.execPath, [CLI, 'start', dir, '--git', '--name', name], { env }));
    run(process.execPath, [CLI, 'stop', name, '--project', dir], { env });

    // With the parallel checkout the clone uses too, and with one worker (git's default): on this
    // kind of machine, writing 20,000 files one after another costs several times more.
    for (const [list, workers] of [
      [worktree, '0'],
      [worktreeSerial, '1'],
    ]) {
      rmSync(scratch, { recursive: true, force: true });
      const config = ['-c', `checkout.workers=${workers}`];
      list.push(
        timeRun('git', ['-C', dir, ...config, 'worktree', 'add', '-q', '--detach', scratch, 'HEAD'], {
          env: gitEnv,
        }),
      );
      git('worktree', 'remove', '--force', scratch);
    }

    rmSync(scratch, { recursive: true, force: true });
    clone.push(timeRun('git', ['clone', '-q', '--no-hardlinks', dir, scratch], { env: gitEnv }));
    rmSync(scratch, { recursive: true, force: true });
  }
  const [s, w, c] = [median(start), median(worktree), median(clone)];
  report('git session start (CLI, end to end)', s, 'ms');
  report('git worktree add, same commit (host)', w, 'ms');
  report('git worktree add, one checkout worker (host)', median(worktreeSerial), 'ms');
  report('git clone --no-hardlinks (host, for scale)', c, 'ms');
  report('git session start / worktree add', s / w, 'x', { text: '<= 2x', test: (v) => v <= 2 });
} finally {
  rmSync(scratch, { recursive: true, force: true });
  removeBenchProject(dir, env);
}
