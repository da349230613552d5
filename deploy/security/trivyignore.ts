/**
 * Turns the Trivy allow-list (deploy/security/trivy-allowlist.yaml) into the .trivyignore.yaml that
 * Trivy reads (`trivy image --ignorefile .trivyignore.yaml`), after checking it:
 *   - against deploy/security/trivy-allowlist.schema.json (id, reason, expires and owner required,
 *     package optional, nothing else);
 *   - every `expires` a real date after today (UTC) and at most MAX_DAYS_AHEAD (90) days from today:
 *     an acceptance is reviewed at least once a quarter, and an expired one fails the build instead
 *     of silently lapsing (Trivy would only drop it);
 *   - no vulnerability listed twice for the same package.
 *
 *   node --conditions=source --import tsx deploy/security/trivyignore.ts [--check]
 *        [--allowlist FILE] [--out FILE]
 *
 * Writes .trivyignore.yaml at the repository root unless --check (validate only). Exits 1 with every
 * problem listed when the allow-list is not valid. The Jenkinsfile's Scan stage runs it.
 *
 * Each entry becomes one of Trivy's ignore findings (pkg/result/ignore.go): `id`; `purls` with the
 * entry's package (a Package URL; without a version it matches every version); `statement`, the reason
 * and the owner; `expired_at`, the expiry date as a plain YAML date (Trivy decodes it into a time).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse, stringify } from 'yaml';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '../..');
export const ALLOWLIST_FILE = join(HERE, 'trivy-allowlist.yaml');
export const SCHEMA_FILE = join(HERE, 'trivy-allowlist.schema.json');
export const TRIVYIGNORE_FILE = join(REPO_ROOT, '.trivyignore.yaml');
/** The furthest an entry may expire, in days from today. */
export const MAX_DAYS_AHEAD = 90;

export interface AllowlistEntry {
  /** CVE-... or GHSA-... */
  id: string;
  /** A Package URL limiting the acceptance to one package. */
  package?: string;
  reason: string;
  /** YYYY-MM-DD */
  expires: string;
  owner: string;
}

export interface Allowlist {
  vulnerabilities: AllowlistEntry[];
}

/** One finding of Trivy's .trivyignore.yaml `vulnerabilities` list. */
export interface TrivyIgnoreFinding {
  id: string;
  purls?: string[];
  statement: string;
  expired_at: string;
}

export class AllowlistError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} is not a valid Trivy allow-list:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AllowlistError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let validator: ValidateFunction<Allowlist> | undefined;

function schemaValidator(): ValidateFunction<Allowlist> {
  if (validator === undefined) {
    const schema: unknown = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    if (!isRecord(schema)) throw new Error(`${SCHEMA_FILE} is not a JSON Schema`);
    validator = new Ajv2020({ allErrors: true, strict: true }).compile<Allowlist>(schema);
  }
  return validator;
}

/** The day (UTC) as days since 1970-01-01, or undefined for something that is no real date. */
function dayNumber(iso: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return time / 86_400_000;
}

/** YYYY-MM-DD of a time, in UTC. */
export function isoDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

function entryLabel(doc: unknown, index: number): string {
  const entry =
    isRecord(doc) && Array.isArray(doc.vulnerabilities)
      ? (doc.vulnerabilities as unknown[])[index]
      : undefined;
  const id = isRecord(entry) && typeof entry.id === 'string' ? ` (${entry.id})` : '';
  return `vulnerabilities[${index}]${id}`;
}

function schemaProblem(doc: unknown, error: ErrorObject): string {
  const path = error.instancePath.split('/').filter((p) => p !== '');
  let where = path.length === 0 ? 'the file' : path.join('.');
  if (path[0] === 'vulnerabilities' && path[1] !== undefined && /^\d+$/.test(path[1])) {
    where = [entryLabel(doc, Number(path[1])), ...path.slice(2)].join('.');
  }
  if (error.keyword === 'required' && typeof error.params.missingProperty === 'string') {
    return `${where}: ${error.params.missingProperty} is required`;
  }
  if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') {
    return `${where}: unknown field ${error.params.additionalProperty}`;
  }
  return `${where}: ${error.message ?? error.keyword}`;
}

