import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRemoteEndpoint, parseDockerHost } from '../../src/docker/endpoint.js';
import { tarArchive } from '../../src/docker/tar-files.js';
import { UserError } from '../../src/errors.js';
import type { FirewallPolicy } from '../../src/firewall/policy.js';
import type { EffectivePolicy } from '../../src/policy/interpret-policy.js';
import {
  GATEWAY_POLICY_DIR,
  GATEWAY_STATUS_FILE,
  WORKSPACE,
  agentSpec,
  gatewaySpec,
  gitAgentSpec,
  type ProjectRuntime,
} from '../../src/project/container-specs.js';
import { projectIdentity } from '../../src/project/identity.js';
import { GIT_IDENTITY_IN_AGENT } from '../../src/project/lent-from-host.js';
import { placeOnEngine, refuseOnRemoteEngine } from '../../src/project/remote-project.js';

interface Mount {
  Type: string;
  Source: string;
  Target: string;
  ReadOnly?: boolean;
}
const mountsOf = (spec: { HostConfig: Record<string, unknown> }) => spec.HostConfig.Mounts as Mount[];

const project = projectIdentity('/home/ada/my-app');
const files = {
  volume: 'claude-tui-my-app-files',
  dir: '/var/lib/docker/volumes/claude-tui-my-app-files/_data',
};

function remoteRuntime(): ProjectRuntime {
  return placeOnEngine(
    {
      image: 'claude-tui-agent:0123456789ab',
      hostUser: { uid: 1000, gid: 1001 },
      env: {},
      mounts: [],
      protectedPaths: [],
      policyDir: '/state/policy',
      resolvConf: '/state/resolv.conf',
      gitIdentity: '/state/git-identity',
      networks: [],
      remote: true,
    },
    files,
  );
}

describe('isRemoteEndpoint', () => {
  it('counts tcp:// and ssh:// as remote, even on this machine, and a unix socket as this machine', () => {
    expect(isRemoteEndpoint(parseDockerHost('unix:///var/run/docker.sock', 'DOCKER_HOST'))).toBe(false);
    expect(isRemoteEndpoint(parseDockerHost('tcp://127.0.0.1:2376', 'DOCKER_HOST'))).toBe(true);
    expect(isRemoteEndpoint(parseDockerHost('ssh://me@localhost', 'DOCKER_HOST'))).toBe(true);
  });
});

describe("a remote project's specs", () => {
  it('bind nothing of this machine: every bind comes from the files volume on the Engine', () => {
    const agent = mountsOf(agentSpec(project, remoteRuntime()));
    const gateway = mountsOf(gatewaySpec(project, remoteRuntime()));
    for (const mount of [...agent, ...gateway].filter((m) => m.Type === 'bind')) {
      expect(mount.Source.startsWith(`${files.dir}/`), mount.Source).toBe(true);
      expect(mount.ReadOnly, mount.Target).toBe(true);
    }
    expect(agent.some((m) => m.Target === WORKSPACE)).toBe(false);
    expect(agent).toContainEqual({
      Type: 'bind',
      Source: `${files.dir}/git-identity`,
      Target: GIT_IDENTITY_IN_AGENT,
      ReadOnly: true,
    });
    expect(agent).toContainEqual({
      Type: 'bind',
      Source: `${files.dir}/resolv.conf`,
      Target: '/etc/resolv.conf',
      ReadOnly: true,
    });
    expect(gateway).toContainEqual({
      Type: 'bind',
      Source: `${files.dir}/policy`,
      Target: GATEWAY_POLICY_DIR,
      ReadOnly: true,
    });
    // The whole volume only in the gateway, which writes its status there and runs no agent code.
    expect(gateway).toContainEqual({
      Type: 'volume',
      Source: files.volume,
      Target: '/var/lib/claude-tui-host',
    });
    expect(GATEWAY_STATUS_FILE.startsWith('/var/lib/claude-tui-host/')).toBe(true);
    expect(agent.some((m) => m.Source === files.volume)).toBe(false);
  });

  it("give a git session's container its clone and the same files", () => {
    const spec = gitAgentSpec(project, remoteRuntime(), {
      name: 'g1',
      volume: 'claude-tui-my-app-git-g1',
      workdir: `${WORKSPACE}/g1`,
    });
    const mounts = mountsOf(spec);
    expect(mounts).toContainEqual({
      Type: 'volume',
      Source: 'claude-tui-my-app-git-g1',
      Target: `${WORKSPACE}/g1`,
    });
    expect(mounts.filter((m) => m.Type === 'bind').every((m) => m.Source.startsWith(`${files.dir}/`))).toBe(
      true,
    );
  });

  it('are not made before the files are placed on the Engine', () => {
    const { engineFiles: _placed, ...unplaced } = remoteRuntime();
    expect(() => agentSpec(project, unplaced)).toThrow(/before its files were placed/);
  });
});

describe('refuseOnRemoteEngine', () => {
  const policy = (over: Partial<EffectivePolicy> = {}): EffectivePolicy => ({
    config: {},
    allowlist: [],
    allowEntries: [],
    allowWarnings: [],
    caCertificates: [],
    mounts: [],
    bridge: undefined,
    ...over,
  });
  const firewall = (hostPorts: number[] = []) => ({ hostPorts }) as unknown as FirewallPolicy;
  const refusal = (p: EffectivePolicy, f = firewall()) => {
    try {
      refuseOnRemoteEngine(p, f, 'tcp://box:2376 (TLS)');
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      return (error as UserError).message;
    }
  };

  it('takes a project that needs nothing of this machine', () => {
    expect(refusal(policy())).toBeUndefined();
  });

  it('refuses, one reason each, what only this machine can give', () => {
    expect(refusal(policy({ config: { ssh: { agent: true } } }))).toContain('ssh.agent lends');
    expect(refusal(policy({ mounts: [{ source: '/data', target: '/data', readOnly: true }] }))).toContain(
      'mounts in .claude/claude-tui.yaml name folders of this machine (/data)',
    );
    expect(refusal(policy({ bridge: {} as EffectivePolicy['bridge'] }))).toContain('the command bridge');
    expect(refusal(policy(), firewall([5432]))).toContain('host ports the policy opens (5432');
    expect(refusal(policy({ config: { ssh: { agent: true } } }))).toContain('tcp://box:2376 (TLS)');
  });
});

describe('tarArchive', () => {
  it('makes an archive tar unpacks, folders included, the same bytes for the same files', async () => {
    const fileList = [
      { name: 'policy/domains.txt', content: 'a.test\n', mode: 0o644 },
      { name: 'git-identity', content: Buffer.from('[user]\n\tname = Ada\n'), mode: 0o600 },
    ];
    const tar = await tarArchive(fileList);
    expect(await tarArchive(fileList)).toEqual(tar);
    const dir = mkdtempSync(join(tmpdir(), 'ctui-tar-'));
    try {
      writeFileSync(join(dir, 'a.tar'), tar);
      execFileSync('tar', ['-x', '-f', join(dir, 'a.tar'), '-C', dir]);
      expect(readFileSync(join(dir, 'policy', 'domains.txt'), 'utf8')).toBe('a.test\n');
      expect(readFileSync(join(dir, 'git-identity'), 'utf8')).toBe('[user]\n\tname = Ada\n');
      expect(statSync(join(dir, 'git-identity')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
