import { describe, expect, it } from 'vitest';
import { agentSpec, gitAgentSpec, type ProjectRuntime } from '../../src/project/container-specs.js';
import { projectIdentity } from '../../src/project/identity.js';
import {
  escapeLikeMountinfo,
  PINNED_MOUNTS_ENV,
  pinnedMounts,
  pinnedMountsEnv,
} from '../../src/project/pinned-mounts.js';
import { lastRefusal } from '../../src/project/start-refusal.js';

const project = projectIdentity('/home/ada/my app');

function runtime(overrides: Partial<ProjectRuntime> = {}): ProjectRuntime {
  return {
    image: 'claude-tui-agent:0123456789ab',
    hostUser: { uid: 1000, gid: 1001 },
    env: {},
    mounts: [
      { source: '/data/shared', target: '/shared', readOnly: false },
      { source: '/data/shared/ref', target: '/ref', readOnly: true },
      { source: '/home/ada/my app/docs', target: '/docs', readOnly: true },
      { source: '/data/elsewhere', target: '/elsewhere', readOnly: true },
    ],
    protectedPaths: ['.git/hooks', '.git/config'],
    policyDir: '/state/policy',
    resolvConf: '/state/resolv.conf',
    networks: [],
    ...overrides,
  };
}

const pinsOf = (env: readonly string[] | undefined) =>
  env?.find((e) => e.startsWith(`${PINNED_MOUNTS_ENV}=`))?.slice(PINNED_MOUNTS_ENV.length + 1);

describe('pinned mounts: binds whose source a writable mount holds', () => {
  it('pins every bind inside the workspace or a writable mount, and nothing else', () => {
    const spec = agentSpec(project, runtime());
    const mounts = (spec.HostConfig as { Mounts: { Type: string; Source?: string; Target: string }[] })
      .Mounts;
    expect(pinnedMounts(mounts)).toEqual([
      { target: '/workspace/.git/hooks', base: '/workspace', below: '.git/hooks' },
      { target: '/workspace/.git/config', base: '/workspace', below: '.git/config' },
      { target: '/ref', base: '/shared', below: 'ref' },
      { target: '/docs', base: '/workspace', below: 'docs' },
    ]);
  });

  it('passes them to the check escaped as mountinfo escapes paths, one a line', () => {
    const pins = pinsOf(agentSpec(project, runtime({ protectedPaths: [] })).Env);
    expect(pins).toBe('/ref /shared ref\n/docs /workspace docs');
    expect(escapeLikeMountinfo('a b\tc\nd\\e')).toBe('a\\040b\\011c\\012d\\134e');
  });

  it('pins nothing when no bind lies in a writable one (no variable at all)', () => {
    expect(pinnedMountsEnv([{ Type: 'bind', Source: '/a', Target: '/a', ReadOnly: true }])).toEqual([]);
    // A folder beside the workspace whose name starts the same is not inside it.
    const beside = [
      { Type: 'bind', Source: '/p', Target: '/workspace' },
      { Type: 'bind', Source: '/p2/x', Target: '/x', ReadOnly: true },
    ];
    expect(pinnedMounts(beside)).toEqual([]);
  });

  it("a git session's container pins what is still mounted there, not the project's paths", () => {
    const spec = gitAgentSpec(project, runtime(), { name: 's1', volume: 'v', workdir: '/workspace/s1' });
    expect(pinsOf(spec.Env)).toBe('/ref /shared ref');
    expect(spec.Env?.filter((e) => e.startsWith(`${PINNED_MOUNTS_ENV}=`))).toHaveLength(1);
  });
});

describe('lastRefusal: why the start checks refused, from the container log', () => {
  const refusal = [
    'claude-tui-entrypoint[agent]: claude user is now uid 1000',
    'claude-tui: 1 protected mount(s) do not show what claude-tui up mounted (changed since, while the container was stopped):',
    '  /workspace/.git/hooks: shows /tmp/rv/secret (device 254:0), not /workspace/.git/hooks (a link on the way on the host)',
    'claude-tui: the agent container does not start until claude-tui up checks them again (put back on the host what was moved).',
  ];

  it('names the check and the paths', () => {
    expect(lastRefusal(refusal.join('\n'))).toBe(
      'the agent container refuses to start: 1 protected mount(s) do not show what claude-tui up mounted (changed since, while the container was stopped): /workspace/.git/hooks: shows /tmp/rv/secret (device 254:0), not /workspace/.git/hooks (a link on the way on the host)',
    );
  });

  it('says nothing once a later start got past the checks, or when none refused', () => {
    expect(
      lastRefusal([...refusal, 'claude-tui-entrypoint[agent]: ready as 1000:1000'].join('\n')),
    ).toBeUndefined();
    expect(lastRefusal('claude-tui-entrypoint[agent]: ready as 1000:1000\n')).toBeUndefined();
  });
});
