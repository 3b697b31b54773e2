/**
 * What an approved `.claude/bridge.yaml` means: which commands inside the agent are run in which
 * of the project's own compose containers, how, and as whom. The host side of the bridge acts on
 * this and nothing else; the agent never sends a container, an image or a Docker call, only a
 * command name, its arguments and its stdio.
 */
export interface BridgePolicy {
  /** The compose project whose containers the bridge may reach (`com.docker.compose.project`). */
  composeProject: string;
  /** The container a command without its own `container` runs in (a key of `containers`). */
  defaultContainer: string | undefined;
  /** Names used in `commands`, each standing for one container of the compose project. */
  containers: Record<string, BridgeTarget>;
  /** Command names put on the agent's PATH (`php`, `composer`), each mapped to a container. */
  commands: Record<string, BridgeCommand>;
}

/**
 * A container of the compose project: by its compose service (the usual case), by a container name
 * (which must still carry the compose project's label to be reached), or, in the plain
 * `name: value` form of the file, a service of that name if there is one, else a container.
 */
export type BridgeTarget = { service: string } | { containerName: string } | { serviceOrContainer: string };

export interface BridgeCommand {
  /** A key of BridgePolicy.containers. */
  container: string;
  /** The executable run in that container (a name looked up on its PATH, or an absolute path). */
  exec: string;
  /** The absolute folder it runs in; the container's own working folder when absent. */
  workdir: string | undefined;
  /** The non-root user (name or uid[:gid]) it runs as; the host user's uid:gid when absent. */
  user: string | undefined;
  /** Names of the agent-side environment variables passed through; nothing else is. */
  env: string[];
}
