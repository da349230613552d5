/**
 * Promotes image tags in the Argo CD tenant files: sets images.<service> in argocd/tenants/<tenant>.yaml
 * and nothing else. Argo CD does the rest (argocd/README.md "Promoting an image"); this script never talks
 * to a cluster, and the pipeline commits what it writes (deploy/pipeline/commit-promotion.sh).
 *
 *   node --conditions=source --import tsx deploy/pipeline/promote.ts \
 *     (--service <s> [--service <s>...] | --all-services) --tag <tag>   one tag for the selected services
 *     | --image <service>=<tag> [--image ...]                            a tag per service (the pipeline's)
 *     [--tenants <a,b> | --all-tenants]    default: the canary tenants of deploy/pipeline/promotion.yaml
 *     [--dry-run] [--root <dir>]           --root: the repository (default: this one)
 *
 * Comments and formatting are kept: each file is edited through the yaml package's Document API (the
 * image tag's scalar node gets the new value, so its quoting and trailing comment stay), and the result
 * must differ from the original in the image lines only. Every selected file is parsed, edited and
 * validated against argocd/tenant-file.schema.json before any is written; on any problem (an unknown
 * service or tenant, a tag the schema refuses, a file that does not parse or validate) nothing is written
 * and the exit status is 1 (2 for a usage error).
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { Ajv2020, type ErrorObject, type SchemaObject } from 'ajv/dist/2020.js';
import { isScalar, parse, parseDocument } from 'yaml';

/** The services of the tenant files' `images` (argocd/tenant-file.schema.json). */
export const SERVICES = ['fleet', 'performance', 'crew', 'maintenance'] as const;
export type Service = (typeof SERVICES)[number];

/** This repository (the file is deploy/pipeline/promote.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Paths relative to the repository root. */
export const TENANTS_DIR = 'argocd/tenants';
export const SCHEMA_FILE = 'argocd/tenant-file.schema.json';
export const PROMOTION_FILE = 'deploy/pipeline/promotion.yaml';

export function isService(value: string): value is Service {
  return (SERVICES as readonly string[]).includes(value);
}

/** Which tenant files a promotion edits. */
export type TenantSelection =
  { kind: 'canary' } | { kind: 'all' } | { kind: 'list'; tenants: readonly string[] };

export interface PromotionRequest {
  /** The repository root holding argocd/ and deploy/pipeline/promotion.yaml. */
  root: string;
  /** The new tag of each service to promote. */
  images: ReadonlyMap<string, string>;
  tenants: TenantSelection;
}

export interface ImageChange {
  service: Service;
  from: string;
  to: string;
}

export interface FilePlan {
  tenant: string;
  /** Absolute path of the tenant file. */
  path: string;
  before: string;
  after: string;
  /** Empty when the file already has every tag. */
  changes: ImageChange[];
}

export interface PromotionPlan {
  root: string;
  images: ReadonlyMap<Service, string>;
  tenants: string[];
  files: FilePlan[];
}

/** Every problem found, so that one run reports them all. */
export class PromotionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'PromotionError';
  }
}

/** A compiled schema (not a type guard: a refused value keeps its type for the messages). */
export type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

export interface TenantSchema {
  validateFile: Validator;
  validateTag: Validator;
}

/** The tenant-file schema, compiled: the whole file and its image tag definition. */
export function loadSchema(root: string): TenantSchema {
  const schema = JSON.parse(readFileSync(join(root, SCHEMA_FILE), 'utf8')) as SchemaObject;
  if (typeof schema.$id !== 'string') throw new PromotionError([`${SCHEMA_FILE} has no $id`]);
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addSchema(schema);
  const validateFile = ajv.getSchema(schema.$id);
  const validateTag = ajv.getSchema(`${schema.$id}#/$defs/imageTag`);
  if (validateFile === undefined || validateTag === undefined) {
    throw new PromotionError([`${SCHEMA_FILE}: cannot compile the schema or its $defs/imageTag`]);
  }
  return { validateFile, validateTag };
}

function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}

/** The tenant ids: the names of argocd/tenants/*.yaml. */
export function listTenants(root: string): string[] {
  return readdirSync(join(root, TENANTS_DIR))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.slice(0, -'.yaml'.length))
    .sort();
}

/** The canary tenants of deploy/pipeline/promotion.yaml (`canary: [<tenant>...]`). */
export function canaryTenants(root: string): string[] {
  const file = join(root, PROMOTION_FILE);
  if (!existsSync(file))
    throw new PromotionError([`${PROMOTION_FILE} is missing: it lists the canary tenants`]);
  const content = parse(readFileSync(file, 'utf8')) as unknown;
  const canary =
    typeof content === 'object' && content !== null
      ? (content as Record<string, unknown>)['canary']
      : undefined;
  if (!Array.isArray(canary) || canary.length === 0 || !canary.every((t) => typeof t === 'string')) {
    throw new PromotionError([`${PROMOTION_FILE}: canary must be a non-empty list of tenant ids`]);
  }
  return canary;
}

