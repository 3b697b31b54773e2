import { describe, expect, it } from 'vitest';
import {
  cleanupCandidates,
  unusedByLivingProject,
  type ManagedResource,
} from '../../src/project/inventory.js';

const resource = (name: string, extra: Partial<ManagedResource> = {}): ManagedResource => ({
  kind: 'volume',
  id: name,
  name,
  role: 'home',
  projectDir: '/home/dev/app',
  sizeBytes: 1000,
  inUse: false,
  usedBy: [],
  unmergedCommits: null,
  folderMissing: false,
  usedOnlyByGoneProjects: false,
  ...extra,
});

describe('cleanupCandidates with projects whose folder is gone', () => {
  const gone = { projectDir: '/home/dev/Removed', folderMissing: true };
  const agent = resource('removed-agent', {
    ...gone,
    kind: 'container',
    role: 'agent',
    inUse: true,
    usedBy: ['running'],
    usedOnlyByGoneProjects: true,
  });
  const home = resource('removed-home', {
    ...gone,
    inUse: true,
    usedBy: ['removed-agent'],
    usedOnlyByGoneProjects: true,
  });
  const unmerged = resource('removed-git', { ...gone, role: 'git-session', unmergedCommits: 3 });
  const living = resource('app-home', { inUse: true, usedBy: ['app-agent'] });
  const sharedWithLiving = resource('removed-shared', { ...gone, inUse: true, usedBy: ['app-agent'] });

  it('takes what only the gone project uses, its running containers included', () => {
    const plan = cleanupCandidates({ resources: [agent, home, unmerged, living, sharedWithLiving] });
    expect(plan.remove.map((r) => r.name)).toEqual(['removed-agent', 'removed-home']);
  });

  it('still keeps a git-session volume with unmerged commits, and what a living project uses', () => {
    const plan = cleanupCandidates({ resources: [agent, home, unmerged, living, sharedWithLiving] });
    expect(plan.keep.map((k) => [k.resource.name, k.reason])).toEqual([
      ['removed-git', '3 commits never merged back (--discard-unmerged)'],
      ['app-home', 'in use by app-agent'],
      ['removed-shared', 'in use by app-agent'],
    ]);
  });

  it('counts as unused by a living project what nothing or only a gone project uses', () => {
    expect([agent, home, unmerged, living, sharedWithLiving].map(unusedByLivingProject)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
