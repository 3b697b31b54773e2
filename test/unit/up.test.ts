import { describe, expect, it } from 'vitest';
import type { ContainerCreateBody, ContainerSummary } from '../../src/docker/engine.js';
import { LABEL } from '../../src/docker/labels.js';
import { projectIdentity } from '../../src/project/identity.js';
import { isCurrent } from '../../src/project/up.js';

const project = projectIdentity('/home/ada/app');

const spec = (hash: string): ContainerCreateBody => ({
  Image: 'img',
  HostConfig: {},
  Labels: { [LABEL.spec]: hash },
});
const specs = { gateway: spec('gateway-hash'), agent: spec('agent-hash') };

function container(name: string, id: string, overrides: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    Id: id,
    Names: [`/${name}`],
    Image: 'img',
    State: 'running',
    Status: 'Up 3 minutes',
    Labels: {},
    ...overrides,
  };
}

function current(): { gateway: ContainerSummary; agent: ContainerSummary } {
  return {
    gateway: container(project.names.gateway, 'gw-id', { Labels: { [LABEL.spec]: 'gateway-hash' } }),
    agent: container(project.names.agent, 'agent-id', {
      Labels: { [LABEL.spec]: 'agent-hash' },
      HostConfig: { NetworkMode: 'container:gw-id' },
    }),
  };
}

describe('isCurrent', () => {
  it('is true when both run, both spec hashes match and the agent is in the gateway namespace', () => {
    const { gateway, agent } = current();
    expect(isCurrent([agent, gateway], project, specs)).toBe(true);
  });

  it('is false when either container is missing', () => {
    const { gateway, agent } = current();
    expect(isCurrent([gateway], project, specs)).toBe(false);
    expect(isCurrent([agent], project, specs)).toBe(false);
    expect(isCurrent([], project, specs)).toBe(false);
  });

  it('is false when either container is not running', () => {
    for (const role of ['gateway', 'agent'] as const) {
      for (const state of ['exited', 'restarting', 'created', 'paused']) {
        const containers = current();
        containers[role].State = state;
        expect(isCurrent([containers.gateway, containers.agent], project, specs), `${role} ${state}`).toBe(
          false,
        );
      }
    }
  });

  it('is false when either spec hash differs or is missing', () => {
    for (const role of ['gateway', 'agent'] as const) {
      const changed = current();
      changed[role].Labels = { [LABEL.spec]: 'old' };
      expect(isCurrent([changed.gateway, changed.agent], project, specs)).toBe(false);
      const missing = current();
      missing[role].Labels = {};
      expect(isCurrent([missing.gateway, missing.agent], project, specs)).toBe(false);
    }
  });

  it("is false when the agent joined another container's namespace or none", () => {
    const { gateway, agent } = current();
    // By name is not enough: after a gateway is re-created the agent still points at the old Id.
    for (const mode of [`container:${project.names.gateway}`, 'container:old-gw-id', 'bridge', undefined]) {
      const stale = { ...agent, HostConfig: mode === undefined ? undefined : { NetworkMode: mode } };
      expect(isCurrent([gateway, stale], project, specs), String(mode)).toBe(false);
    }
  });

  it("does not take another project's containers for this one's", () => {
    const other = projectIdentity('/home/ada/other/app');
    const { gateway, agent } = current();
    expect(isCurrent([gateway, agent], other, specs)).toBe(false);
  });

  it('finds containers by exact name, not by prefix', () => {
    const { gateway, agent } = current();
    const lookalike = { ...gateway, Names: [`/${project.names.gateway}-old`] };
    expect(isCurrent([lookalike, agent], project, specs)).toBe(false);
  });
});
