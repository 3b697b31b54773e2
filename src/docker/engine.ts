import type { ExecOutput, ExecProcess, ExecRequest } from './exec-process.js';

/**
 * The small interface through which everything else reaches the Docker Engine. Domain code takes a
 * DockerEngine as a parameter; the real one is in engine-http.ts, tests of pure logic pass a fake.
 * Shapes follow the Engine API (v1.41+), trimmed to the fields we read.
 */

export type Labels = Record<string, string>;

/** `{ key: value }` matches that value; `{ key: true }` matches any value. */
export type LabelFilter = Record<string, string | true>;

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID?: string;
  State: string;
  Status: string;
  Labels: Labels;
  HostConfig?: { NetworkMode?: string };
  Mounts?: { Type: string; Name?: string; Source?: string; Destination: string }[];
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Image: string;
  RestartCount: number;
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    StartedAt: string;
    Error?: string;
    Restarting?: boolean;
  };
  Config: { Labels: Labels | null; Image: string; User?: string; Env?: string[] };
  HostConfig: {
    NetworkMode?: string;
    CapAdd?: string[] | null;
    CapDrop?: string[] | null;
    SecurityOpt?: string[] | null;
    RestartPolicy?: { Name: string };
  };
  Mounts: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean }[];
}

export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  User?: string;
  WorkingDir?: string;
  Hostname?: string;
  Env?: string[];
  Labels?: Labels;
  Tty?: boolean;
  StopSignal?: string;
  HostConfig: Record<string, unknown>;
  NetworkingConfig?: Record<string, unknown>;
}

export interface NetworkInspect {
  Id: string;
  Name: string;
  Labels: Labels | null;
  Driver: string;
}

export interface VolumeInspect {
  Name: string;
  Labels: Labels | null;
  Mountpoint: string;
  CreatedAt?: string;
}

export interface ImageSummary {
  Id: string;
  RepoTags: string[] | null;
  Labels: Labels | null;
  Size: number;
  Created: number;
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  Size: number;
  Config: { Labels: Labels | null };
}

/** One entry of the Engine's event stream (`GET /events`), trimmed to what we read. */
export interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  time?: number;
}

/** What `GET /system/df` says about sizes and use, trimmed to what we read. */
export interface DiskUsage {
  Volumes: { Name: string; UsageData?: { Size: number; RefCount: number } | null }[] | null;
  Images: { Id: string; Size: number; Containers: number }[] | null;
  Containers: { Id: string; SizeRw?: number }[] | null;
}

export interface EngineVersion {
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  Os: string;
  Arch: string;
}

/** What `GET /info` says about the Engine and the machine it runs on, trimmed to what we read. */
export interface EngineInfo {
  /** "Docker Desktop" under Docker Desktop; the distribution's name on a plain Linux Engine. */
  OperatingSystem: string;
  /** The Engine host's name: "docker-desktop" under Docker Desktop. */
  Name: string;
  /** Entries such as "name=seccomp,profile=default" and, for a rootless Engine, "name=rootless". */
  SecurityOptions: string[] | null;
}

export interface BuildOptions {
  contextDir: string;
  tag: string;
  buildArgs: Record<string, string>;
  labels: Labels;
  /** Each line of build output as it arrives. */
  onOutput: (line: string) => void;
}

export interface DockerEngine {
  /** Where the engine is reached, for messages. */
  readonly endpoint: string;
  /** The Docker context that chose it, and what chose the context ("box (chosen by DOCKER_CONTEXT)"). */
  readonly context?: string;
  /** The Engine binds from another machine's files (see isRemoteEndpoint): no folder of ours reaches it. */
  readonly remote: boolean;
  ping(): Promise<void>;
  version(): Promise<EngineVersion>;
  info(): Promise<EngineInfo>;
  /** Sizes of volumes, images and containers (slow on a big Engine: it walks the volumes). */
  diskUsage(): Promise<DiskUsage>;
  /**
   * Follows lifecycle events (create, start, die, destroy, ...; not exec) of containers, volumes,
   * networks and images carrying the labels. `onEnd` hears why the stream broke.
   */
  events(
    labels: LabelFilter,
    onEvent: (event: EngineEvent) => void,
    onEnd: (error?: Error) => void,
  ): { close: () => void };

  listContainers(labels: LabelFilter): Promise<ContainerSummary[]>;
  inspectContainer(nameOrId: string): Promise<ContainerInspect | undefined>;
  createContainer(name: string, body: ContainerCreateBody): Promise<string>;
  startContainer(nameOrId: string): Promise<void>;
  stopContainer(nameOrId: string, timeoutSeconds: number): Promise<void>;
  restartContainer(nameOrId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(nameOrId: string): Promise<void>;
  renameContainer(nameOrId: string, newName: string): Promise<void>;
  /** The last `tail` lines of its output; only those written after `since` (an RFC 3339 time) if given. */
  containerLogs(nameOrId: string, tail: number, since?: string): Promise<string>;
  /**
   * A command in a container: one two-way stream (its stdin; its output through `onOutput`) and
   * its exit code. Every exec claude-tui makes is this call (see exec.ts for the common uses).
   */
  startExec(request: ExecRequest, onOutput: ExecOutput): Promise<ExecProcess>;
  /**
   * Unpacks a tar archive at `path` in the container (which need not be running), through its
   * mounts: how files reach a volume on an Engine that cannot see ours.
   */
  putArchive(nameOrId: string, path: string, tar: Buffer): Promise<void>;

  inspectNetwork(name: string): Promise<NetworkInspect | undefined>;
  createNetwork(name: string, labels: Labels): Promise<string>;
  removeNetwork(name: string): Promise<void>;
  connectNetwork(network: string, container: string): Promise<void>;
  listNetworks(labels: LabelFilter): Promise<NetworkInspect[]>;

  inspectVolume(name: string): Promise<VolumeInspect | undefined>;
  createVolume(name: string, labels: Labels): Promise<void>;
  listVolumes(labels: LabelFilter): Promise<VolumeInspect[]>;
  removeVolume(name: string): Promise<void>;

  inspectImage(ref: string): Promise<ImageInspect | undefined>;
  removeImage(id: string): Promise<void>;
  listImages(labels: LabelFilter): Promise<ImageSummary[]>;
  tagImage(id: string, repo: string, tag: string): Promise<void>;
  buildImage(options: BuildOptions): Promise<void>;
}
