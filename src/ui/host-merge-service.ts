import { withSessionCommits } from '../app/git-session-work.js';
import { createGitRunner } from '../git/git-runner.js';
import { abortMerge, continueMerge, mergeSession, skipConflict } from '../git/merge.js';
import { commitDiff } from '../git/session-diff.js';
import { listSessionCommits } from '../git/session-log.js';
import type { HostServices } from '../project/host-services.js';
import { projectIdentity } from '../project/identity.js';
import type { MergeServiceFactory, OpenShell } from './merge/merge-service.js';

/**
 * The merge screen's git, on the host: the same operations as `log`, `diff` and `merge`. Each
 * step that needs the clone (listing, landing, which marks it in the clone) opens it and brings
 * the commits over first, so the screen always works on what the agent has now.
 */
export function hostMergeService(services: HostServices): MergeServiceFactory {
  return (projectDir, session) => {
    const project = projectIdentity(projectDir);
    const run = createGitRunner(services.processes);
    const withClone = <T>(work: Parameters<typeof withSessionCommits<T>>[3]) =>
      withSessionCommits(services, project, session, work);
    return {
      commits: () => withClone(({ run: git }) => listSessionCommits(git, projectDir, session)),
      diff: (sha) => commitDiff(run, projectDir, sha),
      merge: (request) => withClone(({ run: git, clone }) => mergeSession(git, projectDir, request, clone)),
      continue: () => withClone(({ run: git, clone }) => continueMerge(git, projectDir, session, clone)),
      skip: () => withClone(({ run: git, clone }) => skipConflict(git, projectDir, session, clone)),
      abort: () => abortMerge(run, projectDir, session),
      async currentBranch() {
        const result = await run(projectDir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], {
          allowFailure: true,
        });
        return result.exitCode === 0 ? result.stdout.trim() : null;
      },
    };
  };
}

/** A shell of the person's own (SHELL) where a conflict is, on the terminal the dashboard let go. */
export function hostShell(services: HostServices): OpenShell {
  return async (dir) => {
    process.stdout.write(
      `\nResolve the conflict here (edit, then git add), and leave the shell (exit) to go back.\n\n`,
    );
    await services.processes.runOnTerminal(services.env.SHELL || '/bin/sh', [], {
      cwd: dir,
      env: services.env,
    });
  };
}
