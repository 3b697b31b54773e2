import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenCatcher } from '../auth/token-catcher.js';
import type { ExecProcess } from '../docker/exec-process.js';
import type { Terminal } from '../docker/exec-on-terminal.js';
import { UserError } from '../errors.js';
import { parseAllowlist } from '../firewall/allowlist.js';
import { log } from '../log.js';
import { planFirewall } from '../firewall/firewall-plan.js';
import { firewallStatusPath, policyDir, resolvConfPath } from '../firewall/policy-store.js';
import { stateDir } from '../paths.js';
import { AGENT_USER, WORKSPACE } from '../project/container-specs.js';
import { down } from '../project/down.js';
import type { HostServices } from '../project/host-services.js';
import { projectIdentity, type ProjectIdentity } from '../project/identity.js';
import type { ProjectPlan } from '../project/project-runtime.js';
import type { ProjectRuntime } from '../project/container-specs.js';
import { engineFilesVolume, placeEngineFiles } from '../project/engine-files.js';
import { placeOnEngine } from '../project/remote-project.js';
import { projectStateDir } from '../project/project-state-dir.js';
import { up, type UpDeps } from '../project/up.js';
import { agentCommand } from '../session/agent-command.js';
import { loadPlan, npmRegistryFor } from './load-plan.js';

/** All a login may reach: Anthropic's own names (its API, console and sign-in pages). */
const LOGIN_ALLOWLIST = ['anthropic.com', 'claude.ai', 'claude.com'].join('\n');

/**
 * Wide enough that neither the sign-in URL nor the token is broken across lines by the CLI's own
 * layout: the person's terminal wraps them softly instead, so they copy and click whole.
 */
const LOGIN_COLUMNS = 1000;

/**
 * `claude setup-token` in a short-lived gateway and agent pair of our image, behind a firewall
 * that allows only Anthropic's names: nothing on the host is needed, and nothing of the login
 * stays (its containers, network, home volume and folder are removed, whatever happens). The
 * person's terminal is handed to it; the token it prints is caught, masked on the screen, and
 * returned. With `base`, that project's approved image, agent command, mounts and CA certificates
 * are used (a company proxy's CA is needed to reach Anthropic through it).
 */
export async function loginInContainer(
  services: HostServices,
  base: ProjectIdentity | undefined,
  terminal: Terminal,
  progress: UpDeps['progress'],
  keep: (token: string) => Promise<void>,
): Promise<void> {
  await removeAbandonedLogins(services);
  const dir = join(stateDir(services.env), `${LOGIN_PREFIX}${process.pid}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const login = projectIdentity(dir);
  // A signal (the terminal closed, Ctrl+C before the login took the terminal) must not leave the
  // pair running: it is taken down first, then we exit as the signal would have.
  // Once, whoever asks first: a signal ends the login's own flow too, which then cleans up as well.
  let removal: Promise<void> | undefined;
  const remove = () => (removal ??= removeLogin(services, login, dir));
  const onSignal = (signal: NodeJS.Signals) => {
    void remove().finally(() => process.exit(128 + (signalNumbers[signal] ?? 1)));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.once(signal, onSignal);
  try {
    const { plan, command, npmRegistry } = await loginPlan(services, base ?? login, login);
    progress.note('Starting a short-lived container for the login (only Anthropic can be reached)...');
    const result = await up({ engine: services.engine, progress, npmRegistry }, login, plan);
    if (!result.firewall.startsWith('protected')) {
      throw new UserError(
        `The login container's firewall is ${result.firewall || 'not working'}; not logging in without it.`,
        'Run `claude-tui doctor`, and see the log file for what the gateway said.',
      );
    }
    const token = await runSetupToken(services, login, command, terminal);
    if (!token) {
      throw new UserError(
        'The login ended without printing a token.',
        'Run `claude-tui login` again, or make a token elsewhere and pass it with --token-stdin.',
      );
    }
    // Kept before anything else can fail: the token was shown only masked, and cannot be had again.
    await keep(token);
  } finally {
    await remove();
    for (const signal of signals) process.off(signal, onSignal);
  }
}

const LOGIN_PREFIX = 'login-';
const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * Login pairs whose claude-tui is gone (killed before it could clean up) are taken down: their
 * folder is named after the process that made them.
 */
