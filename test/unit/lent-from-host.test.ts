import { describe, expect, it } from 'vitest';
import { parseProjectConfig } from '../../src/config/load-project-config.js';
import type { ProjectConfig } from '../../src/config/project-config-schema.js';
import { ConfigError } from '../../src/errors.js';
import { classifyChange } from '../../src/policy/classify-change.js';
import { agentSpec, gitAgentSpec, type ProjectRuntime } from '../../src/project/container-specs.js';
import { parseIdentity, renderIdentity } from '../../src/project/git-identity.js';
import { projectIdentity } from '../../src/project/identity.js';
import { agentUserIds } from '../../src/project/ssh-relay.js';
import { effectivePolicy } from '../support/effective-policy.js';

const file = '/p/.claude/claude-tui.yaml';

describe('ssh.agent in the project config', () => {
  it('is off unless set, and takes a boolean', async () => {
    await expect(parseProjectConfig(file, '')).resolves.toEqual({});
    await expect(parseProjectConfig(file, 'ssh:\n  agent: true\n')).resolves.toEqual({
      ssh: { agent: true },
    });
  });

  it('names the file, the line and what was expected for a wrong value or an unknown key', async () => {
    const wrong = await parseProjectConfig(file, 'env: {}\nssh:\n  agent: "yes"\n').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ConfigError);
    expect((wrong as ConfigError).message).toMatch(
      /^\/p\/\.claude\/claude-tui\.yaml:3:\d+: ssh\.agent: .*expected boolean/,
    );
    const typo = await parseProjectConfig(file, 'ssh:\n  agnet: true\n').catch((e: unknown) => e);
    expect((typo as ConfigError).message).toContain('ssh: unknown key agnet');
    expect((typo as ConfigError).location.split(':')[0]).toBe('2');
  });
});

const policy = (config: ProjectConfig) => effectivePolicy(config);

describe('classifyChange for ssh.agent', () => {
  it('widens when the agent is lent, narrows when it no longer is, and is silent otherwise', () => {
    const off = policy({});
    const on = policy({ ssh: { agent: true } });
    const lend = classifyChange(off, on);
    expect(lend.widens).toEqual([
      { kind: 'ssh', text: expect.stringContaining('lends the agent your SSH agent') as string },
    ]);
    expect(lend.narrows).toEqual([]);
    expect(classifyChange(on, policy({ ssh: { agent: false } }))).toEqual({
      widens: [],
      narrows: [{ kind: 'ssh', text: 'no longer lends the agent your SSH agent' }],
    });
    expect(classifyChange(on, policy({}))).toEqual(classifyChange(on, policy({ ssh: {} })));
    expect(classifyChange(off, policy({ ssh: { agent: false } }))).toEqual({ widens: [], narrows: [] });
    expect(classifyChange(on, on)).toEqual({ widens: [], narrows: [] });
  });
});

const project = projectIdentity('/home/ada/my-app');

function runtime(overrides: Partial<ProjectRuntime> = {}): ProjectRuntime {
  return {
    image: 'claude-tui-agent:0123456789ab',
    hostUser: { uid: 1000, gid: 1000 },
    env: {},
    mounts: [],
    protectedPaths: [],
    policyDir: '/state/policy',
    resolvConf: undefined,
    networks: [],
    ...overrides,
  };
}

interface Mount {
  Source: string;
  Target: string;
  ReadOnly?: boolean;
}
const mountsOf = (spec: { HostConfig: Record<string, unknown> }) => spec.HostConfig.Mounts as Mount[];
const lentTargets = [
  '/run/host-services',
  '/run/host-services/ssh-auth.sock',
  '/etc/claude-tui/git-identity',
];

