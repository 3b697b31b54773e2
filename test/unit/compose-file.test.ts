import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LABEL, managedLabels } from '../../src/docker/labels.js';
import { UserError } from '../../src/errors.js';
import type { ProjectRuntime } from '../../src/project/container-specs.js';
import { composeFileFor, renderComposeFile, type ComposeInput } from '../../src/project/compose-file.js';
import { projectIdentity } from '../../src/project/identity.js';
import { projectContainers, type ProjectContainer } from '../../src/project/up.js';

const project = projectIdentity('/home/ada/my-app');

const runtime: ProjectRuntime = {
  image: 'claude-tui-agent:0123456789ab',
  hostUser: { uid: 1000, gid: 1001 },
  env: { FOO: 'bar', PRICE: '$5' },
  mounts: [{ source: '/data/shared', target: '/shared', readOnly: false }],
  protectedPaths: ['.claude/claude-tui.yaml'],
  policyDir: '/state/compose/policy',
  resolvConf: '/state/compose/resolv.conf',
  networks: ['shop_default'],
};

function input(overrides: Partial<Record<'gateway' | 'agent', ProjectContainer>> = {}): ComposeInput {
  const containers = projectContainers(project, { inputs: { hash: 'abc' } as never, runtime });
  return {
    services: { gateway: containers.gateway, agent: containers.agent, ...overrides },
    ownNetwork: { name: project.names.network, key: 'claude-tui', labels: managedLabels('network', project) },
  };
}

describe('composeFileFor: the Engine create bodies of up as compose services', () => {
  const specs = projectContainers(project, { inputs: { hash: 'abc' } as never, runtime });
  const file = composeFileFor(input());
  const { gateway, agent } = file.services as Record<string, Record<string, unknown>>;
  const host = (spec: ProjectContainer) => spec.spec.HostConfig;

  it('puts the agent in the gateway’s namespace, and the gateway on its own network and the joined ones', () => {
    expect(agent?.network_mode).toBe('service:gateway');
    expect(agent?.networks).toBeUndefined();
    expect(gateway?.networks).toEqual({ 'claude-tui': { aliases: ['gateway'] }, shop_default: {} });
    expect(file.networks.shop_default).toEqual({ external: true, name: 'shop_default' });
    expect(file.networks['claude-tui']?.labels).toMatchObject({
      [LABEL.managed]: 'compose',
      [LABEL.role]: 'network',
    });
  });

  it('carries the capabilities, security options, restart policy and limits as the specs have them', () => {
    for (const [service, spec] of [
      [gateway, specs.gateway],
      [agent, specs.agent],
    ] as const) {
      expect(service?.cap_drop).toEqual(host(spec).CapDrop);
      expect(service?.cap_add).toEqual(host(spec).CapAdd);
      expect(service?.security_opt).toEqual(['no-new-privileges']);
      expect(service?.restart).toBe('unless-stopped');
      expect(service?.pids_limit).toBe(host(spec).PidsLimit);
      expect(service?.image).toBe(runtime.image);
    }
    expect(agent?.cap_add).not.toContain('NET_ADMIN');
  });

  it('mounts every mount of the spec, the home volume as one compose never makes or removes', () => {
    const volumes = agent?.volumes as Record<string, unknown>[];
    expect(volumes).toHaveLength((host(specs.agent).Mounts as unknown[]).length);
    expect(volumes).toContainEqual({ type: 'bind', source: project.dir, target: '/workspace' });
    expect(volumes).toContainEqual({
      type: 'bind',
      source: `${project.dir}/.claude/claude-tui.yaml`,
      target: '/workspace/.claude/claude-tui.yaml',
      read_only: true,
    });
    expect(volumes).toContainEqual({
      type: 'volume',
      source: project.names.homeVolume,
      target: '/home/claude',
    });
    expect(file.volumes[project.names.homeVolume]).toEqual({
      external: true,
      name: project.names.homeVolume,
    });
    expect(gateway?.volumes).toEqual([
      { type: 'bind', source: '/state/compose/policy', target: '/etc/claude-tui/policy', read_only: true },
    ]);
  });

  it('keeps the labels, marked as compose’s so that claude-tui never takes them for up’s', () => {
    expect(agent?.labels).toEqual({ ...specs.agent.spec.Labels, [LABEL.managed]: 'compose' });
  });

  it('escapes $ so that compose takes every value as written', () => {
    expect(agent?.environment).toContain('PRICE=$$5');
    expect(agent?.environment).toContain('HOST_UID=1000');
  });

  it('refuses a field it has no compose form for, naming the container and the field', () => {
    const privileged = {
      ...specs.agent,
      spec: { ...specs.agent.spec, HostConfig: { ...host(specs.agent), Privileged: false } },
    };
    expect(() => composeFileFor(input({ agent: privileged }))).toThrow(UserError);
    expect(() => composeFileFor(input({ agent: privileged }))).toThrow(
      /agent container .* HostConfig\.Privileged/,
    );
    const odd = { ...specs.agent, spec: { ...specs.agent.spec, Domainname: 'x' } as never };
    expect(() => composeFileFor(input({ agent: odd }))).toThrow(/Domainname/);
  });

  it('refuses a namespace of a container that is not exported, and a mount option compose cannot set', () => {
    const elsewhere = {
      ...specs.agent,
      spec: { ...specs.agent.spec, HostConfig: { ...host(specs.agent), NetworkMode: 'container:other' } },
    };
    expect(() => composeFileFor(input({ agent: elsewhere }))).toThrow(/joins other/);
    const tmpfsMode = {
      ...specs.agent,
      spec: {
        ...specs.agent.spec,
        HostConfig: {
          ...host(specs.agent),
          Mounts: [{ Type: 'tmpfs', Target: '/x', TmpfsOptions: { Mode: 0o700 } }],
        },
      },
    };
    expect(() => composeFileFor(input({ agent: tmpfsMode }))).toThrow(/TmpfsOptions/);
  });

  it('renders every string quoted, so YAML 1.1 reads no "no" or "on" as a boolean', () => {
    const noRestart = {
      ...specs.agent,
      spec: { ...specs.agent.spec, HostConfig: { ...host(specs.agent), RestartPolicy: { Name: 'no' } } },
    };
    const text = renderComposeFile(composeFileFor(input({ agent: noRestart })), ['a header']);
    expect(text.startsWith('# a header\nservices:\n')).toBe(true);
    expect(text).toContain('restart: "no"');
    expect(parse(text)).toEqual(composeFileFor(input({ agent: noRestart })));
  });
});

describe('renderComposeFile: the header', () => {
  it('keeps every header line a comment, whatever line breaks a project path holds', () => {
    const file = composeFileFor(input());
    const breaks = ['\n', '\r', '\r\n', '\u0085', '\u2028', '\u2029', '\u000b', '\u000c'];
    const header = breaks.map((b) => `The claude-tui project /home/ada/x${b}evil: {services: 1}`);
    const text = renderComposeFile(file, header);
    const lines = text.split(/\r\n|[\n\r\u0085\u2028\u2029]/);
    expect(lines.slice(0, header.length).every((line) => line.startsWith('# '))).toBe(true);
    expect(lines[header.length]).toBe('services:');
    expect(text).toContain('# The claude-tui project /home/ada/x^Jevil: {services: 1}');
    expect(text).toContain('x<U+2028>evil');
    expect(parse(text)).toEqual(file);
  });
});
