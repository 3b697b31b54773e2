import { createRequire } from 'node:module';
import { connect as connectNet, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type * as Tls from 'node:tls';
import { connectionError, TIMED_OUT } from './connection-error.js';
import type { DockerEndpoint } from './endpoint.js';
import { openSshConnection } from './ssh-connection.js';

/**
 * Opens one connection to the Engine, whatever the endpoint: a unix socket, TCP, TLS over TCP
 * (node:tls is loaded only then), or an ssh child's stdio. Settles once the connection can carry
 * a request (TLS: after the handshake), or with the one message for why it cannot, within the
 * connect timeout.
 */
/**
 * What one Engine's TLS connections share: the secure context (its certificates parsed once;
 * with a CA of its own, Node builds its whole root store for the first) and the last session
 * the Engine gave, so that the next connection resumes it instead of a full handshake (as
 * node:https does). A dashboard opens several connections to a remote Engine at once. One belongs
 * to one endpoint; a session resumes only with the Engine that gave it (its ticket is the proof).
 */
export interface TlsReuse {
  context?: Tls.SecureContext;
  session?: Buffer;
}

export async function openEngineConnection(
  endpoint: DockerEndpoint,
  env: NodeJS.ProcessEnv,
  connectTimeoutMs: number,
  reuse: TlsReuse = {},
): Promise<Duplex> {
  switch (endpoint.kind) {
    case 'socket':
      return whenOpen(endpoint, connectNet(endpoint.path), 'connect', connectTimeoutMs);
    case 'tcp': {
      const { tls } = endpoint;
      if (!tls)
        return whenOpen(endpoint, connectNet(endpoint.port, endpoint.host), 'connect', connectTimeoutMs);
      // Loaded only here, and with require for the reason engine-transport.ts gives for node:http.
      const { connect: connectTls, createSecureContext } = createRequire(import.meta.url)(
        'node:tls',
      ) as typeof Tls;
      reuse.context ??= createSecureContext({
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(tls.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
      });
      const socket = connectTls({
        host: endpoint.host,
        port: endpoint.port,
        // A name is checked against the certificate's names; an address against its IP entries.
        ...(isIP(endpoint.host) ? {} : { servername: endpoint.host }),
        secureContext: reuse.context,
        ...(reuse.session ? { session: reuse.session } : {}),
        rejectUnauthorized: tls.verify,
      });
      socket.on('session', (session: Buffer) => (reuse.session = session));
      return whenOpen(endpoint, socket, 'secureConnect', connectTimeoutMs);
    }
    case 'ssh':
      // ssh has a connect timeout of its own (-o ConnectTimeout); a failure comes as its exit.
      return openSshConnection(endpoint, env, connectTimeoutMs);
  }
}

function whenOpen(
  endpoint: DockerEndpoint,
  socket: Socket,
  ready: string,
  timeoutMs: number,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const fail = (code: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      reject(connectionError(endpoint, code, timeoutMs));
    };
    const timer = setTimeout(() => fail(TIMED_OUT), timeoutMs);
    const onError = (error: NodeJS.ErrnoException) => fail(error.code);
    socket.once('error', onError);
    socket.once(ready, () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
