import { readdir } from 'node:fs/promises';
import type { Agent } from 'node:http';
import type { DockerOptions } from 'dockerode';
import { join, relative } from 'node:path';
import { BuildStepError, DockerUnavailableError, EngineError, UserError } from '../errors.js';
import { log } from '../log.js';
import { connectionError } from './connection-error.js';
import { resolveEngineTarget, type EngineTarget } from './docker-context.js';
import { describeEndpoint, isRemoteEndpoint } from './endpoint.js';
import {
  DEFAULT_TIMEOUTS,
  EngineTransport,
  type HttpResponse,
  type TransportTimeouts,
} from './engine-transport.js';
import { followEvents } from './event-stream.js';
import {
  demultiplexer,
  startExecProcess,
  type ExecOutput,
  type ExecProcess,
  type ExecRequest,
} from './exec-process.js';
import type {
  BuildOptions,
  ContainerCreateBody,
  ContainerInspect,
  ContainerSummary,
  DiskUsage,
  DockerEngine,
  EngineEvent,
  EngineInfo,
  EngineVersion,
  ImageInspect,
  ImageSummary,
  LabelFilter,
  Labels,
  NetworkInspect,
  VolumeInspect,
} from './engine.js';

export interface EngineOptions {
  /** `--context NAME`: outranks DOCKER_HOST and DOCKER_CONTEXT, as in the Docker CLI. */
  context?: string;
  timeouts?: Partial<TransportTimeouts>;
}

/**
 * The Engine API for everyday calls, made over our own transport (engine-transport.ts) because
 * loading dockerode costs about a quarter of a second, more than a whole `up` that has nothing to
 * do; dockerode is loaded only for what it does best, the streamed image build, and is handed the
 * same transport. Which Engine: as the Docker CLI decides (docker-context.ts). Creating it opens
 * nothing; a context that cannot be used fails the first call, not the commands that need no Engine.
 */
export function createDockerEngine(
  env: NodeJS.ProcessEnv = process.env,
  options: EngineOptions = {},
): DockerEngine {
  try {
    const target = resolveEngineTarget(env, options.context);
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    return new HttpDockerEngine({ target, transport: new EngineTransport(target.endpoint, env, timeouts) });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return new HttpDockerEngine({ error, context: options.context ?? env.DOCKER_CONTEXT });
  }
}

/** Events that change what exists or runs; exec events (every `docker exec`) are left out. */
const LIFECYCLE_EVENTS = [
  'create',
  'start',
  'die',
  'stop',
  'kill',
  'destroy',
  'rename',
  'pause',
  'unpause',
  'connect',
  'disconnect',
  'remove',
  'delete',
  'tag',
  'untag',
];

