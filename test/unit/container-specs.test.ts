import { describe, expect, it } from 'vitest';
import { LABEL } from '../../src/docker/labels.js';
import {
  AGENT_HOME,
  GATEWAY_POLICY_DIR,
  PROTECTED_PATHS,
  WORKSPACE,
  agentSpec,
  gatewaySpec,
  type ProjectRuntime,
} from '../../src/project/container-specs.js';
import { projectIdentity } from '../../src/project/identity.js';

interface Mount {
  Type: string;
  Source: string;
  Target: string;
  ReadOnly?: boolean;
}

interface HostConfig {
  NetworkMode: string;
  CapDrop: string[];
  CapAdd: string[];
  SecurityOpt: string[];
  RestartPolicy: { Name: string };
  Mounts: Mount[];
  Privileged?: boolean;
  PidsLimit?: number;
}

const project = projectIdentity('/home/ada/my-app');

function runtime(overrides: Partial<ProjectRuntime> = {}): ProjectRuntime {
  return {
    image: 'claude-tui-agent:0123456789ab',
    hostUser: { uid: 1000, gid: 1001 },
    env: { FOO: 'bar' },
    mounts: [
      { source: '/data/shared', target: '/shared', readOnly: false },
      { source: '/data/ref', target: '/ref', readOnly: true },
    ],
    protectedPaths: ['.claude/claude-tui.yaml', '.git/hooks', '.vscode'],
    policyDir: '/state/policy',
    resolvConf: '/state/resolv.conf',
    networks: [],
    ...overrides,
  };
}

const hostConfig = (spec: { HostConfig: Record<string, unknown> }) =>
  spec.HostConfig as unknown as HostConfig;

const networkCaps = ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'NET_BIND_SERVICE', 'SYS_PTRACE', 'SYS_MODULE'];

describe('agentSpec (security)', () => {
  const spec = agentSpec(project, runtime());
  const host = hostConfig(spec);

  it('drops all capabilities and adds back none that touch the network or the kernel', () => {
    expect(host.CapDrop).toEqual(['ALL']);
    for (const cap of networkCaps) expect(host.CapAdd).not.toContain(cap);
  });

  it('is not privileged and sets no-new-privileges', () => {
    expect(host.Privileged).not.toBe(true);
    expect(host.SecurityOpt).toContain('no-new-privileges');
  });

  it("joins the gateway's network namespace by name", () => {
    expect(host.NetworkMode).toBe(`container:${project.names.gateway}`);
  });

  it('restarts unless stopped and limits processes', () => {
    expect(host.RestartPolicy).toEqual({ Name: 'unless-stopped' });
    expect(host.PidsLimit).toBeGreaterThan(0);
  });

  it('runs the agent command in /workspace', () => {
    expect(spec.Cmd).toEqual(['agent']);
    expect(spec.WorkingDir).toBe(WORKSPACE);
    expect(spec.Image).toBe('claude-tui-agent:0123456789ab');
  });

  it('binds the project at /workspace (writable) and the home volume at /home/claude', () => {
    expect(host.Mounts[0]).toEqual({ Type: 'bind', Source: project.dir, Target: '/workspace' });
    expect(host.Mounts).toContainEqual({
      Type: 'volume',
      Source: project.names.homeVolume,
      Target: AGENT_HOME,
    });
    expect(AGENT_HOME).toBe('/home/claude');
  });

  it('mounts every protected path read-only over the workspace, after the workspace bind', () => {
    const workspaceIndex = host.Mounts.findIndex((m) => m.Target === WORKSPACE);
    for (const path of ['.claude/claude-tui.yaml', '.git/hooks', '.vscode']) {
      const index = host.Mounts.findIndex((m) => m.Target === `${WORKSPACE}/${path}`);
      expect(index, path).toBeGreaterThan(workspaceIndex);
      expect(host.Mounts[index]).toEqual({
        Type: 'bind',
        Source: `${project.dir}/${path}`,
        Target: `${WORKSPACE}/${path}`,
        ReadOnly: true,
      });
    }
  });

  it('mounts extra mounts with their own read-only setting', () => {
    expect(host.Mounts).toContainEqual({
      Type: 'bind',
      Source: '/data/shared',
      Target: '/shared',
      ReadOnly: false,
    });
    expect(host.Mounts).toContainEqual({ Type: 'bind', Source: '/data/ref', Target: '/ref', ReadOnly: true });
  });

  it("mounts the gateway's resolv.conf read-only, and only when there is one", () => {
    expect(host.Mounts).toContainEqual({
      Type: 'bind',
      Source: '/state/resolv.conf',
      Target: '/etc/resolv.conf',
      ReadOnly: true,
    });
    const off = hostConfig(agentSpec(project, runtime({ resolvConf: undefined })));
    expect(off.Mounts.some((m) => m.Target === '/etc/resolv.conf')).toBe(false);
  });

  it('never mounts the Docker socket', () => {
    expect(host.Mounts.some((m) => m.Source.endsWith('docker.sock'))).toBe(false);
  });

  it('passes HOST_UID/HOST_GID and the configured env', () => {
    expect(spec.Env).toContain('HOST_UID=1000');
    expect(spec.Env).toContain('HOST_GID=1001');
    expect(spec.Env).toContain('FOO=bar');
  });

  it('does not let the configured env override HOST_UID/HOST_GID', () => {
    const env = agentSpec(project, runtime({ env: { HOST_UID: '0', HOST_GID: '0' } })).Env ?? [];
    expect(env.filter((e) => e.startsWith('HOST_UID='))).toEqual(['HOST_UID=1000']);
    expect(env.filter((e) => e.startsWith('HOST_GID='))).toEqual(['HOST_GID=1001']);
  });

  it("carries the agent role and the project's labels", () => {
    expect(spec.Labels?.[LABEL.managed]).toBe('true');
    expect(spec.Labels?.[LABEL.role]).toBe('agent');
    expect(spec.Labels?.[LABEL.projectId]).toBe(project.id);
    expect(spec.Labels?.[LABEL.project]).toBe(project.dir);
  });
});

