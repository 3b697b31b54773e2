import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { caSources, readCaCertificates, type CaSource } from '../../src/image/ca-certificates.js';

function fakePem(seed: string): string {
  const body = Buffer.from(`not a real certificate ${seed} `.repeat(4))
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'claude-tui-unit-ca-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function rejection(sources: CaSource[]): Promise<UserError> {
  const error: unknown = await readCaCertificates(sources).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('caSources', () => {
  it('resolves project paths against the project and keeps app paths as they are', () => {
    expect(caSources('/p', ['certs/a.pem', '/abs/b.pem'], ['/etc/c.pem'], {})).toEqual([
      { origin: '.claude/claude-tui.yaml image.caCertificates', path: '/p/certs/a.pem' },
      { origin: '.claude/claude-tui.yaml image.caCertificates', path: '/abs/b.pem' },
      { origin: 'app settings caCertificates', path: '/etc/c.pem' },
    ]);
  });

  it('reads NODE_EXTRA_CA_CERTS and SSL_CERT_FILE when they are absolute paths', () => {
    const env = { NODE_EXTRA_CA_CERTS: '/n/extra.pem', SSL_CERT_FILE: '/s/cert.pem' };
    expect(caSources('/p', [], [], env)).toEqual([
      { origin: 'NODE_EXTRA_CA_CERTS', path: '/n/extra.pem' },
      { origin: 'SSL_CERT_FILE', path: '/s/cert.pem' },
    ]);
  });

  it('ignores relative or empty variables', () => {
    expect(caSources('/p', [], [], { NODE_EXTRA_CA_CERTS: 'extra.pem', SSL_CERT_FILE: '' })).toEqual([]);
    expect(caSources('/p', [], [], { SSL_CERT_FILE: './cert.pem' })).toEqual([]);
  });

  it('ignores unrelated variables', () => {
    expect(caSources('/p', [], [], { CURL_CA_BUNDLE: '/x.pem', HOME: '/root' })).toEqual([]);
  });
});

describe('readCaCertificates', () => {
  it('reads the PEM blocks of a file and drops the text around them', async () => {
    const a = fakePem('a');
    const b = fakePem('b');
    const path = await file('bundle.pem', `# Company proxy\n${a}\nsome comment\n${b}\ntrailing\n`);
    const certificates = await readCaCertificates([{ origin: 'SSL_CERT_FILE', path }]);
    expect(certificates).toEqual([{ origin: 'SSL_CERT_FILE', path, pem: `${a}\n${b}\n` }]);
    expect(certificates[0]!.pem).not.toContain('comment');
  });

  it('returns nothing for no sources', async () => {
    await expect(readCaCertificates([])).resolves.toEqual([]);
  });

  it('rejects a file with no PEM block, naming the file and its origin', async () => {
    const path = await file('empty.pem', 'this is not a certificate\n');
    const error = await rejection([{ origin: 'NODE_EXTRA_CA_CERTS', path }]);
    expect(error.message).toContain(path);
    expect(error.message).toContain('NODE_EXTRA_CA_CERTS');
    expect(error.message).toContain('no PEM certificate');
    expect(error.hint).toContain('BEGIN CERTIFICATE');
  });

  it('rejects a BEGIN without an END', async () => {
    const path = await file('cut.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n');
    await rejection([{ origin: 'app settings caCertificates', path }]);
  });

  it('rejects a missing file, naming the file, its origin and the cause', async () => {
    const path = join(dir, 'missing.pem');
    const error = await rejection([{ origin: 'app settings caCertificates', path }]);
    expect(error.message).toContain(path);
    expect(error.message).toContain('app settings caCertificates');
    expect(error.message).toContain('ENOENT');
    expect(error.hint).toContain('app settings caCertificates');
  });

  it('takes identical bundles from two sources once, keeping the first', async () => {
    const pem = fakePem('same');
    const first = await file('one.pem', `${pem}\n`);
    const second = await file('two.pem', `# a copy\n${pem}\n`);
    const other = await file('three.pem', fakePem('other'));
    const certificates = await readCaCertificates([
      { origin: 'NODE_EXTRA_CA_CERTS', path: first },
      { origin: 'SSL_CERT_FILE', path: second },
      { origin: 'app settings caCertificates', path: other },
    ]);
    expect(certificates.map((c) => c.path)).toEqual([first, other]);
    expect(certificates[0]!.origin).toBe('NODE_EXTRA_CA_CERTS');
  });
});
