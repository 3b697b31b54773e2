import { stringify } from 'yaml';
import type { ContainerCreateBody, Labels } from '../docker/engine.js';
import { LABEL, MANAGED_BY_COMPOSE } from '../docker/labels.js';
import { UserError } from '../errors.js';
import { visibleText } from '../system/visible-text.js';
import type { ProjectContainer } from './up.js';

/**
 * The project's containers, as `up` makes them (their Engine create bodies), written as one compose
 * file. The one translation: every field of a create body either has its compose form here or is
 * refused, so a protection added to the specs reaches the export or stops it, never goes missing.
 */

export interface ComposeInput {
  /** Compose service name → the container `up` would make. */
  services: Record<string, ProjectContainer>;
  /** The network `up` makes for the project; under compose a network of the compose project's own. */
  ownNetwork: { name: string; key: string; labels: Labels };
}

type Yaml = string | number | boolean | Yaml[] | { [key: string]: Yaml };
type YamlMap = { [key: string]: Yaml };

export interface ComposeFile {
  services: Record<string, YamlMap>;
  networks: Record<string, YamlMap>;
  volumes: Record<string, YamlMap>;
}

/** What the translation knows so far: the compose names of containers, networks and volumes. */
interface Context {
  input: ComposeInput;
  service: string;
  networks: Record<string, YamlMap>;
  volumes: Record<string, YamlMap>;
}

export function composeFileFor(input: ComposeInput): ComposeFile {
  const networks: Record<string, YamlMap> = {};
  const volumes: Record<string, YamlMap> = {};
  const services: Record<string, YamlMap> = {};
  for (const [service, container] of Object.entries(input.services)) {
    services[service] = composeService({ input, service, networks, volumes }, container);
  }
  return escapeInterpolation({ services, networks, volumes }) as ComposeFile;
}

const SPEC_FIELDS = new Set([
  'Image',
  'Cmd',
  'Entrypoint',
  'User',
  'WorkingDir',
  'Hostname',
  'Env',
  'Labels',
  'Tty',
  'StopSignal',
  'HostConfig',
  'NetworkingConfig',
]);

function composeService(ctx: Context, container: ProjectContainer): YamlMap {
  const { spec } = container;
  for (const field of Object.keys(spec)) {
    if (!SPEC_FIELDS.has(field)) refuse(ctx, field, 'no compose form is known for it');
  }
  const service: YamlMap = { image: spec.Image };
  if (spec.Entrypoint) service.entrypoint = spec.Entrypoint;
  if (spec.Cmd) service.command = spec.Cmd;
  if (spec.User) service.user = spec.User;
  if (spec.WorkingDir) service.working_dir = spec.WorkingDir;
  if (spec.Hostname) service.hostname = spec.Hostname;
  if (spec.Tty !== undefined) service.tty = spec.Tty;
  if (spec.StopSignal) service.stop_signal = spec.StopSignal;
  if (spec.Env?.length) service.environment = spec.Env;
  service.labels = { ...spec.Labels, [LABEL.managed]: MANAGED_BY_COMPOSE };
  Object.assign(service, networking(ctx, container), hostConfig(ctx, spec.HostConfig));
  return service;
}

/** The network a container joins at create and the ones it joins after; or the namespace it shares. */
function networking(ctx: Context, container: ProjectContainer): YamlMap {
  const mode = container.spec.HostConfig.NetworkMode;
  const endpoints = endpointsOf(ctx, container.spec);
  if (typeof mode === 'string' && mode.startsWith('container:')) {
    const shared = mode.slice('container:'.length);
    const service = Object.entries(ctx.input.services).find(([, c]) => c.name === shared)?.[0];
    if (!service) refuse(ctx, 'HostConfig.NetworkMode', `it joins ${shared}, which is not in the export`);
    if (Object.keys(endpoints).length || container.extraNetworks.length) {
      refuse(ctx, 'NetworkingConfig', 'a container in another namespace joins no network');
    }
    return { network_mode: `service:${service}` };
  }
  if (mode === 'none') return { network_mode: 'none' };
  if (typeof mode !== 'string' || !mode || ['host', 'bridge', 'default'].includes(mode)) {
    refuse(ctx, 'HostConfig.NetworkMode', `${String(mode)} is not a network the export makes`);
  }
  for (const name of Object.keys(endpoints)) {
    if (name !== mode) refuse(ctx, `NetworkingConfig.EndpointsConfig.${name}`, 'it is not the NetworkMode');
  }
  const joined: YamlMap = { [networkKey(ctx, mode)]: endpoints[mode] ?? {} };
  for (const extra of container.extraNetworks) joined[networkKey(ctx, extra)] = {};
  return { networks: joined };
}

function endpointsOf(ctx: Context, spec: ContainerCreateBody): Record<string, YamlMap> {
  const { EndpointsConfig, ...rest } = (spec.NetworkingConfig ?? {}) as {
    EndpointsConfig?: Record<string, Record<string, unknown>>;
  };
  for (const field of Object.keys(rest)) refuse(ctx, `NetworkingConfig.${field}`, 'no compose form is known');
  const endpoints: Record<string, YamlMap> = {};
  for (const [name, endpoint] of Object.entries(EndpointsConfig ?? {})) {
    const { Aliases, ...other } = endpoint as { Aliases?: string[] };
    for (const field of Object.keys(other)) {
      refuse(ctx, `NetworkingConfig.EndpointsConfig.${name}.${field}`, 'no compose form is known');
    }
    endpoints[name] = Aliases?.length ? { aliases: Aliases } : {};
  }
  return endpoints;
}

