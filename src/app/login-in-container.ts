import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenCatcher } from '../auth/token-catcher.js';
import type { ExecProcess } from '../docker/exec-process.js';
import type { Terminal } from '../docker/exec-on-terminal.js';
import { UserError } from '../errors.js';
import { parseAllowlist } from '../firewall/allowlist.js';
import { planFirewall } from '../firewall/firewall-plan.js';
import { policyDir, resolvConfPath } from '../firewall/policy-store.js';
import { stateDir } from '../paths.js';
import { AGENT_USER, WORKSPACE } from '../project/container-specs.js';
import { down } from '../project/down.js';
import type { HostServices } from '../project/host-services.js';
import { projectIdentity, type ProjectIdentity } from '../project/identity.js';
import type { ProjectPlan } from '../project/project-runtime.js';
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
): Promise<string> {
  const dir = join(stateDir(services.env), `login-${process.pid}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const login = projectIdentity(dir);
  try {
    const { plan, command } = await loginPlan(services, base ?? login, login);
    progress.note('Starting a short-lived container for the login (only Anthropic can be reached)...');
    const result = await up(
      { engine: services.engine, progress, npmRegistry: npmRegistryFor(services, {}) },
      login,
      plan,
    );
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
    return token;
  } finally {
    await removeLogin(services, login, dir);
  }
}

async function loginPlan(
  services: HostServices,
  base: ProjectIdentity,
  login: ProjectIdentity,
): Promise<{ plan: ProjectPlan; command: string[] }> {
  const { review, plan, app } = await loadPlan(services, base, 'view');
  const config = review.approved.config;
  const firewall = await planFirewall(
    { firewall: { enabled: true, defaults: false } },
    parseAllowlist(LOGIN_ALLOWLIST, 'login').entries,
    { processes: services.processes, env: services.env, app },
  );
  const loginState = projectStateDir(login, services.env);
  // The agent's own command, without yolo or the person's arguments: only its login.
  const agent = agentCommand({ agent: { command: config.agent?.command ?? 'claude' } }, ['setup-token'], {});
  return {
    command: agent,
    plan: {
      ...plan,
      stateDir: loginState,
      firewall,
      runtime: {
        ...plan.runtime,
        // Nothing of the project's folder, its networks or its settings but what the login needs.
        env: {},
        protectedPaths: [],
        networks: [],
        mounts: plan.runtime.mounts.map((mount) => ({ ...mount, readOnly: true })),
        policyDir: policyDir(loginState),
        resolvConf: resolvConfPath(loginState),
      },
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

async function removeLogin(services: HostServices, login: ProjectIdentity, dir: string): Promise<void> {
  await down(services.engine, login).catch(() => undefined);
  await services.engine.removeVolume(login.names.homeVolume).catch(() => undefined);
  await rm(projectStateDir(login, services.env), { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
}
