import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerEndpoint } from '../../src/docker/endpoint.js';
import { openEngineConnection, type TlsReuse } from '../../src/docker/engine-connection.js';
import { makeCertificates, removeDir, tempDir, type Certificates } from '../support/remote-engines.js';

/** A TLS server asking for a client certificate, as a dockerd with --tlsverify does; it says who connected. */
describe('TLS connections to one Engine (shared context, resumed sessions)', () => {
  const dir = tempDir('ctui-tls-reuse-');
  let certs: Certificates;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    certs = await makeCertificates(dir);
    server = createServer(
      {
        key: readFileSync(certs.serverKey),
        cert: readFileSync(certs.serverCert),
        ca: readFileSync(certs.ca),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (socket) => socket.end(`hello ${String(socket.getPeerCertificate().subject?.CN)}\n`),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    removeDir(dir);
  });

  const endpoint = (from: string): DockerEndpoint => ({
    kind: 'tcp',
    host: '127.0.0.1',
    port,
    tls: {
      ca: readFileSync(join(from, 'ca.pem')),
      cert: readFileSync(join(from, 'cert.pem')),
      key: readFileSync(join(from, 'key.pem')),
      verify: true,
      from,
    },
  });

  async function talk(target: DockerEndpoint, reuse: TlsReuse): Promise<{ text: string; resumed: boolean }> {
    const socket = (await openEngineConnection(target, {}, 5000, reuse)) as TLSSocket;
    const resumed = socket.isSessionReused();
    let text = '';
    for await (const chunk of socket) text += String(chunk);
    return { text, resumed };
  }

  it('resumes the first connection’s session for the next ones, with the client certificate still presented', async () => {
    const reuse: TlsReuse = {};
    const first = await talk(endpoint(certs.clientDir), reuse);
    expect(first).toEqual({ text: 'hello client\n', resumed: false });
    expect(reuse.session).toBeInstanceOf(Buffer);
    const context = reuse.context;
    const next = await Promise.all([
      talk(endpoint(certs.clientDir), reuse),
      talk(endpoint(certs.clientDir), reuse),
    ]);
    expect(next).toEqual([
      { text: 'hello client\n', resumed: true },
      { text: 'hello client\n', resumed: true },
    ]);
    // One secure context for every connection of the Engine.
    expect(reuse.context).toBe(context);
  });

  it('still refuses an Engine its CA did not sign (a session is only ever resumed with the Engine that gave it)', async () => {
    await expect(talk(endpoint(certs.wrongCaDir), {})).rejects.toThrow(/certificate/i);
  });
});
