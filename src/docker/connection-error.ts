import { DockerUnavailableError } from '../errors.js';
import { describeEndpoint, type DockerEndpoint } from './endpoint.js';

/**
 * Turns a failure to reach the Engine into the one message for its cause, with what to do. The
 * transport calls this wherever a connection fails, so every command says the same thing.
 */

/** Our own codes, for causes that are not a system error. */
export const TIMED_OUT = 'ETIMEDOUT';
/** Plain HTTP sent to an Engine that speaks TLS (it answers 400 saying so). */
export const WANTS_TLS = 'EWANTSTLS';

const startLocal =
  'Start the Docker Engine (for example `sudo systemctl start docker`, or open Docker Desktop) and try again.';

/** A certificate of the Engine's that does not check out against the CA we hold. */
const SERVER_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function connectionError(
  endpoint: DockerEndpoint,
  code: string | undefined,
  timeoutMs?: number,
): DockerUnavailableError {
  if (endpoint.kind === 'socket') return socketError(endpoint.path, code);
  const where = describeEndpoint(endpoint);
  if (code === TIMED_OUT) {
    return new DockerUnavailableError(
      `The Docker Engine at ${where} did not answer within ${Math.round((timeoutMs ?? 0) / 1000)} s.`,
      'Check that the machine is up and reachable from here, and that its Docker Engine runs (`docker info` there).',
    );
  }
  if (endpoint.kind === 'tcp') return tcpError(endpoint, where, code);
  return new DockerUnavailableError(
    `The connection to the Docker Engine at ${where} broke${code ? ` (${code})` : ''}.`,
    'Check that `ssh` to the machine works and its Docker Engine runs, then try again.',
  );
}

function socketError(where: string, code: string | undefined): DockerUnavailableError {
  switch (code) {
    case 'ENOENT':
      return new DockerUnavailableError(
        `Docker is not running: there is no Docker socket at ${where}.`,
        startLocal,
      );
    case 'ECONNREFUSED':
      return new DockerUnavailableError(`Docker is not running: nothing answers at ${where}.`, startLocal);
    case 'EACCES':
    case 'EPERM':
      return new DockerUnavailableError(
        `No permission to use the Docker socket at ${where}.`,
        'Add your user to the docker group (`sudo usermod -aG docker $USER`), log out and in again, then retry.',
      );
    case TIMED_OUT:
      return new DockerUnavailableError(`The Docker Engine at ${where} did not answer in time.`, startLocal);
    default:
      return new DockerUnavailableError(
        `Cannot reach the Docker Engine at ${where}${code ? ` (${code})` : ''}.`,
        'Check that Docker is running (`docker info`) and try again.',
      );
  }
}

function tcpError(
  endpoint: Extract<DockerEndpoint, { kind: 'tcp' }>,
  where: string,
  code: string | undefined,
): DockerUnavailableError {
  const tlsFrom = endpoint.tls?.from ?? 'DOCKER_CERT_PATH';
  if (code && SERVER_CERTIFICATE.has(code)) {
    return new DockerUnavailableError(
      `The Docker Engine at ${where} failed the TLS check: its certificate is not one the CA in ${tlsFrom} signed for ${endpoint.host} (${code}).`,
      `Put the CA that signed the Engine’s certificate in ${tlsFrom} as ca.pem, and check that the address names the Engine you mean.`,
    );
  }
  if (code && /^ERR_SSL_.*ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|DECRYPT_ERROR)/.test(code)) {
    return new DockerUnavailableError(
      `The Docker Engine at ${where} refused our TLS client certificate (${code}).`,
      `Put a cert.pem and key.pem signed by the CA the Engine trusts (its --tlscacert) in ${tlsFrom}.`,
    );
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return new DockerUnavailableError(
      `${where} does not speak TLS (${code}).`,
      'Unset DOCKER_TLS_VERIFY for a plain Engine, or use the port the Engine serves TLS on (usually 2376).',
    );
  }
  if (code === WANTS_TLS) {
    return new DockerUnavailableError(
      `The Docker Engine at ${where} speaks only TLS.`,
      'Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem, or use a Docker context made with them.',
    );
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new DockerUnavailableError(
        `Nothing answers at ${where}.`,
        `Check that the Docker Engine on ${endpoint.host} runs and listens on port ${endpoint.port} (dockerd -H tcp://…), and that the address is right.`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DockerUnavailableError(
        `The Docker host name ${endpoint.host} does not resolve (${code}).`,
        'Check the name in DOCKER_HOST or the Docker context.',
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new DockerUnavailableError(
        `There is no route to ${endpoint.host} (${code}).`,
        'Check the network between here and the Engine’s machine (VPN, firewall).',
      );
    default:
      return new DockerUnavailableError(
        `Cannot reach the Docker Engine at ${where}${code ? ` (${code})` : ''}.`,
        'Check that the Engine runs there and is reachable from here (`docker info` with the same DOCKER_HOST or context).',
      );
  }
}

/** ssh could not give us the Engine: its own last words say why, the hint what to do. */
export function sshError(
  endpoint: Extract<DockerEndpoint, { kind: 'ssh' }>,
  stderr: string,
  exitCode: number | null,
): DockerUnavailableError {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^Warning: Permanently added/.test(line));
  const said = lines.at(-1) ?? (exitCode === null ? 'it was stopped' : `it exited with ${exitCode}`);
  const login = `ssh${endpoint.port ? ` -p ${endpoint.port}` : ''} ${endpoint.user ? `${endpoint.user}@` : ''}${endpoint.host}`;
  const hint = /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)
    ? `Run \`${login}\` once yourself to check and accept the host key (claude-tui never answers that question).`
    : /Permission denied/.test(stderr)
      ? `Make \`${login}\` log in without a password: a key in your ssh agent or ~/.ssh that the host's authorized_keys lists.`
      : exitCode === 127 || /command not found|No such file/.test(stderr)
        ? `Install Docker on ${endpoint.host} (the docker command must be on the PATH of ssh sessions there).`
        : `Check that \`${login} docker system dial-stdio\` works in your shell.`;
  return new DockerUnavailableError(
    `Cannot reach the Docker Engine at ${describeEndpoint(endpoint)} over ssh: ${said}`,
    hint,
  );
}
