import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { execText } from '../../src/docker/exec.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { gitSessionNames } from '../../src/session/session-target.js';
import { dockerAvailable, makeProject, runCli, waitFor } from '../support/cli.js';
import { asAgent, gitCli, gitTestProject } from '../support/git-project.js';
import { writePolicyFiles } from '../support/project-files.js';

const engine = createDockerEngine();

/** The project's files: secret ones (by the default patterns and one of the config's), and others. */
const FILES: Record<string, { text: string; mode: number }> = {
  '.env': { text: 'API_KEY=host-secret-1\n', mode: 0o600 },
  '.env.local': { text: 'API_KEY=host-secret-2\n', mode: 0o640 },
  'app/config/server.key': { text: '-----BEGIN PRIVATE KEY-----\nhost\n', mode: 0o600 },
  'app/config/server.pem': { text: '-----BEGIN CERTIFICATE-----\nhost\n', mode: 0o644 },
  'deploy/.ssh/id_ed25519': { text: 'openssh key\n', mode: 0o600 },
  '.npmrc': { text: '//registry.example/:_authToken=host-token\n', mode: 0o600 },
  '.env.d/app.env': { text: 'IN_A_FOLDER=1\n', mode: 0o644 },
  'private/notes.txt': { text: 'shadowed by the config\n', mode: 0o644 },
  'config/values.txt': { text: 'reached through .env.production\n', mode: 0o644 },
  'node_modules/pkg/test.pem': { text: 'a package fixture\n', mode: 0o644 },
  'README.md': { text: 'not a secret\n', mode: 0o644 },
};
const CONFIG = 'secrets:\n  shadow: [private]\n';

interface Status {
  state: string;
  policy: { pending: { widens: { text: string }[] } | null };
  secrets: {
    shadowed: { path: string; kind: string }[];
    notShadowed: { path: string; kind: string }[];
    replacedOnHost: string[];
    notes: string[];
  };
}