describe('what the agent containers are lent', () => {
  it('without the opt-in: no socket, no SSH_AUTH_SOCK', () => {
    const spec = agentSpec(project, runtime({ gitIdentity: '/state/git-identity' }));
    expect(mountsOf(spec).map((m) => m.Target)).not.toContain('/run/host-services');
    expect(spec.Env?.some((e) => e.startsWith('SSH_AUTH_SOCK='))).toBe(false);
  });

  it("the relay's folder read-only at /run/host-services, SSH_AUTH_SOCK pointing into it, in git sessions too", () => {
    const lent = runtime({ sshAgent: { kind: 'relay', dir: '/state/ssh-agent' } });
    const git = gitAgentSpec(project, lent, { name: 'g1', volume: 'v', workdir: '/workspace/g1' });
    for (const spec of [agentSpec(project, lent), git]) {
      expect(mountsOf(spec)).toContainEqual({
        Type: 'bind',
        Source: '/state/ssh-agent',
        Target: '/run/host-services',
        ReadOnly: true,
      });
      expect(spec.Env).toContain('SSH_AUTH_SOCK=/run/host-services/ssh-auth.sock');
      expect(spec.Env?.some((e) => e.startsWith('CLAUDE_TUI_SSH_AGENT_CHOWN='))).toBe(false);
    }
  });

  it("Docker Desktop's socket at the same path, with the entrypoint told to hand it to claude", () => {
    const spec = agentSpec(project, runtime({ sshAgent: { kind: 'docker-desktop' } }));
    expect(mountsOf(spec)).toContainEqual({
      Type: 'bind',
      Source: '/run/host-services/ssh-auth.sock',
      Target: '/run/host-services/ssh-auth.sock',
      ReadOnly: false,
    });
    expect(spec.Env).toEqual(
      expect.arrayContaining([
        'SSH_AUTH_SOCK=/run/host-services/ssh-auth.sock',
        'CLAUDE_TUI_SSH_AGENT_CHOWN=1',
      ]),
    );
  });

  it('the git identity file read-only; a config env cannot point SSH_AUTH_SOCK elsewhere while lent', () => {
    const spec = agentSpec(
      project,
      runtime({
        env: { SSH_AUTH_SOCK: '/tmp/elsewhere' },
        sshAgent: { kind: 'relay', dir: '/s' },
        gitIdentity: '/state/git-identity',
      }),
    );
    expect(mountsOf(spec)).toContainEqual({
      Type: 'bind',
      Source: '/state/git-identity',
      Target: '/etc/claude-tui/git-identity',
      ReadOnly: true,
    });
    expect(spec.Env?.filter((e) => e.startsWith('SSH_AUTH_SOCK='))).toEqual([
      'SSH_AUTH_SOCK=/run/host-services/ssh-auth.sock',
    ]);
  });

  it('mounts nothing lent when nothing is', () => {
    const targets = mountsOf(agentSpec(project, runtime())).map((m) => m.Target);
    for (const target of lentTargets) expect(targets).not.toContain(target);
  });

  it("takes the image's claude (501) as the agent's user when the host user is root", () => {
    expect(agentUserIds({ uid: 0, gid: 0 })).toEqual({ uid: 501, gid: 501 });
    expect(agentUserIds({ uid: 1000, gid: 100 })).toEqual({ uid: 1000, gid: 100 });
  });
});

describe('the git identity file', () => {
  it("reads git's -z output, the last value of a key winning", () => {
    expect(
      parseIdentity('user.name\nAda Lovelace\0user.email\nada@example.com\0user.name\nAda L.\0'),
    ).toEqual({
      name: 'Ada L.',
      email: 'ada@example.com',
    });
    expect(parseIdentity('')).toEqual({});
  });

  it('quotes values so that none can start a setting of its own', () => {
    const text = renderIdentity({
      name: 'Ada "the" \\ Lovelace\n[core]\n\tsshCommand = evil',
      email: 'a@b.c',
    });
    expect(text.split('\n').filter((line) => line.startsWith('['))).toEqual(['[user]']);
    expect(text).toContain('\tname = "Ada \\"the\\" \\\\ Lovelace\\n[core]\\n\\tsshCommand = evil"');
    expect(text).toContain('\temail = "a@b.c"');
  });

  it('sets nothing when the host has no identity', () => {
    expect(renderIdentity({})).not.toContain('[user]');
    expect(renderIdentity({ email: 'a@b.c' })).not.toContain('name =');
  });
});