/**
 * Parses and checks an allow-list; `today` is the day the build runs. Returns its entries, or throws
 * an AllowlistError listing every problem found.
 */
export function checkAllowlist(
  text: string,
  today: Date = new Date(),
  file: string = ALLOWLIST_FILE,
): AllowlistEntry[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new AllowlistError(file, [`not YAML: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (doc === null || doc === undefined) {
    throw new AllowlistError(file, ['empty: write `vulnerabilities: []` when nothing is accepted']);
  }
  const validate = schemaValidator();
  if (!validate(doc)) {
    throw new AllowlistError(
      file,
      (validate.errors ?? []).map((error) => schemaProblem(doc, error)),
    );
  }
  const problems: string[] = [];
  const todayNumber = dayNumber(isoDay(today)) ?? 0;
  const seen = new Set<string>();
  doc.vulnerabilities.forEach((entry, index) => {
    const label = entryLabel(doc, index);
    const expires = dayNumber(entry.expires);
    if (expires === undefined) {
      problems.push(`${label}: expires ${entry.expires} is not a date`);
    } else if (expires <= todayNumber) {
      problems.push(
        `${label}: expired on ${entry.expires} (today is ${isoDay(today)}): fix it, or renew the entry with a new reason`,
      );
    } else if (expires - todayNumber > MAX_DAYS_AHEAD) {
      problems.push(
        `${label}: expires ${entry.expires}, ${expires - todayNumber} days from today; at most ${MAX_DAYS_AHEAD} are allowed`,
      );
    }
    const key = `${entry.id} ${entry.package ?? '*'}`;
    if (seen.has(key)) problems.push(`${label}: listed twice${entry.package ? ` for ${entry.package}` : ''}`);
    seen.add(key);
  });
  if (problems.length > 0) throw new AllowlistError(file, problems);
  return doc.vulnerabilities;
}

/** Trivy's findings for the entries. */
export function trivyIgnoreFindings(entries: readonly AllowlistEntry[]): TrivyIgnoreFinding[] {
  return entries.map((entry) => ({
    id: entry.id,
    ...(entry.package === undefined ? {} : { purls: [entry.package] }),
    statement: `${entry.reason.trim()} (owner: ${entry.owner.trim()})`,
    expired_at: entry.expires,
  }));
}

/** The .trivyignore.yaml text for the entries. */
export function toTrivyIgnore(entries: readonly AllowlistEntry[]): string {
  const header =
    '# Generated by deploy/security/trivyignore.ts from deploy/security/trivy-allowlist.yaml: edit that file.\n';
  return header + stringify({ vulnerabilities: trivyIgnoreFindings(entries) }, { lineWidth: 0 });
}

function main(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      allowlist: { type: 'string', default: ALLOWLIST_FILE },
      out: { type: 'string', default: TRIVYIGNORE_FILE },
      check: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const allowlistFile = resolve(values.allowlist);
  let entries: AllowlistEntry[];
  try {
    entries = checkAllowlist(readFileSync(allowlistFile, 'utf8'), new Date(), allowlistFile);
  } catch (error) {
    if (!(error instanceof AllowlistError)) throw error;
    console.error(`trivyignore: ${error.message}`);
    return 1;
  }
  const summary = `${entries.length} accepted ${entries.length === 1 ? 'vulnerability' : 'vulnerabilities'}`;
  if (values.check) {
    console.log(`trivyignore: ${allowlistFile} is valid (${summary})`);
    return 0;
  }
  const out = resolve(values.out);
  writeFileSync(out, toTrivyIgnore(entries));
  console.log(`trivyignore: wrote ${out} (${summary})`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
