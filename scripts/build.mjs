// Builds dist/: the CLI bundled with its dependencies into a few files. Start-up is most of a
// subcommand's time, and resolving the ~640 small modules Ink and its dependencies ship as costs
// more than running the code; one bundle (the dashboard in a chunk of its own, loaded only when
// it opens) is read in one go. Types are checked by `npm run typecheck`, not here.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

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
  // React's production build: its development checks cost start-up time and memory.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
