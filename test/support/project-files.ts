import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectIdentity } from '../../src/project/identity.js';
import type { TestNetwork } from './test-hosts.js';

/**
 * Writes a test project's config and allowlist, owned by the project's user as a real project's
 * files are (only the read-only mount keeps the agent from changing them).
 */
export function writePolicyFiles(
  project: ProjectIdentity,
  files: { config: string; allowlist: string },
): void {
  mkdirSync(join(project.dir, '.claude'), { recursive: true });
  writeFileSync(join(project.dir, '.claude', 'claude-tui.yaml'), files.config);
  writeFileSync(join(project.dir, '.claude', 'allowed-domains.txt'), files.allowlist);
  for (const path of ['.claude', '.claude/claude-tui.yaml', '.claude/allowed-domains.txt']) {
    chownSync(join(project.dir, path), 1234, 1234);
  }
}

/**
 * The firewall tests' project: no default names, the test network's resolver upstream, its own
 * self-check targets, `allowed.test` allowed, and the gateway on the test network.
 */
export function writeFirewallTestFiles(project: ProjectIdentity, net: TestNetwork, extra = ''): void {
  writePolicyFiles(project, {
    config: [
      'firewall:',
      '  defaults: false',
      `  dnsUpstream: ${net.dnsIp}`,
      '  selfCheck:',
      '    blocked: [check-blocked.test:80]',
      '    allowed: [allowed.test:80]',
      extra,
      `networks: [${net.name}]`,
      '',
    ].join('\n'),
    allowlist: '# the test project\nallowed.test\n',
  });
}

const fakeAgentDir = fileURLToPath(new URL('../fixtures/fake-agent', import.meta.url));

/** The project config's lines that make the fake agent (test/fixtures) the project's agent. */
export const FAKE_AGENT_CONFIG = [
  'agent:',
  '  command: /opt/fake-agent/fake-agent',
  'mounts:',
  `  - { source: ${fakeAgentDir}, target: /opt/fake-agent }`,
];
