// Builds dist/: the CLI bundled with its dependencies into a few files. Start-up is most of a
// subcommand's time, and resolving the ~640 small modules Ink and its dependencies ship as costs
// more than running the code; one bundle (the dashboard in a chunk of its own, loaded only when
// it opens) is read in one go. Types are checked by `npm run typecheck`, not here.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** A digest of every source file, path and content: the bundle's BUILD_ID (src/version.ts). */
function sourceDigest(root) {
  const hash = createHash('sha256');
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies call require() for Node's modules; in an ES module it has to be made.
  banner: {
    js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
  },
  // dockerode (image builds only) stays a package of its own: its SSH transport brings optional
  // native addons that cannot be bundled. Ink loads the React devtools only when DEV=true, and
  // claude-tui does not ship them.
  external: ['dockerode', 'react-devtools-core'],
  // Ink and its text helpers measure text through src/ui/text-width.ts, which spares the
  // dashboard's start string-width's emoji pattern (it says why).
  alias: { 'string-width': './src/ui/text-width.ts' },
  // React's production build: its development checks cost start-up time and memory.
  define: {
    'process.env.NODE_ENV': '"production"',
    CLAUDE_TUI_BUILD_ID: JSON.stringify(sourceDigest('src')),
  },
  logLevel: 'warning',
});
