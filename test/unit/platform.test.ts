import { describe, expect, it } from 'vitest';
import { detectPlatform, type PlatformInputs } from '../../src/project/platform.js';

/** The Engine's /info as each kind of Docker answers it (the fields we read, as captured). */
const engines = {
  debian: {
    OperatingSystem: 'Debian GNU/Linux 12 (bookworm)',
    Name: 'build-box',
    SecurityOptions: ['name=seccomp,profile=default'],
  },
  rootless: {
    OperatingSystem: 'Ubuntu 24.04.1 LTS',
    Name: 'laptop',
    SecurityOptions: ['name=seccomp,profile=builtin', 'name=rootless', 'name=cgroupns'],
  },
  desktop: {
    OperatingSystem: 'Docker Desktop',
    Name: 'docker-desktop',
    SecurityOptions: ['name=seccomp,profile=unconfined', 'name=cgroupns'],
  },
  colima: {
    OperatingSystem: 'Ubuntu 24.04 LTS',
    Name: 'colima',
    SecurityOptions: ['name=seccomp,profile=builtin'],
  },
};

const wslKernel =
  'Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f) (gcc (GCC) 11.2.0) #1 SMP';
const linuxKernel =
  'Linux version 6.1.0-28-amd64 (kernel-team@example.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1';

const detect = (inputs: Partial<PlatformInputs>) =>
  detectPlatform({ os: 'linux', env: {}, procVersion: linuxKernel, engine: engines.debian, ...inputs });

describe('detectPlatform', () => {
  it('names Linux with a plain Engine, relays SSH_AUTH_SOCK, and says host.docker.internal needs a listener on the bridge', () => {
    const platform = detect({ env: { SSH_AUTH_SOCK: '/tmp/ssh-XYZ/agent.42' } });
    expect(platform).toMatchObject({ host: 'linux', engine: 'native', name: 'Linux, Docker Engine' });
    expect(platform.sshAgent).toEqual({ kind: 'relay' });
    expect(platform.notes.sshAgent).toBe(
      'SSH agent (ssh.agent): relayed from SSH_AUTH_SOCK as it is at each up or start; now /tmp/ssh-XYZ/agent.42',
    );
    expect(platform.notes.hostDockerInternal).toContain('not on 127.0.0.1 alone');
    expect(platform.notes.files).toContain('takes your UID');
    expect(platform.caution).toBe(false);
  });

  it('says when SSH_AUTH_SOCK is not set', () => {
    expect(detect({}).notes.sshAgent).toContain('not set here, so none now');
  });

  it('names macOS with Docker Desktop and takes its forwarded socket', () => {
    const platform = detect({ os: 'darwin', procVersion: undefined, engine: engines.desktop });
    expect(platform).toMatchObject({
      host: 'macos',
      engine: 'docker-desktop',
      name: 'macOS, Docker Desktop',
    });
    expect(platform.sshAgent).toEqual({ kind: 'docker-desktop' });
    expect(platform.notes.sshAgent).toContain('/run/host-services/ssh-auth.sock');
    expect(platform.notes.hostDockerInternal).toContain('localhost answers');
    expect(platform.notes.files).toContain("Docker Desktop's file sharing");
  });

  it('tells WSL 2 by its kernel or by WSL_DISTRO_NAME, and relays the distribution’s agent', () => {
    const byKernel = detect({ procVersion: wslKernel });
    expect(byKernel).toMatchObject({ host: 'wsl', name: 'WSL 2, Docker Engine' });
    const byEnv = detect({
      env: { WSL_DISTRO_NAME: 'Ubuntu' },
      procVersion: wslKernel,
      engine: engines.desktop,
    });
    expect(byEnv).toMatchObject({
      host: 'wsl',
      engine: 'docker-desktop',
      name: 'WSL 2 (Ubuntu), Docker Desktop',
    });
    expect(byEnv.sshAgent).toEqual({ kind: 'relay' });
    expect(byKernel.notes.hostDockerInternal).toContain('the WSL VM, not Windows');
    expect(byEnv.notes.files).toContain('takes your UID');
  });

  it('names Docker Desktop on Linux and takes its forwarded socket there too', () => {
    const platform = detect({ engine: engines.desktop });
    expect(platform).toMatchObject({
      host: 'linux',
      engine: 'docker-desktop',
      name: 'Linux, Docker Desktop',
    });
    expect(platform.sshAgent).toEqual({ kind: 'docker-desktop' });
  });

  it('names a rootless Engine, lends no SSH agent there, and warns that the files are not yours', () => {
    const platform = detect({ engine: engines.rootless, env: { SSH_AUTH_SOCK: '/run/user/1000/ssh' } });
    expect(platform).toMatchObject({
      engine: 'rootless',
      name: 'Linux, Docker Engine (rootless)',
      caution: true,
    });
    expect(platform.sshAgent.kind).toBe('none');
    expect(platform.notes.sshAgent).toContain('sub-UID');
    expect(platform.notes.files).toContain('not yours');
    expect(platform.notes.hostDockerInternal).toContain('RootlessKit');
  });

  it('names another Engine in a VM on macOS, which cannot have the host’s socket', () => {
    const platform = detect({ os: 'darwin', procVersion: undefined, engine: engines.colima });
    expect(platform).toMatchObject({ engine: 'vm', name: 'macOS, an Engine in a VM (colima)' });
    expect(platform.sshAgent.kind).toBe('none');
  });

  it('names the host alone when the Engine did not answer', () => {
    expect(detect({ engine: undefined }).name).toBe('Linux, the Engine did not answer');
  });

  it('lends nothing on Windows itself', () => {
    const platform = detect({ os: 'win32', procVersion: undefined, engine: engines.desktop });
    expect(platform.name).toBe('Windows, Docker Desktop');
    expect(platform.sshAgent.kind).toBe('none');
  });
});
