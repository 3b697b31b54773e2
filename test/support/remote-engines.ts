import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';

/**
 * The parts of a remote Engine, made on this machine by the test: certificates, a second dockerd
 * serving TLS on a TCP port, and an sshd whose sessions can run `docker system dial-stdio`. Each
 * lives in a temp folder of its own and is taken down whole.
 */

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(
  what: string,
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export interface Certificates {
  /** ca.pem, cert.pem, key.pem for a client, as DOCKER_CERT_PATH wants them. */
  clientDir: string;
  /** The same client certificate, with the CA of another authority as ca.pem. */
  wrongCaDir: string;
  /** The right CA and no client certificate. */
  noClientCertDir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
}

/** A CA, a server certificate for 127.0.0.1 and localhost, a client certificate; and a second, unrelated CA. */
export async function makeCertificates(dir: string): Promise<Certificates> {
  const at = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execa('openssl', args, { cwd: dir });
  for (const ca of ['ca', 'other-ca']) {
    await openssl(
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${ca}`].concat([
        '-keyout',
        at(`${ca}-key.pem`),
        '-out',
        at(`${ca}.pem`),
      ]),
    );
  }
  const sign = async (name: string, subject: string, extensions: string) => {
    writeFileSync(at(`${name}.ext`), extensions);
    await openssl([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      at(`${name}-key.pem`),
      '-out',
      at(`${name}.csr`),
    ]);
    await openssl(
      ['x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.pem'), '-CAkey', at('ca-key.pem')].concat([
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        at(`${name}.ext`),
        '-out',
        at(`${name}-cert.pem`),
      ]),
    );
  };
  await sign(
    'server',
    '/CN=localhost',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  await sign('client', '/CN=client', 'extendedKeyUsage=clientAuth\n');
  const bundle = (name: string, ca: string, withClient: boolean) => {
    const target = at(name);
    mkdirSync(target);
    writeFileSync(join(target, 'ca.pem'), readFileSync(at(ca)));
    if (withClient) {
      writeFileSync(join(target, 'cert.pem'), readFileSync(at('client-cert.pem')));
      writeFileSync(join(target, 'key.pem'), readFileSync(at('client-key.pem')));
    }
    return target;
  };
  return {
    clientDir: bundle('client', 'ca.pem', true),
    wrongCaDir: bundle('wrong-ca', 'other-ca.pem', true),
    noClientCertDir: bundle('no-client-cert', 'ca.pem', false),
    ca: at('ca.pem'),
    serverCert: at('server-cert.pem'),
    serverKey: at('server-key.pem'),
  };
}

export interface SecondEngine {
  /** Its own unix socket, for setting it up with the docker CLI. */
  socket: string;
  tlsPort: number;
  stop(): Promise<void>;
}

/**
 * A second dockerd with state of its own (data root, exec root, pid file, socket in `dir`), on a
 * TCP port with --tlsverify, and no iptables rules, so it leaves the host's network alone. Its
 * default network is a bridge of its own made here: `--bridge none` would make dockerd delete
 * docker0, the machine's own Engine's bridge, at start. Started as `dockerd-test` (a link), so
 * that `pgrep -x dockerd` still finds only the machine's own Engine.
 */
export async function startSecondEngine(
  dir: string,
  certs: Certificates,
  /** To start it again after a stop, on the same state and port (its contexts still reach it). */
  again?: { tlsPort: number },
  options: { outbound?: boolean } = {},
): Promise<SecondEngine> {
  const socket = join(dir, 'docker.sock');
  const tlsPort = again?.tlsPort ?? (await freePort());
  const bridge = await makeBridge(options.outbound === true);
  const binary = join(dir, 'dockerd-test');
  if (!existsSync(binary)) symlinkSync('/usr/sbin/dockerd', binary);
  writeFileSync(join(dir, 'daemon.json'), '{}');
  const log = join(dir, 'dockerd.log');
  const args = [
    ...[
      '--config-file',
      join(dir, 'daemon.json'),
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'x'),
    ],
    ...['--pidfile', join(dir, 'dockerd.pid'), '-H', `unix://${socket}`, '-H', `tcp://127.0.0.1:${tlsPort}`],
    ...['--tlsverify', '--tlscacert', certs.ca, '--tlscert', certs.serverCert, '--tlskey', certs.serverKey],
    ...['--bridge', bridge.name, '--iptables=false', '--ip6tables=false', '--ip-masq=false'],
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const output: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  try {
    await until('the second dockerd', async () => {
      if (child.exitCode !== null) throw new Error(`dockerd-test exited: ${output.join('').slice(-2000)}`);
      return existsSync(socket) && (await accepts(tlsPort));
    });
  } catch (error) {
    writeFileSync(log, output.join(''));
    await stopChild(child);
    await bridge.remove();
    throw error;
  }
  return {
    socket,
    tlsPort,
    stop: async () => {
      await stopChild(child);
      await bridge.remove();
    },
  };
}

/**
 * A bridge interface for the second Engine, on a /24 of 10.213.0.0/16 that no interface uses yet.
 * With `outbound`, its containers reach out as this machine (an image build's package downloads):
 * rules for this bridge and its /24 alone, made here and removed with it, since the second
 * dockerd runs without iptables of its own.
 */
async function makeBridge(outbound: boolean): Promise<{ name: string; remove: () => Promise<void> }> {
  const name = `ctuibr${randomBytes(3).toString('hex')}`;
  const used = (await execa('ip', ['-4', '-o', 'addr', 'show'])).stdout;
  // From a random point: runs started at the same moment would otherwise take the same one.
  const offset = randomBytes(1)[0] ?? 0;
  const third = [...Array(254).keys()]
    .map((i) => ((i + offset) % 254) + 1)
    .find((i) => !used.includes(`10.213.${i}.`));
  if (third === undefined) throw new Error('no free 10.213.x.0/24 for the second Engine');
  await execa('ip', ['link', 'add', name, 'type', 'bridge']);
  await execa('ip', ['addr', 'add', `10.213.${third}.1/24`, 'dev', name]);
  await execa('ip', ['link', 'set', name, 'up']);
  const rules = outbound
    ? [
        ['-t', 'nat', '%', 'POSTROUTING', '-s', `10.213.${third}.0/24`, '!', '-o', name, '-j', 'MASQUERADE'],
        ['%', 'FORWARD', '-i', name, '!', '-o', name, '-j', 'ACCEPT'],
        ['%', 'FORWARD', '-o', name, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
      ]
    : [];
  const iptables = (rule: string[], op: string) =>
    execa(
      'iptables',
      rule.map((part) => (part === '%' ? op : part)),
      { reject: op === '-D' ? false : true },
    );
  for (const rule of rules) await iptables(rule, '-I');
  return {
    name,
    remove: async () => {
      for (const rule of rules) await iptables(rule, '-D');
      await execa('ip', ['link', 'del', name], { reject: false });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

export interface SshServer {
  port: number;
  /** PATH for our side: its `ssh` uses the test's own config, key and known_hosts. */
  path: string;
  /** The same, but with a known_hosts that does not know the server. */
  strangerPath: string;
  user: string;
  stop(): Promise<void>;
}

/**
 * An sshd on a high port of 127.0.0.1 with a host key and an authorized key made here. Our side
 * reaches it through an `ssh` on PATH that adds `-F` with a config of the test's (the user's own
 * ~/.ssh is never read or changed).
 */
export async function startSshServer(dir: string): Promise<SshServer> {
  const at = (name: string) => join(dir, name);
  const port = await freePort();
  const user = (await execa('id', ['-un'])).stdout.trim();
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', at('host_key')]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', at('client_key')]);
  writeFileSync(at('authorized_keys'), readFileSync(at('client_key.pub')));
  chmodSync(at('authorized_keys'), 0o600);
  writeFileSync(
    at('sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${at('host_key')}`,
      `PidFile ${at('sshd.pid')}`,
      `AuthorizedKeysFile ${at('authorized_keys')}`,
      // The key files live under /tmp, which is writable by all.
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${user}`,
      'LogLevel VERBOSE',
    ].join('\n') + '\n',
  );
  // sshd wants its privilege separation folder; Debian's service makes it at boot.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = readFileSync(at('host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(at('known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
  writeFileSync(at('stranger_known_hosts'), '');
  const client = (knownHosts: string, bin: string) => {
    writeFileSync(
      at(`${bin}.config`),
      [
        'Host *',
        `  IdentityFile ${at('client_key')}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${at(knownHosts)}`,
        '  GlobalKnownHostsFile /dev/null',
        '  StrictHostKeyChecking yes',
      ].join('\n') + '\n',
    );
    mkdirSync(at(bin));
    writeFileSync(join(at(bin), 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F '${at(`${bin}.config`)}' "$@"\n`, {
      mode: 0o755,
    });
    return `${at(bin)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  };
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', at('sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const output: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  await until('sshd', () => {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${output.join('')}`);
    return accepts(port);
  });
  return {
    port,
    user,
    path: client('known_hosts', 'bin'),
    strangerPath: client('stranger_known_hosts', 'stranger-bin'),
    stop: () => stopChild(child),
  };
}

export function tempDir(prefix: string): string {
  // Short: containerd's socket under the exec root must fit a unix socket's path.
  return mkdtempSync(join('/tmp', prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
