// Figures for the merge screen on a commit with a 10,000-line diff, beside a 100-line one in the
// same run: enter to the diff's first frame (fetch, parse and draw), a page-down redrawn, and the
// resident memory of a process holding the screen with the diff open. The screen is bundled from
// src/ the way `npm run build` bundles the CLI (production React) and drawn by Ink into a headless
// xterm of 120x40; each size runs in a process of its own so its memory is its own. No Docker.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, report, xtermScreen } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const SIZES = [100, 10_000];
const COLS = 120;
const ROWS = 40;
const PAGE_DOWNS = 10;

if (process.argv[2] === '--child') {
  const [bundle, lines] = process.argv.slice(3);
  process.stdout.write(JSON.stringify(await measure(bundle, Number(lines))));
} else {
  await main();
}

async function main() {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'claude-tui-bench-merge-'));
  try {
    // Split as the CLI is, so Ink's devtools stay in a chunk never loaded.
    const bundle = join(dir, 'stdin.js');
    await build({
      stdin: {
        contents: [
          "export { MergeScreen } from './src/ui/screens/merge-screen.js';",
          "export { ThemeContext, plainTheme } from './src/ui/theme.js';",
          "export { defaultBindings } from './src/ui/keymap.js';",
          "export { render } from 'ink';",
          "export { createElement } from 'react';",
        ].join('\n'),
        resolveDir: fileURLToPath(new URL('..', import.meta.url)),
        loader: 'ts',
      },
      outdir: dir,
      splitting: true,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      jsx: 'automatic',
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      external: ['react-devtools-core'],
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'warning',
    });
    const figures = Object.fromEntries(SIZES.map((n) => [n, { first: [], page: [], rss: [] }]));
    for (let r = 0; r < rounds; r++) {
      for (const n of SIZES) {
        const child = spawnSync(
          process.execPath,
          [fileURLToPath(import.meta.url), '--child', bundle, String(n)],
          {
            encoding: 'utf8',
          },
        );
        if (child.status !== 0) throw new Error(`merge-screen bench (${n} lines) failed: ${child.stderr}`);
        const result = JSON.parse(child.stdout);
        figures[n].first.push(result.firstFrame);
        figures[n].page.push(result.pageDown);
        figures[n].rss.push(result.rssMb);
      }
    }
    console.log(`claude-tui bench: merge screen (${COLS}x${ROWS}; ${rounds} rounds, medians)`);
    const [small, large] = SIZES.map((n) => figures[n]);
    report('enter to diff drawn, 100-line diff (baseline)', median(small.first), 'ms');
    report('enter to diff drawn, 10,000-line diff', median(large.first), 'ms', {
      text: '< 150 ms',
      test: (v) => v < 150,
    });
    report('page-down redrawn, 100-line diff (baseline)', median(small.page), 'ms');
    report('page-down redrawn, 10,000-line diff', median(large.page), 'ms', {
      text: '< 30 ms',
      test: (v) => v < 30,
    });
    report('resident memory, 100-line diff open', median(small.rss), 'MB');
    report('resident memory, 10,000-line diff open', median(large.rss), 'MB', {
      text: '< 150 MB',
      test: (v) => v < 150,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A commit's diff of `total` lines over ten files: changes, context, and some very long lines. */
function generatedDiff(total) {
  const files = 10;
  const per = Math.max(1, Math.floor(total / files) - 1);
  const out = [];
  for (let f = 0; f < files; f++) {
    const path = `src/module-${f}.ts`;
    out.push(
      `diff --git a/${path} b/${path}`,
      'index 1111111..2222222 100644',
      `--- a/${path}`,
      `+++ b/${path}`,
    );
    const body = [];
    let before = 0;
    let after = 0;
    for (let i = 0; i < per; i++) {
      const kind = i % 3 === 0 ? '-' : i % 3 === 1 ? '+' : ' ';
      if (kind !== '+') before++;
      if (kind !== '-') after++;
      const code =
        i % 50 === 0
          ? `const long${i} = '${'x'.repeat(400)}';`
          : `  const value${i} = compute(${i}, '${path}');`;
      body.push(`${kind}${code}`);
    }
    out.push(`@@ -1,${before} +1,${after} @@`, ...body);
  }
  return out.join('\n');
}

async function measure(bundlePath, lines) {
  const { default: xterm } = await import('@xterm/headless');
  const ui = await import(pathToFileURL(bundlePath).href);
  const text = generatedDiff(lines);
  const commit = {
    sha: 'b'.repeat(40),
    subject: 'Generated work',
    message: 'Generated work\n',
    authorName: 'Agent',
    authorEmail: 'agent@example.com',
    authorTime: 0,
    files: Array.from({ length: 10 }, (_, f) => ({
      path: `src/module-${f}.ts`,
      status: 'modified',
      added: 0,
      removed: 0,
    })),
    added: 0,
    removed: 0,
    hostRun: false,
    applied: false,
  };
  const service = {
    commits: async () => [commit],
    diff: async () => text,
    merge: async () => ({ kind: 'landed', branch: 'main', commits: [], skipped: [], dryRun: false }),
    continue: async () => ({ kind: 'landed', branch: 'main', commits: [], skipped: [], dryRun: false }),
    skip: async () => ({ kind: 'landed', branch: 'main', commits: [], skipped: [], dryRun: false }),
    abort: async () => undefined,
    currentBranch: async () => 'main',
  };

  const term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true, convertEol: true });
  const { write, screen, waitFor } = xtermScreen(term, {
    label: 'merge screen',
    timeoutMs: 10_000,
    pollMs: 1,
  });
  const stdout = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        write(chunk.toString('utf8'));
        done();
      },
    }),
    { isTTY: true, columns: COLS, rows: ROWS },
  );
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    setRawMode() {
      return this;
    },
    ref() {
      return this;
    },
    unref() {
      return this;
    },
  });
  const h = ui.createElement;
  const instance = ui.render(
    h(
      ui.ThemeContext,
      { value: ui.plainTheme },
      h(ui.MergeScreen, {
        service,
        openShell: async () => undefined,
        session: 'bench',
        bindings: ui.defaultBindings(),
        width: COLS,
        height: ROWS,
        active: true,
        onClose: () => undefined,
        onHelp: () => undefined,
        onQuit: () => undefined,
        say: () => undefined,
      }),
    ),
    {
      stdin,
      stdout,
      stderr: new PassThrough(),
      interactive: true,
      exitOnCtrlC: false,
      patchConsole: false,
      incrementalRendering: true,
    },
  );
  await waitFor((s) => s.includes('Generated work'));
  // Past Ink's render throttle, so the key is drawn at once as it would be after a pause.
  await new Promise((resolve) => setTimeout(resolve, 100));

  let started = performance.now();
  stdin.write('\r');
  const firstFrame = (await waitFor((s) => s.includes('rows 1-') && s.includes('src/module-0.ts'))) - started;

  const pageDowns = [];
  for (let i = 0; i < PAGE_DOWNS; i++) {
    const [, before, end, total] = /rows (\d+)-(\d+) of (\d+)/.exec(screen()) ?? [];
    await new Promise((resolve) => setTimeout(resolve, 60));
    started = performance.now();
    // The short diff has few pages: at its end, a page up is the same redraw.
    stdin.write(end === total ? '\x1b[5~' : '\x1b[6~');
    pageDowns.push((await waitFor((s) => /rows (\d+)-/.exec(s)?.[1] !== before)) - started);
  }
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  instance.unmount();
  return { firstFrame, pageDown: median(pageDowns), rssMb };
}