/** The pools that list a tenant id among their members: a hint for someone naming a pool member. */
function poolsWithMember(root: string, tenants: readonly string[], member: string): string[] {
  return tenants.filter((tenant) => {
    try {
      const content = parse(readFileSync(join(root, TENANTS_DIR, `${tenant}.yaml`), 'utf8')) as unknown;
      const members =
        typeof content === 'object' && content !== null
          ? (content as Record<string, unknown>)['members']
          : undefined;
      return Array.isArray(members) && members.includes(member);
    } catch {
      return false;
    }
  });
}

function selectTenants(root: string, selection: TenantSelection, known: readonly string[]): string[] {
  const wanted =
    selection.kind === 'all' ? known : selection.kind === 'canary' ? canaryTenants(root) : selection.tenants;
  if (wanted.length === 0) throw new PromotionError(['no tenant selected']);
  const problems: string[] = [];
  for (const tenant of wanted) {
    if (known.includes(tenant)) continue;
    const pools = poolsWithMember(root, known, tenant);
    problems.push(
      pools.length > 0
        ? `unknown tenant '${tenant}': it is a member of the pool ${pools.join(', ')}; promote the pool`
        : `unknown tenant '${tenant}' (no ${TENANTS_DIR}/${tenant}.yaml; tenants: ${known.join(', ')})`,
    );
  }
  if (problems.length > 0) throw new PromotionError(problems);
  return [...new Set(wanted)];
}

/**
 * The lines of `after` that differ from `before`, when both have the same number of lines; undefined
 * when lines were added or removed (a reformatted file).
 */
function changedLines(before: string, after: string): number[] | undefined {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return undefined;
  return a.flatMap((line, i) => (line === b[i] ? [] : [i]));
}

function planFile(root: string, tenant: string, images: ReadonlyMap<Service, string>, schema: TenantSchema) {
  const path = join(root, TENANTS_DIR, `${tenant}.yaml`);
  const name = relative(root, path);
  const before = readFileSync(path, 'utf8');
  const doc = parseDocument(before, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return { problems: doc.errors.map((e) => `${name}: ${e.message}`) };
  }
  const render = () => doc.toString({ lineWidth: 0 });
  if (render() !== before) {
    // The Document API would reformat this file: refuse rather than rewrite more than the tags.
    return {
      problems: [`${name}: the yaml package does not reproduce this file byte for byte; edit it by hand`],
    };
  }
  const problems: string[] = [];
  const changes: ImageChange[] = [];
  for (const [service, tag] of images) {
    const node = doc.getIn(['images', service], true);
    if (!isScalar(node) || typeof node.value !== 'string') {
      problems.push(`${name}: images.${service} is not a string`);
      continue;
    }
    if (node.value === tag) continue;
    changes.push({ service, from: node.value, to: tag });
    node.value = tag; // the node keeps its quoting and comments
  }
  if (problems.length > 0) return { problems };
  const after = render();
  if (!schema.validateFile(doc.toJS())) {
    return { problems: [`${name}: invalid after the change: ${describeErrors(schema.validateFile.errors)}`] };
  }
  const lines = changedLines(before, after);
  if (lines === undefined || lines.length !== changes.length) {
    return { problems: [`${name}: the edit would change more than the image lines; refused`] };
  }
  return { file: { tenant, path, before, after, changes } satisfies FilePlan };
}

