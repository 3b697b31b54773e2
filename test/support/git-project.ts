import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DockerEngine } from '../../src/docker/engine.js';
import { execText } from '../../src/docker/exec.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { gitSessionNames } from '../../src/session/session-target.js';
import { makeProject, runCli, type CliResult } from './cli.js';
import { FAKE_AGENT_CONFIG, writePolicyFiles } from './project-files.js';

/**
 * The person's git, as root on a repository owned by the project's user (a test runs as root): a
 * home whose config trusts the test's folders and names the person.
 */
export const gitHome = mkdtempSync('/tmp/claude-tui-git-home-');
writeFileSync(
  join(gitHome, '.gitconfig'),
  '[safe]\n\tdirectory = *\n[user]\n\tname = Host Person\n\temail = person@example.test\n[init]\n\tdefaultBranch = main\n',
);

/** The built binary, with that home. */
export const gitCli = (args: string[]): Promise<CliResult> => runCli(args, { env: { HOME: gitHome } });

/** The person's own git on the host. */
export async function hostGit(dir: string, args: string[]): Promise<string> {
  return (await execa('git', ['-C', dir, ...args], { env: { HOME: gitHome, LC_ALL: 'C' } })).stdout;
}

/**
 * A project that is a repository with a first commit of `files`, whose agent is the fake agent,
 * the firewall on with nothing allowed beyond the defaults switched off.
 */
export async function gitTestProject(name: string, files: Record<string, string>): Promise<ProjectIdentity> {
  const project = makeProject(name);
  writePolicyFiles(project, {
    config: [
      'firewall:',
      '  defaults: false',
      '  selfCheck: { blocked: [], allowed: [] }',
      ...FAKE_AGENT_CONFIG,
      '',
    ].join('\n'),
    allowlist: '# none\n',
  });
  await hostGit(project.dir, ['init', '-q']);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(project.dir, path), text);
  await hostGit(project.dir, ['add', '-A']);
  await hostGit(project.dir, ['commit', '-qm', 'start']);
  return project;
}

/** As the agent: a command as `claude` in the git session's own container, in its clone. */
export async function asAgent(
  engine: DockerEngine,
  project: ProjectIdentity,
  session: string,
  script: string,
): Promise<string> {
  const names = gitSessionNames(project, session);
  const result = await execText(engine, names.container, ['bash', '-c', script], {
    user: 'claude',
    workingDir: names.workdir,
  });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout.trim();
}