function labelFilter(labels: LabelFilter): string {
  const label = Object.entries(labels).map(([key, value]) => (value === true ? key : `${key}=${value}`));
  return encodeURIComponent(JSON.stringify({ label }));
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

type Resolution =
  { target: EngineTarget; transport: EngineTransport } | { error: UserError; context?: string };

class HttpDockerEngine implements DockerEngine {
  readonly endpoint: string;
  readonly context: string;
  readonly remote: boolean;

  constructor(private readonly resolution: Resolution) {
    if ('error' in resolution) {
      this.endpoint = 'unknown (the Docker context could not be read)';
      this.context = resolution.context ?? 'unknown';
      // Every call fails with the context's problem before anything could be bound.
      this.remote = false;
      return;
    }
    const { endpoint, context, chosenBy } = resolution.target;
    this.endpoint = describeEndpoint(endpoint);
    this.remote = isRemoteEndpoint(endpoint);
    this.context = chosenBy === 'default' ? context : `${context} (chosen by ${chosenBy})`;
  }

  /** The way to the Engine, or why there is none (a context that does not exist, say). */
  private get transport(): EngineTransport {
    if ('error' in this.resolution) throw this.resolution.error;
    return this.resolution.transport;
  }

  private send(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<HttpResponse> {
    return this.transport.request(method, path, body, timeoutMs);
  }

  /** A call whose 404 means "absent" rather than an error. */
  private async getOptional<T>(path: string): Promise<T | undefined> {
    const res = await this.send('GET', path);
    if (res.statusCode === 404) return undefined;
    return this.parse<T>(res, 'GET', path);
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    okStatuses: number[] = [],
    timeoutMs?: number,
  ): Promise<T> {
    const res = await this.send(method, path, body, timeoutMs);
    if (okStatuses.includes(res.statusCode)) return undefined as T;
    return this.parse<T>(res, method, path);
  }

  private parse<T>(res: HttpResponse, method: string, path: string): T {
    const text = res.body.toString('utf8');
    if (res.statusCode >= 400) {
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // Not JSON: keep the raw text.
      }
      log.debug('docker api error', { method, path, status: res.statusCode, message });
      throw new EngineError(res.statusCode, message || `HTTP ${res.statusCode} for ${method} ${path}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async ping(): Promise<void> {
    const res = await this.send('GET', '/_ping');
    if (res.statusCode !== 200) throw new EngineError(res.statusCode, res.body.toString('utf8'));
  }

  version(): Promise<EngineVersion> {
    return this.call('GET', '/version');
  }

  info(): Promise<EngineInfo> {
    return this.call('GET', '/info');
  }

  listContainers(labels: LabelFilter): Promise<ContainerSummary[]> {
    return this.call('GET', `/containers/json?all=true&filters=${labelFilter(labels)}`);
  }

  inspectContainer(nameOrId: string): Promise<ContainerInspect | undefined> {
    return this.getOptional(`/containers/${enc(nameOrId)}/json`);
  }

  async createContainer(name: string, body: ContainerCreateBody): Promise<string> {
    const created = await this.call<{ Id: string }>('POST', `/containers/create?name=${enc(name)}`, body);
    return created.Id;
  }

  async startContainer(nameOrId: string): Promise<void> {
    await this.call('POST', `/containers/${enc(nameOrId)}/start`, undefined, [204, 304]);
  }

  async stopContainer(nameOrId: string, timeoutSeconds: number): Promise<void> {
    const path = `/containers/${enc(nameOrId)}/stop?t=${timeoutSeconds}`;
    await this.call('POST', path, undefined, [204, 304], this.waitingFor(timeoutSeconds));
  }

  async restartContainer(nameOrId: string, timeoutSeconds: number): Promise<void> {
    const path = `/containers/${enc(nameOrId)}/restart?t=${timeoutSeconds}`;
    await this.call('POST', path, undefined, [204], this.waitingFor(timeoutSeconds));
  }

  /** A call the Engine answers only after waiting so long itself (a stop's grace time). */
  private waitingFor(seconds: number): number {
    return this.transport.timeouts.requestMs + seconds * 1000;
  }

  async removeContainer(nameOrId: string): Promise<void> {
    await this.call('DELETE', `/containers/${enc(nameOrId)}?force=true`, undefined, [204, 404]);
  }

  async renameContainer(nameOrId: string, newName: string): Promise<void> {
    await this.call('POST', `/containers/${enc(nameOrId)}/rename?name=${enc(newName)}`, undefined, [204]);
  }

  async containerLogs(nameOrId: string, tail: number, since?: string): Promise<string> {
    const after = since ? `&since=${engineTimestamp(since)}` : '';
    const res = await this.send(
      'GET',
      `/containers/${enc(nameOrId)}/logs?stdout=true&stderr=true&tail=${tail}${after}`,
    );
    if (res.statusCode >= 400) return '';
    const { stdout, stderr } = demultiplex(res.body);
    return stdout + stderr;
  }

  async startExec(request: ExecRequest, onOutput: ExecOutput): Promise<ExecProcess> {
    return startExecProcess(this.transport, request, onOutput);
  }

  async putArchive(nameOrId: string, path: string, tar: Buffer): Promise<void> {
    await this.call('PUT', `/containers/${enc(nameOrId)}/archive?path=${enc(path)}`, tar, [200]);
  }

  inspectNetwork(name: string): Promise<NetworkInspect | undefined> {
    return this.getOptional(`/networks/${enc(name)}`);
  }

  async createNetwork(name: string, labels: Labels): Promise<string> {
    const created = await this.call<{ Id: string }>('POST', '/networks/create', {
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: labels,
    });
    return created.Id;
  }

  async removeNetwork(name: string): Promise<void> {
    await this.call('DELETE', `/networks/${enc(name)}`, undefined, [204, 404]);
  }

  async connectNetwork(network: string, container: string): Promise<void> {
    await this.call('POST', `/networks/${enc(network)}/connect`, { Container: container }, [200]);
  }

  listNetworks(labels: LabelFilter): Promise<NetworkInspect[]> {
    return this.call('GET', `/networks?filters=${labelFilter(labels)}`);
  }

  inspectVolume(name: string): Promise<VolumeInspect | undefined> {
    return this.getOptional(`/volumes/${enc(name)}`);
  }

  async createVolume(name: string, labels: Labels): Promise<void> {
    await this.call('POST', '/volumes/create', { Name: name, Labels: labels });
  }

  async listVolumes(labels: LabelFilter): Promise<VolumeInspect[]> {
    const res = await this.call<{ Volumes: VolumeInspect[] | null }>(
      'GET',
      `/volumes?filters=${labelFilter(labels)}`,
    );
    return res.Volumes ?? [];
  }

  async removeVolume(name: string): Promise<void> {
    await this.call('DELETE', `/volumes/${enc(name)}`, undefined, [204, 404]);
  }

  async removeImage(id: string): Promise<void> {
    await this.call('DELETE', `/images/${enc(id)}`, undefined, [404]);
  }

  diskUsage(): Promise<DiskUsage> {
    // It walks every volume: minutes on a big Engine are not a dead one.
    return this.call('GET', '/system/df', undefined, [], this.transport.timeouts.requestMs * 5);
  }

  events(labels: LabelFilter, onEvent: (event: EngineEvent) => void, onEnd: (error?: Error) => void) {
    // The Engine applies a label filter to the attributes of an event, and volume and network
    // events carry no labels: those come unfiltered (they are rare) and the rest by label here.
    const wanted = (event: EngineEvent) =>
      event.Type === 'volume' ||
      // Connects and disconnects come with every container start and stop, ours seen by label.
      (event.Type === 'network' && (event.Action === 'create' || event.Action === 'destroy')) ||
      Object.entries(labels).every(([key, value]) => {
        const actual = event.Actor.Attributes?.[key];
        return value === true ? actual !== undefined : actual === value;
      });
    let transport: EngineTransport;
    try {
      transport = this.transport;
    } catch (error) {
      queueMicrotask(() => onEnd(error as Error));
      return { close: () => undefined };
    }
    return followEvents(
      transport,
      { type: ['container', 'image', 'volume', 'network'], event: LIFECYCLE_EVENTS },
      (event) => wanted(event) && onEvent(event),
      onEnd,
    );
  }

  inspectImage(ref: string): Promise<ImageInspect | undefined> {
    return this.getOptional(`/images/${enc(ref)}/json`);
  }

  listImages(labels: LabelFilter): Promise<ImageSummary[]> {
    return this.call('GET', `/images/json?filters=${labelFilter(labels)}`);
  }

  async tagImage(id: string, repo: string, tag: string): Promise<void> {
    await this.call('POST', `/images/${enc(id)}/tag?repo=${enc(repo)}&tag=${enc(tag)}`, undefined, [201]);
  }

  async buildImage(options: BuildOptions): Promise<void> {
    const transport = this.transport;
    const { default: Docker } = await import('dockerode');
    // Our agent makes the connection (TLS and ssh included); the host is only a name for the URL.
    const connection: DockerOptions & { agent: Agent } = {
      host: 'docker',
      port: 80,
      protocol: 'http',
      agent: transport.agent,
    };
    const docker = new Docker(connection);
    const src = await listFiles(options.contextDir);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await docker.buildImage(
        { context: options.contextDir, src },
        { t: options.tag, buildargs: options.buildArgs, labels: options.labels, rm: true, forcerm: true },
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code && !(error instanceof DockerUnavailableError)) throw connectionError(transport.endpoint, code);
      throw error;
    }
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (event: { stream?: string; status?: string; error?: string; errorDetail?: { message?: string } }) => {
          const text = event.error ?? event.stream ?? event.status;
          if (!text) return;
          for (const line of text.replace(/\n$/, '').split('\n')) options.onOutput(line);
          if (event.error) reject(new BuildStepError(500, event.error));
        },
      );
    });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** Splits Docker's multiplexed stdout/stderr stream (8-byte frame headers) for non-TTY output. */
/**
 * "2026-11-23T11:31:58.123456789Z" → "1763897518.123456789": the Engine takes a time as seconds
 * with up to nine decimals, which keeps the nanoseconds it reports (a Date would keep only ms).
 */
export function engineTimestamp(rfc3339: string): string {
  const match = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339);
  if (!match) return String(Math.floor(Date.parse(rfc3339) / 1000));
  const seconds = Math.floor(Date.parse(`${match[1]}${match[3]}`) / 1000);
  return `${seconds}.${(match[2] ?? '').padEnd(9, '0').slice(0, 9)}`;
}

export function demultiplex(buffer: Buffer): { stdout: string; stderr: string } {
  const { stdout, stderr } = demultiplexBytes(buffer);
  return { stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') };
}

export function demultiplexBytes(buffer: Buffer): { stdout: Buffer; stderr: Buffer } {
  const frames = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  demultiplexer((stream, frame) => frames[stream].push(frame))(buffer);
  return { stdout: Buffer.concat(frames.stdout), stderr: Buffer.concat(frames.stderr) };
}