/** The project's own network is made by compose, per compose project; any other must exist already. */
function networkKey(ctx: Context, name: string): string {
  const own = ctx.input.ownNetwork;
  if (name === own.name) {
    ctx.networks[own.key] = { labels: { ...own.labels, [LABEL.managed]: MANAGED_BY_COMPOSE } };
    return own.key;
  }
  ctx.networks[name] = { external: true, name };
  return name;
}

function hostConfig(ctx: Context, host: Record<string, unknown>): YamlMap {
  const out: YamlMap = {};
  for (const [field, value] of Object.entries(host)) {
    if (value === undefined || field === 'NetworkMode') continue;
    const translate = HOST_CONFIG[field];
    if (!translate) refuse(ctx, `HostConfig.${field}`, 'no compose form is known for it');
    Object.assign(out, translate(ctx, value));
  }
  return out;
}

const strings = (value: unknown) => value as string[];

const HOST_CONFIG: Record<string, (ctx: Context, value: unknown) => YamlMap> = {
  CapAdd: (_, value) => ({ cap_add: strings(value) }),
  CapDrop: (_, value) => ({ cap_drop: strings(value) }),
  SecurityOpt: (_, value) => ({ security_opt: strings(value) }),
  ExtraHosts: (_, value) => ({ extra_hosts: strings(value) }),
  PidsLimit: (_, value) => ({ pids_limit: value as number }),
  Tmpfs: (_, value) => ({
    tmpfs: Object.entries(value as Record<string, string>).map(([path, opts]) =>
      opts ? `${path}:${opts}` : path,
    ),
  }),
  RestartPolicy: (ctx, value) => ({ restart: restartPolicy(ctx, value as RestartPolicy) }),
  Mounts: (ctx, value) => ({ volumes: (value as Mount[]).map((mount) => composeMount(ctx, mount)) }),
};

interface RestartPolicy {
  Name: string;
  MaximumRetryCount?: number;
}

function restartPolicy(ctx: Context, policy: RestartPolicy): string {
  if (['always', 'unless-stopped', 'no'].includes(policy.Name)) return policy.Name;
  if (policy.Name === '') return 'no';
  if (policy.Name === 'on-failure') {
    return policy.MaximumRetryCount ? `on-failure:${policy.MaximumRetryCount}` : 'on-failure';
  }
  return refuse(ctx, 'HostConfig.RestartPolicy', `${policy.Name} is not a restart policy compose knows`);
}

interface Mount {
  Type: string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

/** Compose's long mount syntax: a bind's missing source is an error there too, never a new folder. */
function composeMount(ctx: Context, mount: Mount): YamlMap {
  const { Type, Source, Target, ReadOnly, TmpfsOptions, ...rest } = mount;
  const where = `HostConfig.Mounts (${Target})`;
  for (const field of Object.keys(rest)) refuse(ctx, `${where}.${field}`, 'no compose form is known');
  const readOnly: YamlMap = ReadOnly ? { read_only: true } : {};
  if (Type === 'bind' && Source) return { type: 'bind', source: Source, target: Target, ...readOnly };
  if (Type === 'volume' && Source) {
    // Made by `up` (or the export) and never removed by compose, not even by `down -v`.
    ctx.volumes[Source] = { external: true, name: Source };
    return { type: 'volume', source: Source, target: Target, ...readOnly };
  }
  if (Type === 'tmpfs' && !Source) {
    const { SizeBytes, ...other } = TmpfsOptions ?? {};
    if (Object.keys(other).length) refuse(ctx, `${where}.TmpfsOptions`, 'compose sets only a size');
    const size: YamlMap = SizeBytes ? { tmpfs: { size: SizeBytes } } : {};
    return { type: 'tmpfs', target: Target, ...readOnly, ...size };
  }
  return refuse(ctx, where, `a ${Type} mount of this shape has no compose form`);
}

function refuse(ctx: Context, field: string, why: string): never {
  throw new UserError(
    `The ${ctx.service} container cannot be exported to compose: its ${field} cannot be written there (${why}).`,
    'Run the project with `claude-tui up` instead; the export refuses rather than leave a protection out.',
  );
}

/** Compose reads `$` as a variable everywhere; every value here is meant as written. */
function escapeInterpolation(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', () => '$$');
  if (Array.isArray(value)) return value.map(escapeInterpolation);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeInterpolation(v)]));
  }
  return value;
}

/**
 * The file as text. Every string value is double-quoted: compose 1.x reads YAML 1.1, where a plain
 * `no` or `on` is a boolean. Header lines (which name host paths, any of whose characters a folder
 * name may hold) stay comments: every character that would end a line is shown as a mark.
 */
export function renderComposeFile(file: ComposeFile, header: string[]): string {
  const body = stringify(file, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
  return `${header.map((line) => `# ${commentText(line)}`.trimEnd()).join('\n')}\n${body}`;
}

/**
 * One line of comment text: control characters (newline, carriage return, and NEL, which YAML 1.1
 * takes for a line break) as visible marks, and YAML 1.1's other line breaks, U+2028 and U+2029,
 * too.
 */
function commentText(line: string): string {
  return visibleText(line, { oneLine: true }).replace(
    /[\u2028\u2029]/g,
    (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`,
  );
}
