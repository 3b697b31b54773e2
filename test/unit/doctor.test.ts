import type { Credential } from '../../src/auth/credential.js';
import { describe, expect, it } from 'vitest';
import { connectionError } from '../../src/docker/connection-error.js';
import type { DockerEngine, EngineVersion, ImageSummary } from '../../src/docker/engine.js';
import { LABEL } from '../../src/docker/labels.js';
import { DockerUnavailableError, UserError } from '../../src/errors.js';
import {
  MIN_API_VERSION,
  compareVersions,
  runDoctor,
  type CheckResult,
  type DoctorDeps,
} from '../../src/project/doctor.js';
import type { ProjectPlan } from '../../src/project/project-runtime.js';

/** A DockerEngine with only the given methods; any other call fails the test. */
function fakeEngine(methods: Partial<DockerEngine>): DockerEngine & { calls: string[] } {
  const calls: string[] = [];
  const base = { endpoint: '/var/run/docker.sock', context: undefined, calls, ...methods };
  return new Proxy(base, {
    get(target, property, receiver) {
      if (typeof property === 'string' && !(property in target)) {
        return () => {
          throw new Error(`unexpected engine call: ${property}`);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value === 'function' && typeof property === 'string') {
        return (...args: unknown[]) => {
          calls.push(property);
          return (value as (...a: unknown[]) => unknown)(...args);
        };
      }
      return value;
    },
  }) as DockerEngine & { calls: string[] };
}

const engineVersion = (ApiVersion: string): EngineVersion => ({
  Version: '27.3.1',
  ApiVersion,
  Os: 'linux',
  Arch: 'amd64',
});

const linuxEngine = { OperatingSystem: 'Debian GNU/Linux 12 (bookworm)', Name: 'box', SecurityOptions: [] };
const linuxHost: DoctorDeps['host'] = { os: 'linux', env: {}, procVersion: 'Linux version 6.1.0-18-amd64' };

const plan = {
  inputs: {
    hash: 'f'.repeat(64),
    tag: 'claude-tui-agent:ffffffffffff',
    buildArgs: { BASE_IMAGE: 'debian:bookworm-slim', CLAUDE_CODE_VERSION: '2.1.330' },
    files: new Map(),
  },
} as unknown as ProjectPlan;

const noPlan = () => Promise.reject(new UserError('/p/.claude/claude-tui.yaml:1:1: bad', 'Fix the file.'));

const oauth: Credential = {
  value: `sk-ant-oat01-${'a'.repeat(90)}Q1w2`,
  from: 'login',
  savedAt: '2026-12-01T00:00:00.000Z',
  kind: 'claude-oauth',
  scope: 'all-projects',
};

const byName = (results: CheckResult[], name: string) => results.find((r) => r.name === name);

function deps(engine: DockerEngine, overrides: Partial<DoctorDeps> = {}): DoctorDeps {
  return {
    engine,
    nodeVersion: 'v24.1.0',
    host: linuxHost,
    plan: noPlan,
    credential: () => Promise.resolve(oauth),
    ...overrides,
  };
}

describe('the credential check', () => {
  const failing = {
    ping: () => Promise.reject(new DockerUnavailableError('down', 'start it')),
  } as unknown as DockerEngine;

  it('names the credential masked, and where it applies', async () => {
    const results = await runDoctor(deps(failing));
    expect(byName(results, 'credential')).toEqual({
      name: 'credential',
      outcome: 'ok',
      detail: 'Claude OAuth token sk-ant-oat01-…Q1w2, shared by all projects',
    });
  });

  it('warns with what to do when none is stored, and fails on a broken secrets file', async () => {
    const none = await runDoctor(deps(failing, { credential: () => Promise.resolve(undefined) }));
    expect(byName(none, 'credential')).toMatchObject({
      outcome: 'warn',
      fix: 'Run `claude-tui login` once for all projects.',
    });
    const broken = await runDoctor(
      deps(failing, { credential: () => Promise.reject(new UserError('secrets.json:2:3: bad', 'Fix it.')) }),
    );
    expect(byName(broken, 'credential')).toMatchObject({
      outcome: 'fail',
      detail: 'secrets.json:2:3: bad',
      fix: 'Fix it.',
    });
  });
});

describe('compareVersions', () => {
  it('compares major then minor numerically', () => {
    expect(compareVersions('1.41', '1.41')).toBe(0);
    expect(compareVersions('1.40', '1.41')).toBeLessThan(0);
    expect(compareVersions('1.47', '1.41')).toBeGreaterThan(0);
    expect(compareVersions('1.9', '1.41')).toBeLessThan(0);
    expect(compareVersions('1.100', '1.41')).toBeGreaterThan(0);
    expect(compareVersions('2.0', '1.99')).toBeGreaterThan(0);
  });

  it('treats a missing minor as 0', () => {
    expect(compareVersions('2', '2.0')).toBe(0);
    expect(compareVersions('1', '1.41')).toBeLessThan(0);
  });
});

describe('runDoctor', () => {
  it('fails the docker socket check with the fix for EACCES, and stops there', async () => {
    const engine = fakeEngine({
      ping: () => Promise.reject(connectionError({ kind: 'socket', path: '/var/run/docker.sock' }, 'EACCES')),
    });
    let planned = false;
    const results = await runDoctor(
      deps(engine, {
        plan: () => {
          planned = true;
          return Promise.resolve(plan);
        },
      }),
    );
    expect(results.map((r) => r.name)).toEqual(['node', 'credential', 'docker socket']);
    const socket = byName(results, 'docker socket')!;
    expect(socket.outcome).toBe('fail');
    expect(socket.detail).toContain('No permission');
    expect(socket.fix).toContain('docker group');
    expect(engine.calls).toEqual(['ping']);
    expect(planned).toBe(false);
  });

  it('names the endpoint and the Docker context in use, whether it answers or not', async () => {
    const context = 'box (chosen by --context)';
    const answering = fakeEngine({
      endpoint: 'tcp://box:2376 (TLS)',
      context,
      ping: () => Promise.resolve(),
      info: () => Promise.resolve(linuxEngine),
      version: () => Promise.resolve(engineVersion('1.41')),
    });
    expect(byName(await runDoctor(deps(answering)), 'docker socket')?.detail).toBe(
      'answers at tcp://box:2376 (TLS); Docker context: box (chosen by --context)',
    );
    const down = fakeEngine({
      context,
      ping: () => Promise.reject(connectionError({ kind: 'tcp', host: 'box', port: 2376 }, 'ECONNREFUSED')),
    });
    const check = byName(await runDoctor(deps(down)), 'docker socket')!;
    expect(check.detail).toBe(
      'Nothing answers at tcp://box:2376. Docker context: box (chosen by --context).',
    );
    expect(check.fix).toContain('listens on port 2376');
  });

  it('rethrows a ping failure that is not a Docker-unavailable error (a bug)', async () => {
    const engine = fakeEngine({ ping: () => Promise.reject(new TypeError('boom')) });
    await expect(runDoctor(deps(engine))).rejects.toThrow('boom');
  });

  it('fails the engine check for an API older than the minimum, with the fix', async () => {
    const engine = fakeEngine({
      ping: () => Promise.resolve(),
      info: () => Promise.resolve(linuxEngine),
      version: () => Promise.resolve(engineVersion('1.40')),
    });
    const results = await runDoctor(deps(engine));
    const check = byName(results, 'docker engine')!;
    expect(check.outcome).toBe('fail');
    expect(check.detail).toContain('API 1.40');
    expect(check.fix).toContain(MIN_API_VERSION);
    expect(byName(results, 'docker socket')?.outcome).toBe('ok');
  });

  it('passes the engine check at the minimum API version', async () => {
    const engine = fakeEngine({
      ping: () => Promise.resolve(),
      info: () => Promise.resolve(linuxEngine),
      version: () => Promise.resolve(engineVersion(MIN_API_VERSION)),
    });
    const check = byName(await runDoctor(deps(engine)), 'docker engine')!;
    expect(check.outcome).toBe('ok');
    expect(check.fix).toBeUndefined();
    expect(check.detail).toBe(`Engine 27.3.1, API ${MIN_API_VERSION} (linux/amd64)`);
  });

  it('names the platform and what differs on it; a rootless Engine is a warning', async () => {
    const engine = fakeEngine({
      ping: () => Promise.resolve(),
      version: () => Promise.resolve(engineVersion('1.47')),
      info: () => Promise.resolve(linuxEngine),
    });
    const linux = byName(await runDoctor(deps(engine)), 'platform')!;
    expect(linux).toMatchObject({ outcome: 'ok', detail: 'Linux, Docker Engine' });
    expect(linux.notes).toHaveLength(3);
    expect(linux.notes?.[0]).toMatch(/^SSH agent \(ssh\.agent\): relayed from SSH_AUTH_SOCK/);
    expect(linux.notes?.[1]).toMatch(/^host\.docker\.internal/);
    expect(linux.notes?.[2]).toMatch(/^files the agent writes are yours/);

    const rootless = fakeEngine({
      ping: () => Promise.resolve(),
      version: () => Promise.resolve(engineVersion('1.47')),
      info: () =>
        Promise.resolve({
          ...linuxEngine,
          SecurityOptions: ['name=seccomp,profile=builtin', 'name=rootless'],
        }),
    });
    const warned = byName(await runDoctor(deps(rootless)), 'platform')!;
    expect(warned).toMatchObject({ outcome: 'warn', detail: 'Linux, Docker Engine (rootless)' });
  });

  it('fails the node check for an old Node', async () => {
    const engine = fakeEngine({
      ping: () => Promise.resolve(),
      info: () => Promise.resolve(linuxEngine),
      version: () => Promise.resolve(engineVersion('1.47')),
    });
    const node = byName(await runDoctor(deps(engine, { nodeVersion: 'v20.11.1' })), 'node')!;
    expect(node.outcome).toBe('fail');
    expect(node.fix).toContain('22.12');
    const older = byName(await runDoctor(deps(engine, { nodeVersion: 'v22.11.0' })), 'node')!;
    expect(older.outcome).toBe('fail');
    for (const version of ['v22.12.0', 'v23.0.0', 'v24.1.0']) {
      const ok = byName(await runDoctor(deps(engine, { nodeVersion: version })), 'node')!;
      expect(ok.outcome, version).toBe('ok');
    }
  });

  it('reports a project that cannot be planned as a failed check with its hint', async () => {
    const engine = fakeEngine({
      ping: () => Promise.resolve(),
      info: () => Promise.resolve(linuxEngine),
      version: () => Promise.resolve(engineVersion('1.47')),
    });
    const project = byName(await runDoctor(deps(engine)), 'project')!;
    expect(project.outcome).toBe('fail');
    expect(project.detail).toContain('claude-tui.yaml:1:1');
    expect(project.fix).toBe('Fix the file.');
  });

  it('warns when neither the agent image nor the base image is present', async () => {
    const engine = fakeEngine({
      ping: () => Promise.resolve(),
      info: () => Promise.resolve(linuxEngine),
      version: () => Promise.resolve(engineVersion('1.47')),
      listImages: () => Promise.resolve([]),
      inspectImage: () => Promise.resolve(undefined),
    });
    const results = await runDoctor(deps(engine, { plan: () => Promise.resolve(plan) }));
    expect(results.map((r) => [r.name, r.outcome])).toEqual([
      ['node', 'ok'],
      ['credential', 'ok'],
      ['docker socket', 'ok'],
      ['docker engine', 'ok'],
      ['platform', 'ok'],
      ['agent image', 'warn'],
      ['base image', 'warn'],
    ]);
    expect(byName(results, 'agent image')?.detail).toContain('claude-tui-agent:ffffffffffff');
  });

  it('is all ok when the agent image with these inputs exists', async () => {
    const image: ImageSummary = {
      Id: 'sha256:abc',
      RepoTags: ['claude-tui-agent:ffffffffffff'],
      Labels: { [LABEL.imageInputs]: 'f'.repeat(64) },
      Size: 1,
      Created: 0,
    };
    let filter: unknown;
    const engine = fakeEngine({
      ping: () => Promise.resolve(),
      info: () => Promise.resolve(linuxEngine),
      version: () => Promise.resolve(engineVersion('1.47')),
      listImages: (labels) => {
        filter = labels;
        return Promise.resolve([image]);
      },
      inspectImage: () => Promise.resolve(undefined),
    });
    const results = await runDoctor(deps(engine, { plan: () => Promise.resolve(plan) }));
    expect(results.every((r) => r.outcome === 'ok')).toBe(true);
    expect(filter).toEqual({ [LABEL.imageInputs]: 'f'.repeat(64) });
    expect(byName(results, 'base image')?.detail).toContain('not needed');
  });
});
