import { render } from 'ink';
import type { HostServices } from '../project/host-services.js';
import { App } from './app.js';
import { hostMergeService, hostShell } from './host-merge-service.js';
import type { DashboardDomain } from './dashboard-domain.js';
import type { HostTerminal } from './host-domain.js';
import { ThemeContext, themeFor } from './theme.js';

/**
 * `claude-tui` with no arguments: the full-screen dashboard on the alternate screen, until the
 * person quits. Sessions keep running after it exits. Returns the exit code. It opens on the
 * project that holds `startDir`.
 */
export async function runDashboard(
  services: HostServices,
  terminal: HostTerminal & { stderr: NodeJS.WriteStream },
  domain: DashboardDomain,
  startDir?: string,
): Promise<number> {
  const { bindings, problems } = await domain.keyBindings();
  const instance = render(
    <ThemeContext value={themeFor(services.env)}>
      <App
        domain={domain}
        bindings={bindings}
        mergeService={hostMergeService(services)}
        openShell={hostShell(services)}
        startDir={startDir}
        startupNotice={
          problems.length ? `${problems.join('; ')} (the default keys are used there)` : undefined
        }
      />
    </ThemeContext>,
    {
      stdin: terminal.stdin,
      stdout: terminal.stdout,
      stderr: terminal.stderr,
      alternateScreen: true,
      // Ink would turn itself off under CI=true; a terminal is a terminal.
      interactive: true,
      exitOnCtrlC: false,
      incrementalRendering: true,
    },
  );
  await instance.waitUntilExit();
  return 0;
}