describe('gatewaySpec (security)', () => {
  const spec = gatewaySpec(project, runtime());
  const host = hostConfig(spec);

  it('drops all capabilities and holds NET_ADMIN and NET_RAW for the firewall', () => {
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd).toContain('NET_ADMIN');
    expect(host.CapAdd).toContain('NET_RAW');
    expect(host.CapAdd).not.toContain('SYS_ADMIN');
    expect(host.Privileged).not.toBe(true);
    expect(host.SecurityOpt).toContain('no-new-privileges');
  });

  it("is on the project's network, reachable as 'gateway'", () => {
    expect(host.NetworkMode).toBe(project.names.network);
    expect(spec.NetworkingConfig).toEqual({
      EndpointsConfig: { [project.names.network]: { Aliases: ['gateway'] } },
    });
  });

  it('restarts unless stopped', () => {
    expect(host.RestartPolicy).toEqual({ Name: 'unless-stopped' });
  });

  it('mounts the policy directory read-only and nothing of the project', () => {
    expect(host.Mounts).toEqual([
      { Type: 'bind', Source: '/state/policy', Target: GATEWAY_POLICY_DIR, ReadOnly: true },
    ]);
  });

  it('runs the gateway command from the same image', () => {
    expect(spec.Cmd).toEqual(['gateway']);
    expect(spec.Image).toBe('claude-tui-agent:0123456789ab');
    expect(spec.Hostname).toBe(project.slug);
  });

  it("carries the gateway role and the project's labels", () => {
    expect(spec.Labels?.[LABEL.managed]).toBe('true');
    expect(spec.Labels?.[LABEL.role]).toBe('gateway');
    expect(spec.Labels?.[LABEL.projectId]).toBe(project.id);
  });

  it('does not depend on the agent-only runtime parts', () => {
    const other = gatewaySpec(
      project,
      runtime({ env: { X: 'y' }, mounts: [], protectedPaths: [], hostUser: { uid: 5, gid: 5 } }),
    );
    expect(other).toEqual(spec);
  });
});

describe('PROTECTED_PATHS', () => {
  it("covers the agent's own policy files and files that run code on the host", () => {
    for (const path of [
      '.claude/claude-tui.yaml',
      '.claude/allowed-domains.txt',
      '.git/hooks',
      '.git/config',
      '.devcontainer',
      '.vscode',
      '.husky',
    ]) {
      expect(PROTECTED_PATHS).toContain(path);
    }
  });

  it('holds only relative paths', () => {
    for (const path of PROTECTED_PATHS) {
      expect(path.startsWith('/')).toBe(false);
      expect(path.split('/')).not.toContain('..');
    }
  });
});