async function removeAbandonedLogins(services: HostServices): Promise<void> {
  const root = stateDir(services.env);
  const entries = await readdir(root).catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = Number(entry.slice(LOGIN_PREFIX.length));
    if (!entry.startsWith(LOGIN_PREFIX) || !Number.isSafeInteger(pid) || processAlive(pid)) continue;
    const dir = join(root, entry);
    await removeLogin(services, projectIdentity(dir), dir);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function loginPlan(
  services: HostServices,
  base: ProjectIdentity,
  login: ProjectIdentity,
): Promise<{ plan: ProjectPlan; command: string[]; npmRegistry: () => Promise<string> }> {
  const { review, plan, app } = await loadPlan(services, base, 'view');
  const config = review.approved.config;
  const firewall = await planFirewall(
    {
      firewall: {
        enabled: true,
        defaults: false,
        ...(config.firewall?.dnsUpstream ? { dnsUpstream: config.firewall.dnsUpstream } : {}),
      },
    },
    parseAllowlist(LOGIN_ALLOWLIST, 'login').entries,
    { processes: services.processes, env: services.env, app },
  );
  const loginState = projectStateDir(login, services.env);
  const { engine } = services;
  // The agent's own command, without yolo or the person's arguments: only its login.
  const agent = agentCommand({ agent: { command: config.agent?.command ?? 'claude' } }, ['setup-token'], {});
  const runtime: ProjectRuntime = {
    ...plan.runtime,
    // Nothing of the project's folder, its networks or its settings but what the login needs.
    // Nothing of the project's workspace either: its shadows, the check for them, and mounts
    // into it would be made by Docker inside the login's own folder.
    env: {},
    protectedPaths: [],
    networks: [],
    secretShadows: undefined,
    sshAgent: undefined,
    mounts: plan.runtime.mounts
      .filter((mount) => mount.target !== WORKSPACE && !mount.target.startsWith(`${WORKSPACE}/`))
      .map((mount) => ({ ...mount, readOnly: true })),
    policyDir: policyDir(loginState),
    firewallStatusFile: firewallStatusPath(loginState),
    resolvConf: resolvConfPath(loginState),
  };
  return {
    command: agent,
    npmRegistry: npmRegistryFor(services, config),
    plan: {
      ...plan,
      stateDir: loginState,
      firewall,
      // On a remote Engine the login's files go to a volume of its own there, like a project's.
      runtime: engine.remote
        ? placeOnEngine(
            { ...runtime, remote: true, mounts: [], firewallStatusFile: undefined, bridgeDir: undefined },
            await placeEngineFiles(engine, login),
          )
        : runtime,
    },
  };
}

async function runSetupToken(
  services: HostServices,
  login: ProjectIdentity,
  command: string[],
  { stdin, stdout }: Terminal,
): Promise<string | undefined> {
  const rows = stdout.rows || 24;
  const catcher = new TokenCatcher();
  const decoder = new TextDecoder();
  const exec = await services.engine.startExec(
    {
      container: login.names.agent,
      command: [
        'sh',
        '-c',
        'stty rows "$1" cols "$2"; shift 2; exec "$@"',
        'login',
        String(rows),
        String(LOGIN_COLUMNS),
        ...command,
      ],
      user: AGENT_USER,
      workingDir: WORKSPACE,
      env: [],
      stdin: true,
      tty: { rows, cols: LOGIN_COLUMNS },
    },
    (_stream, data) => stdout.write(catcher.push(decoder.decode(data, { stream: true }))),
  );
  await handOverTerminal(exec, stdin);
  stdout.write(catcher.end());
  return catcher.token();
}

/** The person types into the login (the code from the browser) until it ends. */
async function handOverTerminal(exec: ExecProcess, stdin: NodeJS.ReadStream): Promise<void> {
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  const forward = (chunk: Buffer) => exec.stdin.write(chunk);
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', forward);
  stdin.resume();
  try {
    await exec.exit;
  } finally {
    stdin.off('data', forward);
    stdin.pause();
    if (stdin.isTTY) stdin.setRawMode(wasRaw);
  }
}

/** Best effort, and never in the way of the login's outcome: what is left is logged. */
async function removeLogin(services: HostServices, login: ProjectIdentity, dir: string): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ['containers and network', () => down(services.engine, login)],
    ['home volume', () => services.engine.removeVolume(login.names.homeVolume)],
    ['files volume', () => services.engine.removeVolume(engineFilesVolume(login))],
    ['state folder', () => rm(projectStateDir(login, services.env), { recursive: true, force: true })],
    ['folder', () => rm(dir, { recursive: true, force: true })],
  ];
  for (const [what, step] of steps) {
    await step().catch((error: unknown) =>
      log.warn(`login: could not remove the login's ${what}`, { dir, error: String(error) }),
    );
  }
}