async function status(project: ProjectIdentity): Promise<Status> {
  const result = await runCli(['status', project.dir, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Status;
}

async function inAgent(project: ProjectIdentity, user: 'claude' | 'root', script: string) {
  return execText(engine, project.names.agent, ['sh', '-c', script], { user, workingDir: '/workspace' });
}

/** What a file reads inside, as claude; `<absent>` when it cannot be read at all. */
async function readInside(project: ProjectIdentity, path: string): Promise<string> {
  const read = await inAgent(project, 'claude', `cat -- '${path}' || echo '<absent>'`);
  return read.stdout;
}

/** Every path under the project on the host: kind, mode, owner and content (or where a link leads). */
function hostState(root: string): Map<string, string> {
  const state = new Map<string, string>();
  const visit = (path: string) => {
    const stats = lstatSync(join(root, path));
    const what = stats.isSymbolicLink()
      ? `link ${readlinkSync(join(root, path))}`
      : stats.isDirectory()
        ? 'folder'
        : `file ${readFileSync(join(root, path), 'utf8')}`;
    state.set(path, `${(stats.mode & 0o7777).toString(8)} ${stats.uid}:${stats.gid} ${what}`);
    if (stats.isDirectory())
      for (const name of readdirSync(join(root, path))) visit(path ? `${path}/${name}` : name);
  };
  visit('');
  return state;
}

function writeProjectFile(project: ProjectIdentity, path: string, text: string, mode: number): void {
  const full = join(project.dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  chmodSync(full, mode);
  chownSync(full, 1234, 1234);
}

/** The project's owner owns all of it, as in a real checkout. */
function chownAll(project: ProjectIdentity): void {
  for (const path of hostState(project.dir).keys()) {
    const full = join(project.dir, path);
    if (!lstatSync(full).isSymbolicLink()) chownSync(full, 1234, 1234);
  }
}

describe.skipIf(!dockerAvailable())('secret files are shadowed in the agent container (real Engine)', () => {
  let project: ProjectIdentity;
  let before: Map<string, string>;

  beforeAll(async () => {
    project = makeProject('secrets');
    for (const [path, file] of Object.entries(FILES)) writeProjectFile(project, path, file.text, file.mode);
    symlinkSync('config/values.txt', join(project.dir, '.env.production'));
    symlinkSync('/etc/debian_version', join(project.dir, 'host-link.pem'));
    writePolicyFiles(project, { config: CONFIG, allowlist: '' });
    chownAll(project);
    before = hostState(project.dir);
    const up = await runCli(['up', project.dir, '--yes']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toContain('Shadowed 9 secret file(s) and folder(s)');
  });

  afterAll(async () => {
    await runCli(['down', project.dir]);
  });

  it('reads every secret file and folder empty inside, by every name, and leaves the rest', async () => {
    for (const path of ['.env', '.env.local', 'app/config/server.key', 'app/config/server.pem']) {
      expect(await readInside(project, path), path).toBe('');
    }
    for (const path of ['deploy/.ssh/id_ed25519', '.npmrc', 'config/values.txt', '.env.production']) {
      expect(await readInside(project, path), path).toBe('');
    }
    const folders = await inAgent(project, 'root', 'ls -A .env.d private; stat -c %s .env');
    expect(folders.stdout).toBe('.env.d:\n\nprivate:\n0\n');
    // Not searched, and not secret-looking: as they are.
    expect(await readInside(project, 'node_modules/pkg/test.pem')).toBe(
      FILES['node_modules/pkg/test.pem']!.text,
    );
    expect(await readInside(project, 'README.md')).toBe(FILES['README.md']!.text);
  });

  it('mounts nothing over a link: one out of the project leaves what it leads to inside alone', async () => {
    const hostname = await inAgent(project, 'claude', 'cat /etc/debian_version');
    expect(hostname.stdout).not.toBe('');
    expect(await readInside(project, 'host-link.pem')).toBe(hostname.stdout);
    const { secrets } = await status(project);
    expect(secrets.notes).toContain(
      'host-link.pem is a symbolic link out of the project: not shadowed (inside, it shows no host file)',
    );
  });

  it('cannot write, remove, rename or replace them, as claude or as root', async () => {
    for (const user of ['claude', 'root'] as const) {
      const acts = [
        'echo stolen > .env',
        'echo stolen >> app/config/server.key',
        'rm -f .npmrc',
        'mv .env.local moved',
        'ln -sf /etc/passwd .env',
        'touch .env.d/new private/new',
        'chmod 666 .env',
      ];
      for (const act of acts) {
        const done = await inAgent(project, user, act);
        expect(done.exitCode, `${user}: ${act}`).not.toBe(0);
      }
    }
    expect(hostState(project.dir)).toEqual(before);
  });

  it('lists what is shadowed in status and status --json', async () => {
    const { secrets } = await status(project);
    expect(secrets.shadowed).toEqual([
      { path: '.env', kind: 'file' },
      { path: '.env.d', kind: 'folder' },
      { path: '.env.local', kind: 'file' },
      { path: '.npmrc', kind: 'file' },
      { path: 'app/config/server.key', kind: 'file' },
      { path: 'app/config/server.pem', kind: 'file' },
      { path: 'config/values.txt', kind: 'file' },
      { path: 'deploy/.ssh/id_ed25519', kind: 'file' },
      { path: 'private', kind: 'folder' },
    ]);
    expect(secrets.notShadowed).toEqual([]);
    const text = await runCli(['status', project.dir]);
    expect(text.stdout).toContain(
      'secrets   shadowed (empty, read-only inside): .env, .env.d/, .env.local, .npmrc,',
    );
  });

  it('names a secret file made after up, and the next up shadows it (the agent container made anew)', async () => {
    writeProjectFile(project, 'app/.env.new', 'MADE_LATER=1\n', 0o600);
    expect(await readInside(project, 'app/.env.new')).toBe('MADE_LATER=1\n');
    expect((await status(project)).secrets.notShadowed).toEqual([{ path: 'app/.env.new', kind: 'file' }]);
    const text = await runCli(['status', project.dir]);
    expect(text.stdout).toContain('NOT shadowed, appeared after the agent container was made: app/.env.new');
    expect(text.stdout).toContain(
      'the next `claude-tui up` makes the agent container anew with them shadowed',
    );

    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toContain(`replaced ${project.names.agent}`);
    expect(up.stderr).toContain('Shadowed secret files that appeared since the agent container was made');
    expect(await readInside(project, 'app/.env.new')).toBe('');
    expect((await status(project)).secrets.notShadowed).toEqual([]);
    expect(readFileSync(join(project.dir, 'app/.env.new'), 'utf8')).toBe('MADE_LATER=1\n');
  });

  it('exposing a file from the workspace waits for approval, then works once approved', async () => {
    // The agent cannot write the config (it is mounted read-only inside)...
    const hostile = await inAgent(
      project,
      'claude',
      `printf 'secrets: {expose: [.npmrc]}\\n' >> .claude/claude-tui.yaml`,
    );
    expect(hostile.exitCode).not.toBe(0);
    expect(hostile.stderr).toContain('Read-only file system');
    // ...so the same change comes from elsewhere (a merge, a sync): only a proposal.
    writeFileSync(join(project.dir, '.claude/claude-tui.yaml'), `${CONFIG}  expose: [.npmrc]\n`);
    for (const step of ['up', 'allow apply']) {
      const run = await runCli([...step.split(' '), project.dir]);
      expect(run.stderr, step).toContain('lets the agent read secret files matching .npmrc (secrets.expose)');
      expect(await readInside(project, '.npmrc'), step).toBe('');
    }
    const waiting = await status(project);
    expect(waiting.policy.pending?.widens.map((c) => c.text)).toEqual([
      'lets the agent read secret files matching .npmrc (secrets.expose)',
    ]);

    const approve = await runCli(['approve', project.dir, '--yes']);
    expect(approve.exitCode, approve.stderr).toBe(0);
    expect(await readInside(project, '.npmrc')).toBe(FILES['.npmrc']!.text);
    expect(await readInside(project, '.env')).toBe('');
    const approved = await status(project);
    expect(approved.policy.pending).toBeNull();
    expect(approved.secrets.shadowed.map((s) => s.path)).not.toContain('.npmrc');
  });

  it('a shadow entry added applies at once (it only narrows)', async () => {
    writeFileSync(
      join(project.dir, '.claude/claude-tui.yaml'),
      `${CONFIG.replace('[private]', '[private, README.md]')}  expose: [.npmrc]\n`,
    );
    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toContain('shadows files matching README.md (secrets.shadow)');
    expect(await readInside(project, 'README.md')).toBe('');
    expect((await status(project)).policy.pending).toBeNull();
  });

  it('a secret moved since up keeps the agent container from starting until up shadows it there', async () => {
    // The agent cannot touch a shadowed file, but it can rename a folder above one, then make its
    // container restart (its waiting process runs as the agent's user): Docker replays the mounts
    // at the old paths, and the secret would be readable at the new one.
    const moved = await inAgent(project, 'claude', 'mv app app-moved && cat app-moved/config/server.key');
    expect(moved.stdout).toBe('');
    const restartsBefore = (await engine.inspectContainer(project.names.agent))!.RestartCount;
    await inAgent(project, 'claude', 'pkill -u claude -f agent-wait').catch(() => undefined);
    await waitFor('the check to refuse a start', async () => {
      const agent = await engine.inspectContainer(project.names.agent);
      const logs = await engine.containerLogs(project.names.agent, 20);
      return agent!.RestartCount > restartsBefore && logs.includes('app-moved/config/server.key');
    });
    const logs = await engine.containerLogs(project.names.agent, 20);
    expect(logs).toContain('the agent container does not start until claude-tui up shadows them');

    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(await readInside(project, 'app-moved/config/server.key')).toBe('');
    expect(await readInside(project, 'app-moved/config/server.pem')).toBe('');
    expect((await status(project)).state).toBe('up');
    // The host's files are where the agent moved them, as they were.
    expect(readFileSync(join(project.dir, 'app-moved/config/server.key'), 'utf8')).toBe(
      FILES['app/config/server.key']!.text,
    );
  });
});

/** Kills the agent's waiting process (it runs as the agent's user), so that Docker restarts its container. */
async function restartAsAgent(project: ProjectIdentity): Promise<number> {
  const restartsBefore = (await engine.inspectContainer(project.names.agent))!.RestartCount;
  await inAgent(project, 'claude', 'pkill -u claude -f agent-wait').catch(() => undefined);
  return restartsBefore;
}

/** Waits for the check to refuse a start, and gives the container's last log lines. */
async function refusedStart(project: ProjectIdentity, restartsBefore: number, says: string): Promise<string> {
  await waitFor(`the check to refuse a start: ${says}`, async () => {
    const agent = await engine.inspectContainer(project.names.agent);
    const logs = await engine.containerLogs(project.names.agent, 20);
    return agent!.RestartCount > restartsBefore && logs.includes(says);
  });
  return engine.containerLogs(project.names.agent, 20);
}

describe.skipIf(!dockerAvailable())('the agent acting hostile against its shadows (real Engine)', () => {
  let project: ProjectIdentity;

  beforeAll(async () => {
    project = makeProject('secrets-hostile');
    writeProjectFile(project, 'config/.env', 'SECRET=1\n', 0o600);
    writeProjectFile(project, '.env.example', 'SECRET=\n', 0o644);
    writeProjectFile(project, 'py/.env/pyvenv.cfg', 'home = /usr/bin\n', 0o644);
    writeProjectFile(project, 'py/.env/lib/cert.pem', 'a package file\n', 0o644);
    writePolicyFiles(project, { config: '', allowlist: '' });
    chownAll(project);
    const up = await runCli(['up', project.dir, '--yes']);
    expect(up.exitCode, up.stderr).toBe(0);
  });

  afterAll(async () => {
    await runCli(['down', project.dir]);
  });

  it('reads .env templates and a virtualenv named .env as they are, the secret empty', async () => {
    expect(await readInside(project, 'config/.env')).toBe('');
    expect(await readInside(project, '.env.example')).toBe('SECRET=\n');
    expect(await readInside(project, 'py/.env/lib/cert.pem')).toBe('a package file\n');
    expect((await status(project)).secrets.shadowed).toEqual([{ path: 'config/.env', kind: 'file' }]);
  });

  it('cannot unshadow a secret by moving its folder into node_modules and restarting its container', async () => {
    // The shadow mount moves with the folder; on the restart Docker makes config/.env again.
    const moved = await inAgent(
      project,
      'claude',
      'mkdir node_modules && mv config node_modules/config && cat node_modules/config/.env',
    );
    expect(moved).toMatchObject({ exitCode: 0, stdout: '' });
    const logs = await refusedStart(project, await restartAsAgent(project), 'node_modules/config/.env');
    expect(logs).toContain('shadowed secret(s) readable under another path');
    expect(logs).toContain('node_modules/config/.env (shadowed as config/.env)');
    expect((await status(project)).state).toBe('partial');

    // `up` finds it by its inode where it is now (the walk does not enter node_modules).
    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toContain('node_modules/config/.env is the same file as config/.env');
    expect(await readInside(project, 'node_modules/config/.env')).toBe('');
    expect(readFileSync(join(project.dir, 'node_modules/config/.env'), 'utf8')).toBe('SECRET=1\n');
    // And goes on shadowing it there at the next up, and through the next restart.
    const again = await runCli(['up', project.dir]);
    expect(again.stdout + again.stderr).not.toContain('replaced');
    expect(await readInside(project, 'node_modules/config/.env')).toBe('');
  });

  it('refuses to start when a link above a shadow would have Docker mount it elsewhere', async () => {
    const redirect = await inAgent(
      project,
      'claude',
      'mv node_modules/config node_modules/moved && ln -s /home/claude/.claude node_modules/config',
    );
    expect(redirect.exitCode, redirect.stderr).toBe(0);
    const logs = await refusedStart(
      project,
      await restartAsAgent(project),
      'shadow mount(s) not where claude-tui up made them',
    );
    expect(logs).toContain('node_modules/config/.env');
    // Put back by the person: up then starts it as before.
    rmSync(join(project.dir, 'node_modules/config'));
    renameSync(join(project.dir, 'node_modules/moved'), join(project.dir, 'node_modules/config'));
    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(await readInside(project, 'node_modules/config/.env')).toBe('');
  });

  it('says a secret replaced on the host is no longer shadowed, and up shadows it again', async () => {
    const file = join(project.dir, 'node_modules/config/.env');
    writeFileSync(`${file}.tmp`, 'SECRET=2\n');
    renameSync(`${file}.tmp`, file);
    // Linux dropped the mount inside: the new file is readable until the container restarts.
    expect(await readInside(project, 'node_modules/config/.env')).toBe('SECRET=2\n');
    const { secrets } = await status(project);
    expect(secrets.replacedOnHost).toEqual(['node_modules/config/.env']);
    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toContain(`restarted ${project.names.agent} to shadow again`);
    expect(await readInside(project, 'node_modules/config/.env')).toBe('');
    expect((await status(project)).secrets.replacedOnHost).toEqual([]);
  });

  it('cannot cut the search short to drop shadows: up refuses, the check stays on', async () => {
    const agentBefore = (await engine.inspectContainer(project.names.agent))!.Id;
    const flood = await inAgent(project, 'claude', 'for i in $(seq 1 1001); do : > .env.$i; done');
    expect(flood.exitCode).toBe(0);
    const up = await runCli(['up', project.dir]);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain('The search for secret files stopped early: more than 1,000 paths match');
    expect(up.stderr).toContain('secrets.expose');
    expect((await engine.inspectContainer(project.names.agent))!.Id).toBe(agentBefore);
    expect(await readInside(project, 'node_modules/config/.env')).toBe('');
    const logs = await refusedStart(project, await restartAsAgent(project), 'are not shadowed');
    expect(logs).toContain('1001 secret-looking path(s)');

    // Deleted on the host, the next up starts it again.
    for (let i = 1; i <= 1001; i++) rmSync(join(project.dir, `.env.${i}`));
    const fixed = await runCli(['up', project.dir]);
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    expect(await readInside(project, 'node_modules/config/.env')).toBe('');
  });
});

describe.skipIf(!dockerAvailable())('a git session has no shadows and no check (real Engine)', () => {
  let project: ProjectIdentity;

  beforeAll(async () => {
    project = await gitTestProject('secrets-git', { '.env': 'COMMITTED=1\n', 'notes.txt': 'x\n' });
    const up = await gitCli(['up', project.dir, '--yes']);
    expect(up.exitCode, up.stderr).toBe(0);
  });

  afterAll(async () => {
    await gitCli(['down', project.dir]);
  });

  it('starts on its clone (a committed .env in it is the commit handed over) with none of the mounts', async () => {
    expect(await readInside(project, '.env')).toBe('');
    const start = await gitCli(['start', project.dir, '--git', '--name', 'g1']);
    expect(start.exitCode, start.stderr).toBe(0);
    const names = gitSessionNames(project, 'g1');
    const container = await engine.inspectContainer(names.container);
    expect(container?.Mounts.some((m) => m.Type === 'tmpfs' || m.Source.endsWith('/secret-shadow'))).toBe(
      false,
    );
    expect(container?.Config.Env?.some((e) => e.startsWith('CLAUDE_TUI_SECRET_CHECK='))).toBe(false);
    expect(await asAgent(engine, project, 'g1', 'cat .env')).toBe('COMMITTED=1');
  });
});
