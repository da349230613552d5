/**
 * Offline checks of docker-compose.yml, for compose.test.ts: the document as Compose reads it (YAML
 * merge keys, variable interpolation), the Compose Specification's JSON schema (deploy/compose), and
 * the rules the local stack keeps (pinned images, ports on 127.0.0.1, hardened own containers, …).
 * Every rule returns its problems as text, so a test can show it failing on a broken document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { REPO_ROOT } from './tools.js';

export const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');
export const COMPOSE_SCHEMA_FILE = join(REPO_ROOT, 'deploy/compose/compose-spec.json');

// Minimal shapes of what the checks read; the schema is what validates the whole document.
export type PortSpec = string | number | { target: number; published?: string | number; host_ip?: string };
export type VolumeSpec = string | { type: string; source?: string; target: string; read_only?: boolean };
export type DependsOn = string[] | Record<string, { condition?: string; required?: boolean }>;

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  pull_policy?: string;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: PortSpec[];
  volumes?: VolumeSpec[];
  depends_on?: DependsOn;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  tmpfs?: string | string[];
  logging?: { driver?: string; options?: Record<string, string> };
  profiles?: string[];
  restart?: string;
}

export interface ComposeDocument {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [extension: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Reading the document as Compose does

/**
 * Compose's variable interpolation of one string: $$ is a literal $, ${VAR}, $VAR, ${VAR:-default}
 * (unset or empty), ${VAR-default} (unset), ${VAR:?message} and ${VAR?message} (required),
 * ${VAR:+alternative} and ${VAR+alternative} (set).
 */
export function interpolateString(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (
      match: string,
      dollar: string,
      braced: string | undefined,
      operator: string | undefined,
      argument: string | undefined,
      bare: string | undefined,
    ) => {
      if (dollar === '$') return '$';
      const name = braced ?? bare;
      if (name === undefined) return match;
      const value = env[name];
      const missing = operator?.startsWith(':') ? value === undefined || value === '' : value === undefined;
      if (operator?.endsWith('-')) return missing ? interpolateString(argument ?? '', env) : (value ?? '');
      if (operator?.endsWith('+')) return missing ? '' : interpolateString(argument ?? '', env);
      if (operator?.endsWith('?')) {
        if (missing) throw new Error(`required variable ${name} is missing: ${argument ?? ''}`);
        return value ?? '';
      }
      return value ?? '';
    },
  );
}

/** Interpolates every string value of a parsed document (keys stay as written, as in Compose). */
export function interpolate<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === 'string') return interpolateString(value, env) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => interpolate(item, env)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, interpolate(item, env)]),
    ) as T;
  }
  return value;
}

/** The document Compose works on: YAML with merge keys (<<) resolved, then variables interpolated. */
export function parseCompose(text: string, env: Record<string, string | undefined> = {}): ComposeDocument {
  return interpolate(parse(text, { merge: true }) as ComposeDocument, env);
}

export function readCompose(env: Record<string, string | undefined> = {}): ComposeDocument {
  return parseCompose(readFileSync(COMPOSE_FILE, 'utf8'), env);
}

/**
 * The Compose Specification's schema (draft-07). Its `$schema` names the draft without the trailing
 * `#` Ajv registers it under, so it is dropped before compiling (Ajv's default is draft-07); strict
 * mode is off for the upstream file's annotations Ajv does not know (`deprecated`).
 */
export function composeSchemaValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

export function schemaErrors(validate: ValidateFunction, document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (error: ErrorObject) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Accessors

export function environmentOf(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  const { environment } = service;
  if (Array.isArray(environment)) {
    for (const entry of environment) {
      const index = entry.indexOf('=');
      if (index > 0) env[entry.slice(0, index)] = entry.slice(index + 1);
    }
  } else if (environment) {
    for (const [key, value] of Object.entries(environment)) {
      if (value !== null) env[key] = String(value);
    }
  }
  return env;
}

export function dependenciesOf(service: ComposeService): string[] {
  const { depends_on: dependsOn } = service;
  if (!dependsOn) return [];
  return Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn);
}

/** The services `docker compose up NAMES...` starts: the names and everything they depend on. */
export function startedBy(document: ComposeDocument, names: string[]): Set<string> {
  const started = new Set<string>();
  const visit = (name: string): void => {
    if (started.has(name)) return;
    started.add(name);
    const service = document.services[name];
    if (service) dependenciesOf(service).forEach(visit);
  };
  names.forEach(visit);
  return started;
}

export interface PublishedPort {
  hostIp: string | undefined;
  published: string | undefined;
  target: string;
}

export function portsOf(service: ComposeService): PublishedPort[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'number') return { hostIp: undefined, published: undefined, target: String(port) };
    if (typeof port === 'object') {
      return {
        hostIp: port.host_ip,
        published: port.published === undefined ? undefined : String(port.published),
        target: String(port.target),
      };
    }
    // [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]; an IPv6 address is in brackets.
    const withoutProtocol = port.replace(/\/(tcp|udp|sctp)$/, '');
    const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(withoutProtocol);
    const parts = ipv6 ? [ipv6[1] as string, ...(ipv6[2] as string).split(':')] : withoutProtocol.split(':');
    if (parts.length === 3) return { hostIp: parts[0], published: parts[1], target: parts[2] as string };
    if (parts.length === 2) return { hostIp: undefined, published: parts[0], target: parts[1] as string };
    return { hostIp: undefined, published: undefined, target: parts[0] as string };
  });
}

export interface Mount {
  type: 'bind' | 'volume' | 'other';
  source: string | undefined;
  target: string;
  readOnly: boolean;
}

