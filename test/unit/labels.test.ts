import { describe, expect, it } from 'vitest';
import {
  LABEL,
  belongsTo,
  everythingManaged,
  isManaged,
  managedLabels,
  projectFilter,
} from '../../src/docker/labels.js';
import { VERSION } from '../../src/version.js';

const project = { dir: '/home/ada/app', id: '0123abcd' };

describe('managedLabels', () => {
  it('has managed, role, version, project and project-id for a project resource', () => {
    expect(managedLabels('agent', project)).toEqual({
      'dev.claude-tui.managed': 'true',
      'dev.claude-tui.role': 'agent',
      'dev.claude-tui.version': VERSION,
      'dev.claude-tui.project': '/home/ada/app',
      'dev.claude-tui.project-id': '0123abcd',
    });
  });

  it('leaves out the project labels for a shared resource', () => {
    const labels = managedLabels('image');
    expect(labels[LABEL.managed]).toBe('true');
    expect(labels[LABEL.role]).toBe('image');
    expect(labels).not.toHaveProperty(LABEL.project);
    expect(labels).not.toHaveProperty(LABEL.projectId);
  });

  it('returns a fresh object each time', () => {
    const a = managedLabels('gateway', project);
    a[LABEL.role] = 'changed';
    expect(managedLabels('gateway', project)[LABEL.role]).toBe('gateway');
  });
});

describe('isManaged', () => {
  it("is true only for the managed label set to 'true'", () => {
    expect(isManaged(managedLabels('network', project))).toBe(true);
    expect(isManaged({ [LABEL.managed]: 'false' })).toBe(false);
    expect(isManaged({})).toBe(false);
    expect(isManaged(null)).toBe(false);
    expect(isManaged(undefined)).toBe(false);
  });
});

describe('belongsTo', () => {
  const labels = managedLabels('gateway', project);

  it('is true for this project and role', () => {
    expect(belongsTo(labels, project.id, 'gateway')).toBe(true);
  });

  it('is false for another project id', () => {
    expect(belongsTo(labels, 'ffffffff', 'gateway')).toBe(false);
  });

  it('is false for another role', () => {
    expect(belongsTo(labels, project.id, 'agent')).toBe(false);
  });

  it('is false when the resource is not managed, even if the other labels match', () => {
    const { [LABEL.managed]: _managed, ...unmanaged } = labels;
    expect(belongsTo(unmanaged, project.id, 'gateway')).toBe(false);
    expect(belongsTo({ ...labels, [LABEL.managed]: 'no' }, project.id, 'gateway')).toBe(false);
  });

  it('is false for missing labels', () => {
    expect(belongsTo(null, project.id, 'gateway')).toBe(false);
    expect(belongsTo(undefined, project.id, 'gateway')).toBe(false);
  });
});

describe('filters', () => {
  it('projectFilter selects managed resources of one project', () => {
    expect(projectFilter('0123abcd')).toEqual({
      'dev.claude-tui.managed': 'true',
      'dev.claude-tui.project-id': '0123abcd',
    });
  });

  it('everythingManaged selects by the managed label only', () => {
    expect(everythingManaged).toEqual({ 'dev.claude-tui.managed': 'true' });
  });

  it('all label keys share the dev.claude-tui. prefix and are distinct', () => {
    const keys = Object.values(LABEL);
    for (const key of keys) expect(key).toMatch(/^dev\.claude-tui\.[a-z-]+$/);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
