// What our image layers add beyond the base image and the agent's own binary (target <= 80 MB).
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, report, run } from './lib.mjs';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'claude-tui-bench-')));
try {
  const env = { ...process.env, CLAUDE_TUI_CONFIG_DIR: join(dir, '.config-home') };
  const built = JSON.parse(run(process.execPath, [CLI, 'build', dir, '--json'], { env }));
  const image = built.image;
  const size = (ref) => Number(run('docker', ['image', 'inspect', '-f', '{{.Size}}', ref]));
  const base = run(
    'docker',
    ['image', 'inspect', '-f', '{{index .Config.Labels "dev.claude-tui.base"}}', image],
    {
      allowFailure: true,
    },
  );
  const baseRef = base && base !== '<no value>' ? base : 'debian:bookworm-slim';
  const binary = Number(
    run('docker', ['run', '--rm', '--entrypoint', 'stat', image, '-c', '%s', '/usr/local/bin/claude']),
  );
  const total = size(image);
  const MB = 1_000_000;
  console.log(`claude-tui bench: image size of ${image}`);
  report('whole image', total / MB, 'MB');
  report(`base image (${baseRef})`, size(baseRef) / MB, 'MB');
  report('agent CLI binary', binary / MB, 'MB');
  report('our layers beyond base and binary', (total - size(baseRef) - binary) / MB, 'MB', {
    text: '<= 80 MB',
    test: (v) => v <= 80,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
