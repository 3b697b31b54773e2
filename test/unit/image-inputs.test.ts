import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaCertificate } from '../../src/image/ca-certificates.js';
import {
  DEFAULT_AGENT_VERSION,
  DEFAULT_BASE_IMAGE,
  bundledImagesDir,
  collectImageInputs,
  hashInputs,
} from '../../src/image/image-inputs.js';

let imagesDir: string;

beforeEach(async () => {
  imagesDir = await mkdtemp(join(tmpdir(), 'claude-tui-unit-images-'));
  await writeFile(join(imagesDir, 'Dockerfile'), 'FROM scratch\n');
  await writeFile(join(imagesDir, 'entrypoint.sh'), '#!/bin/sh\nexec "$@"\n');
  await mkdir(join(imagesDir, 'conf'));
  await writeFile(join(imagesDir, 'conf', 'tmux.conf'), 'set -g mouse on\n');
});

afterEach(async () => {
  await rm(imagesDir, { recursive: true, force: true });
});

const ca = (pem: string): CaCertificate => ({ origin: 'SSL_CERT_FILE', path: '/x.pem', pem });
const collect = (options: Partial<Parameters<typeof collectImageInputs>[0]> = {}) =>
  collectImageInputs({ imagesDir, caCertificates: [], ...options });

describe('collectImageInputs', () => {
  it('collects every file under the images dir by relative path', async () => {
    const inputs = await collect();
    expect([...inputs.files.keys()].sort()).toEqual(['Dockerfile', 'conf/tmux.conf', 'entrypoint.sh']);
    expect(inputs.files.get('conf/tmux.conf')?.toString()).toBe('set -g mouse on\n');
  });

  it('uses the default base image and agent version as build args', async () => {
    expect((await collect()).buildArgs).toEqual({
      BASE_IMAGE: DEFAULT_BASE_IMAGE,
      CLAUDE_CODE_VERSION: DEFAULT_AGENT_VERSION,
    });
  });

  it('gives the same hash for the same inputs', async () => {
    const a = await collect({ caCertificates: [ca('PEM')] });
    const b = await collect({ caCertificates: [ca('PEM')] });
    expect(a.hash).toBe(b.hash);
    expect(a.tag).toBe(b.tag);
  });

  it('tags the image with the first 12 hex digits of a sha256', async () => {
    const inputs = await collect();
    expect(inputs.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(inputs.tag).toBe(`claude-tui-agent:${inputs.hash.slice(0, 12)}`);
  });

  it('changes the hash when a file changes', async () => {
    const before = await collect();
    await writeFile(join(imagesDir, 'entrypoint.sh'), '#!/bin/sh\nexec "$@" \n');
    const after = await collect();
    expect(after.hash).not.toBe(before.hash);
    expect(after.tag).not.toBe(before.tag);
  });

  it('changes the hash when a file is added or renamed', async () => {
    const before = await collect();
    await writeFile(join(imagesDir, 'extra.txt'), '');
    const added = await collect();
    expect(added.hash).not.toBe(before.hash);
    await rm(join(imagesDir, 'extra.txt'));
    await writeFile(join(imagesDir, 'other.txt'), '');
    expect((await collect()).hash).not.toBe(added.hash);
  });

  it('adds CA certificates to the build context and changes the hash', async () => {
    const before = await collect();
    const withCa = await collect({ caCertificates: [ca('ONE'), ca('TWO')] });
    expect(withCa.files.get('ca/extra-1.crt')?.toString()).toBe('ONE');
    expect(withCa.files.get('ca/extra-2.crt')?.toString()).toBe('TWO');
    expect(withCa.hash).not.toBe(before.hash);
    const otherCa = await collect({ caCertificates: [ca('ONE'), ca('THREE')] });
    expect(otherCa.hash).not.toBe(withCa.hash);
  });

  it('changes the hash with the agent version', async () => {
    const a = await collect({ agentVersion: '2.1.330' });
    const b = await collect({ agentVersion: '2.1.331' });
    expect(b.buildArgs.CLAUDE_CODE_VERSION).toBe('2.1.331');
    expect(a.hash).not.toBe(b.hash);
  });

  it('changes the hash with the base image', async () => {
    const a = await collect({ baseImage: 'debian:bookworm-slim' });
    const b = await collect({ baseImage: 'debian:trixie-slim' });
    expect(b.buildArgs.BASE_IMAGE).toBe('debian:trixie-slim');
    expect(a.hash).not.toBe(b.hash);
  });

  it('defaults to the bundled images dir, which has the Dockerfile', async () => {
    expect(existsSync(join(bundledImagesDir, 'Dockerfile'))).toBe(true);
    const inputs = await collectImageInputs({ caCertificates: [] });
    expect(inputs.files.has('Dockerfile')).toBe(true);
  });
});

describe('hashInputs', () => {
  it('does not depend on the order files or args were added', () => {
    const a = new Map([
      ['a', Buffer.from('1')],
      ['b', Buffer.from('2')],
    ]);
    const b = new Map([
      ['b', Buffer.from('2')],
      ['a', Buffer.from('1')],
    ]);
    expect(hashInputs(a, { X: '1', Y: '2' })).toBe(hashInputs(b, { Y: '2', X: '1' }));
  });

  it('tells apart contents that only differ in where the file boundary is', () => {
    const a = new Map([
      ['a', Buffer.from('xy')],
      ['b', Buffer.from('z')],
    ]);
    const b = new Map([
      ['a', Buffer.from('x')],
      ['b', Buffer.from('yz')],
    ]);
    expect(hashInputs(a, {})).not.toBe(hashInputs(b, {}));
  });

  it('changes with a build arg value and with an empty file', () => {
    expect(hashInputs(new Map(), { A: '1' })).not.toBe(hashInputs(new Map(), { A: '2' }));
    expect(hashInputs(new Map(), {})).not.toBe(hashInputs(new Map([['x', Buffer.alloc(0)]]), {}));
  });
});
