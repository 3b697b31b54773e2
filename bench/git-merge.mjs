// Figures for git sessions: listing and merging 50 session commits with src/git (bundled from
// source with esbuild, as the CLI is), against `git cherry-pick` of the same 50 on the host in the
// same run. Real repositories in a temporary folder; no Docker.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { median, report, run } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const COMMITS = 50;
const root = realpathSync(mkdtempSync(join(tmpdir(), 'claude-tui-bench-git-')));
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };
const git = (dir, ...args) => run('git', args, { cwd: dir, env });

// The library, bundled to one module beside the repositories.
const entry = join(root, 'entry.ts');
writeFileSync(
  entry,
  [
    `export { mergeSession } from ${JSON.stringify(new URL('../src/git/merge.ts', import.meta.url).pathname)};`,
    `export { listSessionCommits } from ${JSON.stringify(new URL('../src/git/session-log.ts', import.meta.url).pathname)};`,
    `export { bringOver } from ${JSON.stringify(new URL('../src/git/bring-over.ts', import.meta.url).pathname)};`,
    `export { folderClone } from ${JSON.stringify(new URL('../src/git/folder-clone.ts', import.meta.url).pathname)};`,
    `export { createGitRunner } from ${JSON.stringify(new URL('../src/git/git-runner.ts', import.meta.url).pathname)};`,
    `export { systemProcessRunner } from ${JSON.stringify(new URL('../src/system/process.ts', import.meta.url).pathname)};`,
  ].join('\n'),
);
await build({
  entryPoints: [entry],
  outfile: join(root, 'git-lib.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  nodePaths: [new URL('../node_modules', import.meta.url).pathname],
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
const lib = await import(pathToFileURL(join(root, 'git-lib.mjs')).href);
const runner = lib.createGitRunner(lib.systemProcessRunner, {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
});

/** A host repository and a clone with 50 commits brought over as session `bench`. */
async function setUp(round) {
  const dir = join(root, `round-${round}`);
  const host = join(dir, 'host');
  const clone = join(dir, 'clone');
  mkdirSync(host, { recursive: true });
  git(host, 'init', '-q', '-b', 'main');
  git(host, 'config', 'user.name', 'Bench');
  git(host, 'config', 'user.email', 'bench@example.test');
  for (let i = 0; i < 200; i++) writeFileSync(join(host, `file-${i}.txt`), `line ${i}\n`.repeat(20));
  git(host, 'add', '-A');
  git(host, 'commit', '-q', '-m', 'initial');
  git(dir, 'clone', '-q', host, clone);
  git(clone, 'remote', 'remove', 'origin');
  git(clone, 'config', 'user.name', 'Agent');
  git(clone, 'config', 'user.email', 'agent@example.test');
  for (let i = 0; i < COMMITS; i++) {
    writeFileSync(join(clone, `file-${i}.txt`), `changed ${i}\n`.repeat(20));
    git(clone, 'commit', '-q', '-am', `commit ${i}`);
  }
  const base = git(host, 'rev-parse', 'HEAD');
  await lib.bringOver(runner, host, 'bench', lib.folderClone(runner, clone), base);
  return { host, base };
}

const figures = { list: [], merge: [], cherryPick: [] };
try {
  for (let round = 0; round < rounds; round++) {
    const { host, base } = await setUp(round);
    let started = performance.now();
    const commits = await lib.listSessionCommits(runner, host, 'bench');
    figures.list.push(performance.now() - started);

    started = performance.now();
    const outcome = await lib.mergeSession(runner, host, {
      session: 'bench',
      picks: commits.map((c) => ({ sha: c.sha })),
      target: { kind: 'current' },
    });
    figures.merge.push(performance.now() - started);
    if (outcome.kind !== 'landed' || outcome.commits.length !== COMMITS)
      throw new Error('the merge did not land 50');

    // The baseline: the same 50 commits cherry-picked straight onto the branch by git alone.
    git(host, 'reset', '-q', '--hard', base);
    started = performance.now();
    git(
      host,
      '-c',
      'core.hooksPath=/dev/null',
      'cherry-pick',
      `${base}..refs/claude-tui/sessions/bench/head`,
    );
    figures.cherryPick.push(performance.now() - started);
  }
  console.log(`git sessions: ${COMMITS} commits, median of ${rounds} rounds`);
  report('list 50 session commits', median(figures.list), 'ms', { text: '< 300 ms', test: (v) => v < 300 });
  report('merge all 50 (end to end)', median(figures.merge), 'ms', {
    text: '< 2000 ms',
    test: (v) => v < 2000,
  });
  report('baseline: git cherry-pick of the 50', median(figures.cherryPick), 'ms');
  report('merge / baseline', median(figures.merge) / median(figures.cherryPick), 'x');
} finally {
  rmSync(root, { recursive: true, force: true });
}
