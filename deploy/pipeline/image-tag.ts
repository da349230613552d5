/**
 * The image tags the pipeline builds, scans, pushes and promotes (deploy/pipeline/README.md "Image tags"):
 *
 *   <version of services/<service>/package.json>-g<the source revision's first 12 hex digits>
 *
 * e.g. 1.5.0-g3f9c2a71b0de. The source revision is the newest commit that changed anything outside
 * argocd/tenants/ (the files the pipeline's promotion commits edit, and which the image never contains:
 * .dockerignore leaves argocd/ out). A promotion commit therefore builds the tags of the commit before it;
 * the pipeline finds them already in ECR and already in the tenant files, and has nothing to do: it
 * cannot loop on its own commits. Every tag is checked against the tenant files' schema ($defs/imageTag).
 *
 *   node --conditions=source --import tsx deploy/pipeline/image-tag.ts <service>   the tag of a service
 *   node --conditions=source --import tsx deploy/pipeline/image-tag.ts --all       <service>=<tag> lines
 *   node --conditions=source --import tsx deploy/pipeline/image-tag.ts --revision  the source revision
 *   [--root <dir>]  the repository (default: this one); needs its full history (not a shallow clone)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { REPO_ROOT, SERVICES, TENANTS_DIR, isService, loadSchema, type Service } from './promote.js';

/** The length of the revision prefix in a tag: fixed, so a tag does not depend on the clone. */
export const REVISION_DIGITS = 12;

function git(root: string, args: readonly string[]): string {
  const result = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`git ${args.join(' ')}: ${result.stderr.trim() || (result.error?.message ?? 'failed')}`);
  }
  return result.stdout.trim();
}

/** The newest commit that changed anything outside argocd/tenants/. */
export function sourceRevision(root: string): string {
  if (git(root, ['rev-parse', '--is-shallow-repository']) === 'true') {
    throw new Error('a shallow clone: the source revision needs the full history (clone without --depth)');
  }
  const revision = git(root, ['log', '-1', '--format=%H', '--', '.', `:(exclude)${TENANTS_DIR}`]);
  if (!/^[0-9a-f]{40,64}$/.test(revision)) throw new Error(`no commit outside ${TENANTS_DIR}/`);
  return revision;
}

/** The version of services/<service>/package.json. */
export function serviceVersion(root: string, service: Service): string {
  const manifest = JSON.parse(readFileSync(join(root, 'services', service, 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  if (typeof manifest.version !== 'string')
    throw new Error(`services/${service}/package.json has no version`);
  return manifest.version;
}

/** The tag of every service at the source revision; throws when the schema would refuse one. */
export function imageTags(root: string): Map<Service, string> {
  const revision = sourceRevision(root).slice(0, REVISION_DIGITS);
  const { validateTag } = loadSchema(root);
  const tags = new Map<Service, string>();
  for (const service of SERVICES) {
    const tag = `${serviceVersion(root, service)}-g${revision}`;
    if (!validateTag(tag)) {
      throw new Error(`${service}: tag ${tag} is refused by the tenant files' schema ($defs/imageTag)`);
    }
    tags.set(service, tag);
  }
  return tags;
}

export function main(argv: readonly string[]): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { all: { type: 'boolean' }, revision: { type: 'boolean' }, root: { type: 'string' } },
    });
    const root = resolve(values.root ?? REPO_ROOT);
    const modes = [values.all === true, values.revision === true, positionals.length > 0].filter(Boolean);
    if (modes.length !== 1 || positionals.length > 1) {
      throw new Error('usage: image-tag.ts (<service> | --all | --revision) [--root <dir>]');
    }
    if (values.revision === true) {
      console.log(sourceRevision(root));
      return 0;
    }
    const tags = imageTags(root);
    if (values.all === true) {
      console.log([...tags].map(([service, tag]) => `${service}=${tag}`).join('\n'));
      return 0;
    }
    const service = positionals[0] ?? '';
    if (!isService(service))
      throw new Error(`unknown service '${service}' (services: ${SERVICES.join(', ')})`);
    console.log(tags.get(service));
    return 0;
  } catch (error) {
    console.error(`image-tag: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