/** Checks the request and edits every selected file in memory. Throws PromotionError; writes nothing. */
export function planPromotion(request: PromotionRequest): PromotionPlan {
  const root = resolve(request.root);
  const problems: string[] = [];
  const schema = loadSchema(root);
  const images = new Map<Service, string>();
  if (request.images.size === 0) problems.push('no service selected');
  const refusedTags = new Map<string, string[]>();
  for (const [service, tag] of request.images) {
    if (!isService(service)) {
      problems.push(`unknown service '${service}' (services: ${SERVICES.join(', ')})`);
    } else if (!schema.validateTag(tag)) {
      refusedTags.set(tag, [...(refusedTags.get(tag) ?? []), service]);
    } else {
      images.set(service, tag);
    }
  }
  for (const [tag, services] of refusedTags) {
    schema.validateTag(tag);
    problems.push(
      `tag '${tag}' (${services.join(', ')}) is refused by ${SCHEMA_FILE} $defs/imageTag: ${describeErrors(schema.validateTag.errors)}`,
    );
  }
  let tenants: string[] = [];
  try {
    tenants = selectTenants(root, request.tenants, listTenants(root));
  } catch (error) {
    if (!(error instanceof PromotionError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0) throw new PromotionError(problems);

  const files: FilePlan[] = [];
  for (const tenant of tenants) {
    const result = planFile(root, tenant, images, schema);
    if (result.problems !== undefined) problems.push(...result.problems);
    else files.push(result.file);
  }
  if (problems.length > 0) throw new PromotionError(problems);
  return { root, images, tenants, files };
}

/** Writes the changed files of a plan (each through a temporary file and a rename). */
export function applyPlan(plan: PromotionPlan): FilePlan[] {
  const changed = plan.files.filter((file) => file.changes.length > 0);
  for (const file of changed) {
    const temporary = `${file.path}.promote-${process.pid}.tmp`;
    writeFileSync(temporary, file.after);
    renameSync(temporary, file.path);
  }
  return changed;
}

/** The summary printed by the command line. */
export function describePlan(plan: PromotionPlan, dryRun: boolean): string {
  const images = [...plan.images].map(([service, tag]) => `${service}=${tag}`).join(' ');
  const lines = [`promote ${images} to ${plan.tenants.join(', ')}${dryRun ? ' (dry run)' : ''}`];
  for (const file of plan.files) {
    const name = relative(plan.root, file.path);
    if (file.changes.length === 0) {
      lines.push(`  ${name}: unchanged (already at these tags)`);
    } else {
      const changes = file.changes.map((c) => `images.${c.service} ${c.from} -> ${c.to}`).join(', ');
      lines.push(`  ${name}: ${changes}`);
    }
  }
  const count = plan.files.filter((file) => file.changes.length > 0).length;
  lines.push(
    dryRun
      ? `dry run: ${count} file(s) would change; nothing written`
      : `${count} file(s) changed${count === 0 ? ': nothing to promote' : ''}`,
  );
  return lines.join('\n');
}

class UsageError extends Error {}

const USAGE = `usage: promote.ts (--service <s> [--service <s>...] | --all-services) --tag <tag>
                  | --image <service>=<tag> [--image <service>=<tag>...]
                  [--tenants <a,b> | --all-tenants] [--dry-run] [--root <dir>]
services: ${SERVICES.join(', ')}; tenants default to the canary list of ${PROMOTION_FILE}`;

/** Parses the command line into a request; throws UsageError. */
export function parseCommandLine(argv: readonly string[]): { request: PromotionRequest; dryRun: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        service: { type: 'string', multiple: true },
        'all-services': { type: 'boolean' },
        tag: { type: 'string' },
        image: { type: 'string', multiple: true },
        tenants: { type: 'string' },
        'all-tenants': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        root: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) throw new UsageError('');

  const images = new Map<string, string>();
  const byService = values.service !== undefined || values['all-services'] === true;
  if (values.image !== undefined) {
    if (byService || values.tag !== undefined) {
      throw new UsageError('--image cannot be combined with --service, --all-services or --tag');
    }
    for (const image of values.image) {
      const match = /^([^=]+)=(.+)$/.exec(image);
      if (match === null) throw new UsageError(`--image ${image}: expected <service>=<tag>`);
      const [, service = '', tag = ''] = match;
      if (images.has(service)) throw new UsageError(`--image: ${service} given twice`);
      images.set(service, tag);
    }
  } else {
    if (!byService)
      throw new UsageError('name the services: --service <s>, --all-services or --image <s>=<tag>');
    if (values.service !== undefined && values['all-services'] === true) {
      throw new UsageError('--service and --all-services exclude each other');
    }
    if (values.tag === undefined)
      throw new UsageError('--tag <tag> is required with --service/--all-services');
    const services = values['all-services'] === true ? [...SERVICES] : (values.service ?? []);
    for (const service of services) images.set(service, values.tag);
  }

  if (values.tenants !== undefined && values['all-tenants'] === true) {
    throw new UsageError('--tenants and --all-tenants exclude each other');
  }
  let tenants: TenantSelection = { kind: 'canary' };
  if (values['all-tenants'] === true) tenants = { kind: 'all' };
  if (values.tenants !== undefined) {
    const list = values.tenants
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (list.length === 0) throw new UsageError('--tenants: no tenant named');
    tenants = { kind: 'list', tenants: list };
  }
  return {
    request: { root: resolve(values.root ?? REPO_ROOT), images, tenants },
    dryRun: values['dry-run'] === true,
  };
}

/** The command line: returns the exit status. */
export function main(argv: readonly string[]): number {
  try {
    const { request, dryRun } = parseCommandLine(argv);
    const plan = planPromotion(request);
    if (!dryRun) applyPlan(plan);
    console.log(describePlan(plan, dryRun));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message !== '') console.error(`promote: ${error.message}`);
      console.error(USAGE);
      return 2;
    }
    if (error instanceof PromotionError) {
      console.error(`promote: nothing written:\n${error.problems.map((p) => `  ${p}`).join('\n')}`);
      return 1;
    }
    console.error(`promote: nothing written: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