export function mountsOf(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume === 'object') {
      const type = volume.type === 'bind' || volume.type === 'volume' ? volume.type : 'other';
      return { type, source: volume.source, target: volume.target, readOnly: volume.read_only === true };
    }
    const [source, target, mode] = volume.split(':');
    if (target === undefined)
      return { type: 'volume', source: undefined, target: source as string, readOnly: false };
    const bind = /^[./~]/.test(source as string);
    const readOnly = (mode ?? '').split(',').includes('ro');
    return { type: bind ? 'bind' : 'volume', source, target, readOnly };
  });
}

/** The images this repository builds (fleetwatch/<name>:<tag>): ours, run hardened. */
export function isOwnImage(image: string | undefined): boolean {
  return image !== undefined && image.startsWith('fleetwatch/');
}

// ---------------------------------------------------------------------------------------------
// Rules; each returns the problems it finds.

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/**
 * Every service runs a pinned image: a registry image by exact tag and digest (never latest), or one
 * of ours built by exactly one service of the file; a service that runs an image another service
 * builds does not pull it and depends (directly or not) on the builder, so the image exists first.
 */
export function imageProblems(document: ComposeDocument): string[] {
  const problems: string[] = [];
  const builders = new Map<string, string[]>();
  for (const [name, service] of Object.entries(document.services)) {
    if (service.build !== undefined) {
      if (!service.image) problems.push(`${name}: builds an image without naming it (image:)`);
      else builders.set(service.image, [...(builders.get(service.image) ?? []), name]);
    }
  }
  for (const [image, names] of builders) {
    if (names.length > 1)
      problems.push(`${image} is built by ${names.join(' and ')}: build it in one service`);
  }
  for (const [name, service] of Object.entries(document.services)) {
    const { image } = service;
    if (!image) {
      if (service.build === undefined) problems.push(`${name}: neither image nor build`);
      continue;
    }
    const reference = image.replace(DIGEST, '');
    const tag = /:([^/:]+)$/.exec(reference)?.[1];
    if (!tag) problems.push(`${name}: ${image} has no tag`);
    else if (tag === 'latest') problems.push(`${name}: ${image} uses latest`);
    if (service.build !== undefined) continue;
    const builder = builders.get(image)?.[0];
    if (builder) {
      if (service.pull_policy !== 'never')
        problems.push(`${name}: runs ${image}, built by ${builder}, without pull_policy: never`);
      if (!startedBy(document, [name]).has(builder))
        problems.push(`${name}: runs ${image} but does not depend on ${builder}, which builds it`);
    } else if (!DIGEST.test(image)) {
      problems.push(`${name}: ${image} is not pinned by digest`);
    }
  }
  return problems;
}

/** Every published port listens on 127.0.0.1 only. */
export function portProblems(document: ComposeDocument): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(document.services)) {
    for (const port of portsOf(service)) {
      if (port.hostIp !== '127.0.0.1')
        problems.push(`${name}: port ${port.published ?? '(any)'}->${port.target} is not bound to 127.0.0.1`);
    }
  }
  return problems;
}

/** depends_on names services of the file, and no service waits (directly or not) on itself. */
export function dependencyProblems(document: ComposeDocument): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(document.services)) {
    for (const target of dependenciesOf(service)) {
      if (!(target in document.services))
        problems.push(`${name}: depends on ${target}, which is not a service`);
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      problems.push(`dependency cycle: ${[...path, name].join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    const service = document.services[name];
    if (service) for (const target of dependenciesOf(service)) visit(target, [...path, name]);
    state.set(name, 'done');
  };
  Object.keys(document.services).forEach((name) => visit(name, []));
  return problems;
}

/** Bind mounts come from files of the repository; named volumes are declared at the top level. */
export function mountProblems(document: ComposeDocument, root: string = REPO_ROOT): string[] {
  const problems: string[] = [];
  const declared = new Set(Object.keys(document.volumes ?? {}));
  for (const [name, service] of Object.entries(document.services)) {
    for (const mount of mountsOf(service)) {
      if (mount.type === 'bind') {
        const source = mount.source ?? '';
        if (!source.startsWith('./')) problems.push(`${name}: ${source} is not a path in the repository`);
        else if (!existsSync(join(root, source))) problems.push(`${name}: ${source} does not exist`);
        else if (!mount.readOnly) problems.push(`${name}: ${source} is mounted writable`);
      } else if (mount.type === 'volume' && mount.source !== undefined && !declared.has(mount.source)) {
        problems.push(`${name}: volume ${mount.source} is not declared under volumes:`);
      }
    }
  }
  return problems;
}

/**
 * Our own containers run as the images do in the charts: a numeric non-root user, a read-only root
 * filesystem, no capabilities, no privilege escalation.
 */
export function hardeningProblems(document: ComposeDocument): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(document.services)) {
    if (!isOwnImage(service.image)) continue;
    const uid = /^(\d+)(:\d+)?$/.exec(service.user ?? '')?.[1];
    if (uid === undefined || Number(uid) === 0) problems.push(`${name}: user is not a numeric non-root uid`);
    if (service.read_only !== true) problems.push(`${name}: root filesystem is not read_only`);
    if (!(service.cap_drop ?? []).includes('ALL'))
      problems.push(`${name}: capabilities are not dropped (ALL)`);
    if (!(service.security_opt ?? []).some((option) => /^no-new-privileges(:true)?$/.test(option)))
      problems.push(`${name}: no-new-privileges is not set`);
  }
  return problems;
}
