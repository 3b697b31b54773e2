import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvedPolicy } from '../../src/policy/approved-config.js';
import { settlePolicy } from '../../src/policy/review-policy.js';

let root: string;
let project: string;
let state: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'approved-config-'));
  project = join(root, 'project');
  state = join(root, 'state');
  mkdirSync(join(project, '.claude'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const config = (text: string) => writeFileSync(join(project, '.claude', 'claude-tui.yaml'), text);
const kept = () => join(state, 'approved-policy.interpreted.json');
/** Changes the kept copy's meaning behind its key: whether it is then taken shows it was read. */
const tamperKept = () => {
  const file = JSON.parse(readFileSync(kept(), 'utf8')) as { policy: { config: object } };
  file.policy.config = { agent: { command: 'from-the-kept-copy' } };
  writeFileSync(kept(), JSON.stringify(file));
};

describe('the approved policy as read', () => {
  it('is kept beside the approval (owner only) and read back for the same files and build', async () => {
    config('agent:\n  command: approved-agent\n');
    await settlePolicy(project, state, { approveAll: true });
    const first = await approvedPolicy(project, state, 'build-1');
    expect(first.config.agent?.command).toBe('approved-agent');
    expect(statSync(kept()).mode & 0o777).toBe(0o600);
    tamperKept();
    expect((await approvedPolicy(project, state, 'build-1')).config.agent?.command).toBe(
      'from-the-kept-copy',
    );
  });

  it('is worked out again for a new approval, another build or another project folder', async () => {
    config('agent:\n  command: first\n');
    await settlePolicy(project, state, { approveAll: true });
    await approvedPolicy(project, state, 'build-1');
    tamperKept();
    expect((await approvedPolicy(project, state, 'build-2')).config.agent?.command).toBe('first');
    tamperKept();
    expect((await approvedPolicy(join(root, 'elsewhere'), state, 'build-2')).config.agent?.command).toBe(
      'first',
    );
    tamperKept();
    config('agent:\n  command: second\n');
    await settlePolicy(project, state, { approveAll: true });
    expect((await approvedPolicy(project, state, 'build-2')).config.agent?.command).toBe('second');
  });

  it('only follows the approval: a change in the files waits, kept copy or not', async () => {
    config('agent:\n  command: approved-agent\n');
    await settlePolicy(project, state, { approveAll: true });
    await approvedPolicy(project, state, 'build-1');
    config('agent:\n  command: proposed-by-the-agent\n');
    expect((await approvedPolicy(project, state, 'build-1')).config.agent?.command).toBe('approved-agent');
  });

  it('is not kept when run from the sources (no build to tie it to), and a torn copy is ignored', async () => {
    config('agent:\n  command: approved-agent\n');
    await settlePolicy(project, state, { approveAll: true });
    await approvedPolicy(project, state, undefined);
    expect(() => statSync(kept())).toThrow();
    writeFileSync(kept(), '{"key":');
    expect((await approvedPolicy(project, state, 'build-1')).config.agent?.command).toBe('approved-agent');
  });
});
