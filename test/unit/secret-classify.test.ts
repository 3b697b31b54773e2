import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProjectConfig } from '../../src/config/load-project-config.js';
import type { ProjectConfig } from '../../src/config/project-config-schema.js';
import { ConfigError } from '../../src/errors.js';
import { classifyChange } from '../../src/policy/classify-change.js';
import { effectivePolicy } from '../support/effective-policy.js';

const policy = (secrets?: ProjectConfig['secrets']) => effectivePolicy(secrets ? { secrets } : {});

describe('classifying secrets changes', () => {
  it('calls an expose entry added a widening that waits', () => {
    expect(classifyChange(policy(), policy({ expose: ['.npmrc'] }))).toEqual({
      widens: [
        { kind: 'secrets', text: 'lets the agent read secret files matching .npmrc (secrets.expose)' },
      ],
      narrows: [],
    });
  });

  it('calls a shadow entry removed a widening', () => {
    expect(classifyChange(policy({ shadow: ['private'] }), policy({}))).toEqual({
      widens: [{ kind: 'secrets', text: 'stops shadowing files matching private (secrets.shadow)' }],
      narrows: [],
    });
  });

  it('calls a shadow entry added, or an expose entry removed, a narrowing', () => {
    expect(classifyChange(policy(), policy({ shadow: ['*.p12'] }))).toEqual({
      widens: [],
      narrows: [{ kind: 'secrets', text: 'shadows files matching *.p12 (secrets.shadow)' }],
    });
    expect(classifyChange(policy({ expose: ['.env.example'] }), policy({ expose: [] }))).toEqual({
      widens: [],
      narrows: [{ kind: 'secrets', text: 'shadows files matching .env.example again (secrets.expose)' }],
    });
  });

  it('sees an edited entry as one removed and one added: its exposing half waits', () => {
    const change = classifyChange(policy({ expose: ['test/a.key'] }), policy({ expose: ['test/*.key'] }));
    expect(change.widens.map((c) => c.text)).toEqual([
      'lets the agent read secret files matching test/*.key (secrets.expose)',
    ]);
    const shadow = classifyChange(policy({ shadow: ['*.p12'] }), policy({ shadow: ['*.pfx'] }));
    expect(shadow.widens.map((c) => c.text)).toEqual([
      'stops shadowing files matching *.p12 (secrets.shadow)',
    ]);
    expect(shadow.narrows.map((c) => c.text)).toEqual(['shadows files matching *.pfx (secrets.shadow)']);
  });

  it('finds nothing when only the order or repeats differ', () => {
    expect(
      classifyChange(
        policy({ shadow: ['a', 'b'], expose: ['c'] }),
        policy({ shadow: ['b', 'a', 'a'], expose: ['c'] }),
      ),
    ).toEqual({ widens: [], narrows: [] });
  });
});

describe('secrets in .claude/claude-tui.yaml', () => {
  async function parse(text: string) {
    const dir = await mkdtemp(join(tmpdir(), 'claude-tui-unit-secrets-config-'));
    try {
      await mkdir(join(dir, '.claude'));
      const file = join(dir, '.claude', 'claude-tui.yaml');
      await writeFile(file, text);
      return await parseProjectConfig(file, text).catch((error: unknown) => error);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('takes names, paths and wildcards', async () => {
    const config = await parse(
      'secrets:\n  shadow: ["*.p12", "config/prod.yaml", "/private/", "deploy/**/*.json"]\n  expose: [.env.example, "test/fixtures"]\n',
    );
    expect(config).toEqual({
      secrets: {
        shadow: ['*.p12', 'config/prod.yaml', '/private/', 'deploy/**/*.json'],
        expose: ['.env.example', 'test/fixtures'],
      },
    });
  });

  it.each([
    ['secrets:\n  expose: ["../outside"]\n', '2:12', 'secrets.expose.0'],
    ['secrets:\n  shadow: [ok.key, "a/./b"]\n', '2:20', 'secrets.shadow.1'],
    ['secrets:\n  shadow: ["[ab].key"]\n', '2:12', 'secrets.shadow.0'],
    ['secrets:\n  shadow: ".env"\n', '2:11', 'secrets.shadow'],
    ['secrets:\n  hide: [a]\n', '2:3', 'secrets'],
  ])('names the file, line and key of a mistake: %j', async (text, where, key) => {
    const error = await parse(text);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(`claude-tui.yaml:${where}: `);
    expect(message).toContain(`${key}:`);
  });
});
