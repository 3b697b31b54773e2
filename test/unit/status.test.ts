import { describe, expect, it } from 'vitest';
import { projectState, type ContainerStatus } from '../../src/project/status.js';

const c = (state: string): ContainerStatus => ({ name: 'n', state, status: state, image: 'img' });

describe('projectState', () => {
  it("is 'down' when neither container exists", () => {
    expect(projectState(null, null)).toBe('down');
  });

  it("is 'up' only when both are running", () => {
    expect(projectState(c('running'), c('running'))).toBe('up');
  });

  it("is 'stopped' when both exist and neither runs", () => {
    expect(projectState(c('exited'), c('exited'))).toBe('stopped');
    expect(projectState(c('created'), c('exited'))).toBe('stopped');
  });

  it("is 'partial' when one runs and the other does not", () => {
    expect(projectState(c('running'), c('exited'))).toBe('partial');
    expect(projectState(c('exited'), c('running'))).toBe('partial');
    expect(projectState(c('running'), c('restarting'))).toBe('partial');
  });

  it("is 'partial' when only one exists, whatever its state", () => {
    expect(projectState(c('running'), null)).toBe('partial');
    expect(projectState(null, c('running'))).toBe('partial');
    expect(projectState(c('exited'), null)).toBe('partial');
    expect(projectState(null, c('exited'))).toBe('partial');
  });
});
