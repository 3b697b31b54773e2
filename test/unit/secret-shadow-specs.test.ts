import { describe, expect, it } from 'vitest';
import {
  WORKSPACE,
  agentSpec,
  gitAgentSpec,
  type ProjectRuntime,
} from '../../src/project/container-specs.js';
import { projectIdentity } from '../../src/project/identity.js';
import { secretRules } from '../../src/project/secret-patterns.js';
import { INODE_RECORD_TARGET, type InodeRecord } from '../../src/project/secret-inodes.js';
import {
  SECRET_CHECK_ENV,
  secretShadows,
  shadowsInContainer,
  type SecretShadows,
} from '../../src/project/secret-shadows.js';

interface Mount {
  Type: string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  TmpfsOptions?: { SizeBytes?: number };
}

const project = projectIdentity('/home/ada/my-app');
const record: InodeRecord = {
  device: 64769,
  root: 2,
  shadows: [{ path: '.env', kind: 'file', inode: 11, size: 9, mtimeMs: 1 }],
};
const shadows: SecretShadows = {
  emptyFile: '/state/projects/x/secret-shadow',
  shadows: [
    { path: '.env', kind: 'file' },
    { path: 'config/server.key', kind: 'file' },
    { path: 'private', kind: 'folder' },
  ],
  check: secretRules().source,
  inodeFile: '/state/projects/x/secret-inodes.json',
  record,
  replacedOnHost: [],
};

function runtime(overrides: Partial<ProjectRuntime> = {}): ProjectRuntime {
  return {
    image: 'claude-tui-agent:0123456789ab',
    hostUser: { uid: 1000, gid: 1001 },
    env: {},
    mounts: [],
    protectedPaths: ['.claude/claude-tui.yaml'],
    policyDir: '/state/policy',
    resolvConf: undefined,
    networks: [],
    secretShadows: shadows,
    ...overrides,
  };
}

const mountsOf = (spec: { HostConfig: Record<string, unknown> }) => spec.HostConfig.Mounts as Mount[];

describe('secret shadows in the agent container spec', () => {
  const spec = agentSpec(project, runtime());

  it('puts the empty read-only file over each secret file, from the host state folder', () => {
    const files = mountsOf(spec).filter((m) => m.Source === shadows.emptyFile);
    expect(files).toEqual([
      { Type: 'bind', Source: shadows.emptyFile, Target: `${WORKSPACE}/.env`, ReadOnly: true },
      { Type: 'bind', Source: shadows.emptyFile, Target: `${WORKSPACE}/config/server.key`, ReadOnly: true },
    ]);
    expect(shadows.emptyFile.startsWith(project.dir)).toBe(false);
  });

  it('puts an empty read-only tmpfs over each secret folder', () => {
    expect(mountsOf(spec).filter((m) => m.Type === 'tmpfs')).toEqual([
      { Type: 'tmpfs', Target: `${WORKSPACE}/private`, ReadOnly: true, TmpfsOptions: { SizeBytes: 4096 } },
    ]);
  });

  it('gives the entrypoint the rules for its check at every start', () => {
    const entry = spec.Env?.find((e) => e.startsWith(`${SECRET_CHECK_ENV}=`));
    expect(JSON.parse(entry!.slice(SECRET_CHECK_ENV.length + 1))).toEqual(secretRules().source);
  });

  it('mounts the inode record read-only outside the workspace; its content is not in the spec', () => {
    expect(mountsOf(spec).filter((m) => m.Target === INODE_RECORD_TARGET)).toEqual([
      { Type: 'bind', Source: shadows.inodeFile, Target: INODE_RECORD_TARGET, ReadOnly: true },
    ]);
    // An editor saving .env by rename gives it a new inode: that must not recreate the agent.
    const saved = { ...record, shadows: [{ ...record.shadows[0]!, inode: 12, mtimeMs: 2 }] };
    const after = agentSpec(project, runtime({ secretShadows: { ...shadows, record: saved } }));
    expect(JSON.stringify(after)).toEqual(JSON.stringify(spec));
  });

  it('changes (so up recreates the agent) when the set of shadowed paths changes', () => {
    const more = agentSpec(
      project,
      runtime({
        secretShadows: { ...shadows, shadows: [...shadows.shadows, { path: 'b.pem', kind: 'file' }] },
      }),
    );
    expect(JSON.stringify(more)).not.toEqual(JSON.stringify(spec));
  });

  it('is the same as before for a project with nothing to shadow and no rules', () => {
    const none = agentSpec(project, runtime({ secretShadows: undefined }));
    expect(mountsOf(none).some((m) => m.Type === 'tmpfs' || m.Source === shadows.emptyFile)).toBe(false);
    expect(none.Env?.some((e) => e.startsWith(`${SECRET_CHECK_ENV}=`))).toBe(false);
  });

  it('reads back what a container shadows from its inspected mounts', () => {
    const inspected = mountsOf(spec).map((m) => ({
      Type: m.Type,
      Source: m.Source ?? '',
      Destination: m.Target,
    }));
    expect(shadowsInContainer(inspected, shadows.emptyFile, WORKSPACE)).toEqual(shadows.shadows);
  });

  it('has the check on for every project with shadows', () => {
    expect(spec.Env?.some((e) => e.startsWith(`${SECRET_CHECK_ENV}=`))).toBe(true);
  });
});

describe('a git session container (no bind mount of the project at all)', () => {
  const session = { name: 's1', volume: 'vol-s1', workdir: `${WORKSPACE}/s1` };
  const spec = gitAgentSpec(project, runtime(), session);

  it('has none of the shadow mounts', () => {
    const targets = mountsOf(spec).map((m) => m.Target);
    expect(
      targets.some((t) => t === WORKSPACE || (t.startsWith(`${WORKSPACE}/`) && t !== session.workdir)),
    ).toBe(false);
    expect(mountsOf(spec).some((m) => m.Source === shadows.emptyFile || m.Type === 'tmpfs')).toBe(false);
    expect(mountsOf(spec).some((m) => m.Target === INODE_RECORD_TARGET)).toBe(false);
  });

  it('does not run the check on its clone', () => {
    expect(spec.Env?.some((e) => e.startsWith(`${SECRET_CHECK_ENV}=`))).toBe(false);
  });
});

describe('secretShadows', () => {
  it('keeps the check on even for a search cut short (up makes no agent from it then)', () => {
    const rules = secretRules();
    const scan = { shadows: [{ path: 'a.pem', kind: 'file' as const, via: 'b.pem' }], notes: [], entries: 3 };
    expect(secretShadows({ ...scan, truncated: false }, rules, '/s', { record })).toEqual({
      emptyFile: '/s/secret-shadow',
      shadows: [{ path: 'a.pem', kind: 'file' }],
      check: rules.source,
      inodeFile: '/s/secret-inodes.json',
      record,
      replacedOnHost: [],
    });
    expect(secretShadows({ ...scan, truncated: true }, rules, '/s', { record }).check).toEqual(rules.source);
  });
});
