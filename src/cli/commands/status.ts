import { callLine, networkLine, sidecarCommands } from '../../app/describe-bridge.js';
import { describeHostRunChanges, projectAlerts } from '../../app/project-alerts.js';
import { describeProjectBridge, type ProjectBridge } from '../../app/project-bridge.js';
import { listed, secretShadowReport, type SecretShadowReport } from '../../app/secret-shadow-report.js';
import type { BridgePolicy } from '../../config/bridge-policy.js';
import { describeBridgeCommand } from '../../policy/bridge-changes.js';
import { MARK } from '../../policy/describe-pending.js';
import { projectStatus, type ContainerStatus } from '../../project/status.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';
import { pendingJson } from './shared.js';

export const statusCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const [status, alerts, secrets, bridge] = await Promise.all([
    projectStatus(ctx.engine, project),
    projectAlerts(ctx, project),
    secretShadowReport(ctx, project),
    describeProjectBridge(ctx, project, STATUS_CALLS),
  ]);
  if (ctx.args.flags.json) {
    ctx.out.json({
      ...status,
      policy: { approvedAt: alerts.approvedAt, pending: pendingJson(alerts.pending) },
      hostRunChanged: alerts.hostRun,
      secrets,
      bridge: bridge.policy ?? null,
      networks: bridge.networks,
      sidecars: bridge.sidecars ?? null,
      bridgeCalls: bridge.calls,
    });
    return;
  }
  const container = (c: ContainerStatus | null) => (c ? `${c.state} (${c.status}) ${c.name}` : 'missing');
  ctx.out.line(`project   ${status.name}  ${status.dir}`);
  ctx.out.line(`state     ${status.state}${status.stateReason ? `: ${status.stateReason}` : ''}`);
  ctx.out.line(`gateway   ${container(status.gateway)}`);
  ctx.out.line(`agent     ${container(status.agent)}`);
  ctx.out.line(`firewall  ${status.firewall}`);
  ctx.out.line(`volumes   ${status.volumes.join(', ') || 'none'}`);
  const { pending } = alerts;
  ctx.out.line(
    `policy    ${alerts.approvedAt ? `approved ${alerts.approvedAt}` : 'never approved: the project runs on the defaults'}`,
  );
  if (pending) {
    const what = pending.problems.length
      ? [
          'a change waits but cannot be approved as it is:',
          ...pending.problems.map((p) => `  ${MARK.problem} ${p}`),
        ]
      : [
          `a change waits for approval (${pending.files.map((f) => `${f.path} ${f.change}`).join(', ')})`,
          ...pending.widens.map((c) => `  ${MARK.widens} ${c.text}`),
          ...pending.narrows.map((c) => `  ${MARK.narrows} ${c.text}`),
          `review and approve: claude-tui approve ${project.dir}`,
        ];
    for (const line of what) ctx.out.line(`          ${line}`);
  }
  if (alerts.hostRun.length) {
    ctx.out.line(
      `host-run  changed since the last up or approval: ${describeHostRunChanges(alerts.hostRun)}`,
    );
  }
  for (const line of secretLines(secrets)) ctx.out.line(line);
  for (const line of bridgeLines(bridge.policy)) ctx.out.line(line);
  for (const line of reachLines(bridge, Date.now())) ctx.out.line(line);
  if (status.state === 'partial') {
    ctx.out.note('A container is missing or stopped; `claude-tui up` brings the project back.');
  }
  if (status.state === 'rejoining') {
    ctx.out.note('`claude-tui up` restarts the agent inside the gateway’s namespace at once.');
  }
};

/** The approved bridge: each command the agent may run in a compose container, and how. */
function bridgeLines(bridge: BridgePolicy | undefined): string[] {
  if (!bridge) return ['bridge    none (no approved .claude/bridge.yaml)'];
  const commands = Object.entries(bridge.commands);
  return [
    `bridge    into the compose project ${bridge.composeProject}: ${commands.length ? `${commands.length} command${commands.length === 1 ? '' : 's'}` : 'no commands'}`,
    ...commands.map(([name, command]) => `          ${describeBridgeCommand(name, command, bridge)}`),
  ];
}

/** How many of the bridge's calls `status` shows (its JSON has them all up to this many too). */
const STATUS_CALLS = 10;

/** Networks joined, sidecars and their commands, the bridge's last calls. */
function reachLines(bridge: ProjectBridge, now: number): string[] {
  const pad = '          ';
  const lines = [
    `networks  ${bridge.networks.length ? bridge.networks.map(networkLine).join(`\n${pad}`) : 'none besides its own'}`,
  ];
  const { sidecars } = bridge;
  if (sidecars) {
    lines.push(
      `sidecars  compose project ${sidecars.composeProject}${sidecars.sidecars.length ? '' : ': no container'}`,
    );
    const width = Math.max(0, ...sidecars.sidecars.map((s) => (s.service ?? '-').length)) + 2;
    for (const s of sidecars.sidecars)
      lines.push(
        `${pad}${(s.service ?? '-').padEnd(width)}${s.container}  ${s.state}  ${sidecarCommands(s)}`,
      );
    for (const u of sidecars.unreached)
      lines.push(`${pad}${u.name} (${u.target}) has no container: ${u.commands.join(', ')} cannot run`);
  }
  if (bridge.calls.length) {
    lines.push(`calls     ${callLine(bridge.calls[0]!, now)}`);
    for (const call of bridge.calls.slice(1)) lines.push(`${pad}${callLine(call, now)}`);
  }
  return lines;
}

/** Secret files: what the agent sees empty, and what it can read because it came after. */
function secretLines(secrets: SecretShadowReport): string[] {
  const pad = '          ';
  const [shown, what] = secrets.agentContainer
    ? [secrets.shadowed, 'shadowed (empty, read-only inside)']
    : [secrets.atNextUp, 'shadowed at the next up'];
  const lines = [`secrets   ${shown.length ? `${what}: ${listed(shown)}` : 'none found'}`];
  if (secrets.notShadowed.length) {
    lines.push(
      `${pad}NOT shadowed, appeared after the agent container was made: ${listed(secrets.notShadowed)}`,
      `${pad}the agent can read them while its container runs; the next \`claude-tui up\` makes the agent container anew with them shadowed (its sessions end)`,
    );
  }
  if (secrets.replacedOnHost.length) {
    lines.push(
      `${pad}replaced on the host since the last up: ${secrets.replacedOnHost.join(', ')}`,
      `${pad}their shadow inside is gone (Linux drops a mount whose file is replaced from outside); \`claude-tui up\` restarts the agent to shadow them again (its sessions end)`,
    );
  }
  return [...lines, ...secrets.notes.map((note) => `${pad}${note}`)];
}
