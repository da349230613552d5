/**
 * Typed wrappers around the offline validation tools that deploy/tools/install.sh
 * (`make deploy-tools`) puts into .cache/tools/: helm, kubeconform (with the Kubernetes 1.33 and
 * CRD JSON schemas), kube-score, pss-check (Pod Security Admission, level restricted) and promtool
 * (Prometheus rule checks and rule unit tests); for Terraform, tofu (`fmt`), tflint and checkov.
 *
 * Everything here is synchronous: each helper runs one tool with spawnSync and parses its output.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse, parseAllDocuments } from 'yaml';

/** The repository root (this file is deploy/test/support/tools.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TOOLS_DIR = join(REPO_ROOT, '.cache', 'tools');
export const TOOLS_BIN = join(TOOLS_DIR, 'bin');
export const SCHEMAS_DIR = join(TOOLS_DIR, 'schemas');
/** The Kubernetes version the charts target: helm's --kube-version, kubeconform's schemas. */
export const KUBERNETES_VERSION = '1.33.0';

/** kubeconform schema locations, both local: built-in kinds, then the CRDs of deploy/crds. */
export const KUBECONFORM_SCHEMA_LOCATIONS: readonly string[] = [
  join(SCHEMAS_DIR, 'kubernetes', '{{.ResourceKind}}{{.KindSuffix}}.json'),
  join(SCHEMAS_DIR, 'crds', '{{.Group}}', '{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'),
];

// helm gets a home of its own under .cache/tools: no user repositories, nothing written to ~.
const HELM_HOME = join(TOOLS_DIR, 'helm-home');
const HELM_ENV: NodeJS.ProcessEnv = {
  HELM_CACHE_HOME: join(HELM_HOME, 'cache'),
  HELM_CONFIG_HOME: join(HELM_HOME, 'config'),
  HELM_DATA_HOME: join(HELM_HOME, 'data'),
};

// ---------------------------------------------------------------------------------------------
// Running commands

export interface RunOptions {
  /** Written to the command's standard input. */
  input?: string;
  cwd?: string;
  /** Added to (and overriding) process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  /** The exit status; 128 + signal number when killed by a signal, 127 when it could not start. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion. Never throws for a non-zero exit status or a missing command. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(command, args, {
    input: options.input ?? '',
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.error !== undefined && result.status === null && result.signal === null) {
    return { code: 127, stdout: result.stdout ?? '', stderr: `${command}: ${result.error.message}` };
  }
  let code = result.status ?? 1;
  if (result.status === null && result.signal !== null) code = 128 + (constants.signals[result.signal] ?? 0);
  return { code, stdout: result.stdout, stderr: result.stderr };
}

/** The path of a tool in .cache/tools/bin; throws with the way to install it when missing. */
export function toolPath(
  name: 'helm' | 'kubeconform' | 'kube-score' | 'pss-check' | 'promtool' | 'tofu' | 'tflint' | 'checkov',
): string {
  const path = join(TOOLS_BIN, name);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`make deploy-tools\` (deploy/tools/install.sh) first`);
  }
  return path;
}

function failure(what: string, result: RunResult): Error {
  const output = [result.stderr.trim(), result.stdout.trim()].filter((s) => s !== '').join('\n');
  return new Error(`${what} failed (exit ${result.code})${output === '' ? '' : `:\n${output}`}`);
}

// ---------------------------------------------------------------------------------------------
// Manifests

/** A Kubernetes object as parsed from YAML; fields beyond the type meta are left unknown. */
export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The objects of multi-document YAML (such as `helm template` output), skipping empty and
 * comment-only documents. Parsed as YAML 1.1, like the API server's decoder (`on`, `yes` are
 * booleans, `0644` is octal). Throws on YAML errors and on documents that are not objects.
 */
export function parseManifests(yamlText: string): KubernetesManifest[] {
  const manifests: KubernetesManifest[] = [];
  for (const doc of parseAllDocuments(yamlText, { version: '1.1' })) {
    if (doc.errors.length > 0) {
      throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue;
    if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
      throw new Error(`a YAML document is not a Kubernetes object: ${JSON.stringify(value).slice(0, 200)}`);
    }
    const metadata = isRecord(value.metadata) ? value.metadata : {};
    manifests.push({ ...value, apiVersion: value.apiVersion, kind: value.kind, metadata });
  }
  return manifests;
}

// ---------------------------------------------------------------------------------------------
// helm

export interface HelmTemplateOptions {
  /** The chart directory, absolute or relative to the repository root. */
  chart: string;
  release: string;
  namespace: string;
  /** Values files (-f), in order, absolute or relative to the repository root. */
  valuesFiles?: readonly string[];
  /** --set key=value (commas and backslashes in values are escaped). */
  set?: Record<string, string>;
  /** --set-string key=value. */
  setString?: Record<string, string>;
  /** --kube-version; default KUBERNETES_VERSION (1.33.0). */
  kubeVersion?: string;
  /** --api-versions, for charts that test .Capabilities.APIVersions (e.g. monitoring.coreos.com/v1). */
  apiVersions?: readonly string[];
  /** --include-crds. */
  includeCrds?: boolean;
  /** --show-only templates/x.yaml (relative to the chart). */
  showOnly?: readonly string[];
}

function setArgs(flag: string, values: Record<string, string> | undefined): string[] {
  if (values === undefined) return [];
  return Object.entries(values).flatMap(([key, value]) => [
    flag,
    `${key}=${value.replace(/\\/g, '\\\\').replace(/,/g, '\\,')}`,
  ]);
}

interface ChartDependency {
  name: string;
  repository?: string;
}

function chartDependencies(chartDir: string): ChartDependency[] {
  const chartFile = join(chartDir, 'Chart.yaml');
  const chart: unknown = parse(readFileSync(chartFile, 'utf8'));
  if (!isRecord(chart)) throw new Error(`${chartFile} is not a chart`);
  const deps = chart.dependencies;
  if (deps === undefined || deps === null) return [];
  if (!Array.isArray(deps)) throw new Error(`${chartFile}: dependencies is not a list`);
  return deps.map((dep: unknown) => {
    if (!isRecord(dep) || typeof dep.name !== 'string')
      throw new Error(`${chartFile}: a dependency has no name`);
    return { name: dep.name, ...(typeof dep.repository === 'string' ? { repository: dep.repository } : {}) };
  });
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'charts' || entry.startsWith('.')) continue; // its own packaged dependencies
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** The packaged dependency in charts/ is missing, or older than the chart files it came from. */
function dependenciesOutdated(chartDir: string, deps: readonly ChartDependency[]): boolean {
  const packagedDir = join(chartDir, 'charts');
  if (!existsSync(packagedDir)) return true;
  const packaged = readdirSync(packagedDir);
  const since = Math.max(
    statSync(join(chartDir, 'Chart.yaml')).mtimeMs,
    existsSync(join(chartDir, 'Chart.lock')) ? statSync(join(chartDir, 'Chart.lock')).mtimeMs : 0,
  );
  for (const dep of deps) {
    const archive = new RegExp(`^${dep.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-v?\\d.*\\.tgz$`);
    const archives = packaged.filter((f) => archive.test(f));
    if (archives.length === 0 && !packaged.includes(dep.name)) return true;
    const builtAt = Math.min(...archives.map((f) => statSync(join(packagedDir, f)).mtimeMs));
    if (archives.length > 0 && builtAt < since) return true;
    if (dep.repository?.startsWith('file://') === true && archives.length > 0) {
      const source = resolve(chartDir, dep.repository.slice('file://'.length));
      if (existsSync(source) && newestMtime(source) > builtAt) return true;
    }
  }
  return false;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Runs fn holding a lock directory under .cache/tools/locks (test files run in parallel workers). */
function withLock<T>(name: string, fn: () => T): T {
  const locks = join(TOOLS_DIR, 'locks');
  mkdirSync(locks, { recursive: true });
  const lock = join(locks, createHash('sha256').update(name).digest('hex').slice(0, 16));
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (${name})`);
      Atomics.wait(sleepCell, 0, 0, 50);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Runs `helm dependency build` when the chart has dependencies and its charts/ directory is
 * missing or older than Chart.yaml, Chart.lock or a file:// dependency's sources (the library
 * chart, `repository: file://../fleetwatch-lib`). Falls back to `helm dependency update` when
 * Chart.lock is missing or out of sync. Never refreshes repositories (offline).
 */
export function ensureChartDependencies(chart: string): void {
  const chartDir = resolve(REPO_ROOT, chart);
  const deps = chartDependencies(chartDir);
  if (deps.length === 0) return;
  withLock(`helm-deps:${chartDir}`, () => {
    if (!dependenciesOutdated(chartDir, deps)) return;
    const helm = toolPath('helm');
    let result = run(helm, ['dependency', 'build', '--skip-refresh', chartDir], { env: HELM_ENV });
    if (result.code !== 0 && /Chart\.lock|out of sync/i.test(result.stderr + result.stdout)) {
      result = run(helm, ['dependency', 'update', '--skip-refresh', chartDir], { env: HELM_ENV });
    }
    if (result.code !== 0) throw failure(`helm dependency build ${chart}`, result);
  });
}

/** `helm template`: the rendered YAML. Throws with helm's stderr when rendering fails. */
export function helmTemplate(options: HelmTemplateOptions): string {
  const chartDir = resolve(REPO_ROOT, options.chart);
  ensureChartDependencies(chartDir);
  const args = [
    'template',
    options.release,
    chartDir,
    '--namespace',
    options.namespace,
    '--kube-version',
    options.kubeVersion ?? KUBERNETES_VERSION,
    ...(options.valuesFiles ?? []).flatMap((file) => ['--values', resolve(REPO_ROOT, file)]),
    ...setArgs('--set', options.set),
    ...setArgs('--set-string', options.setString),
    ...(options.apiVersions ?? []).flatMap((v) => ['--api-versions', v]),
    ...(options.includeCrds === true ? ['--include-crds'] : []),
    ...(options.showOnly ?? []).flatMap((t) => ['--show-only', t]),
  ];
  const result = run(toolPath('helm'), args, { env: HELM_ENV });
  if (result.code !== 0) throw failure(`helm template ${options.chart}`, result);
  return result.stdout;
}

export interface HelmLintOptions {
  /** --strict: warnings fail the lint too. */
  strict?: boolean;
  set?: Record<string, string>;
  namespace?: string;
  /** --kube-version; default KUBERNETES_VERSION. */
  kubeVersion?: string;
}

export interface HelmLintResult extends RunResult {
  ok: boolean;
  /** The "[ERROR] ..." lines, without the prefix. */
  errors: string[];
  /** The "[WARNING] ..." lines, without the prefix. */
  warnings: string[];
}

/** `helm lint`: ok is true when helm exits 0 (with --strict, warnings count as failures). */
export function helmLint(
  chart: string,
  valuesFiles: readonly string[] = [],
  options: HelmLintOptions = {},
): HelmLintResult {
  const chartDir = resolve(REPO_ROOT, chart);
  ensureChartDependencies(chartDir);
  const args = [
    'lint',
    chartDir,
    '--kube-version',
    options.kubeVersion ?? KUBERNETES_VERSION,
    ...(options.strict === true ? ['--strict'] : []),
    ...(options.namespace === undefined ? [] : ['--namespace', options.namespace]),
    ...valuesFiles.flatMap((file) => ['--values', resolve(REPO_ROOT, file)]),
    ...setArgs('--set', options.set),
  ];
  const result = run(toolPath('helm'), args, { env: HELM_ENV });
  const lines = `${result.stdout}\n${result.stderr}`.split('\n');
  const tagged = (tag: string): string[] =>
    lines
      .filter((l) => l.trimStart().startsWith(`[${tag}]`))
      .map((l) =>
        l
          .trimStart()
          .slice(tag.length + 2)
          .trim(),
      );
  return { ...result, ok: result.code === 0, errors: tagged('ERROR'), warnings: tagged('WARNING') };
}

// ---------------------------------------------------------------------------------------------
// kubeconform

export interface KubeconformFailure {
  filename: string;
  kind: string;
  name: string;
  /** apiVersion */
  version: string;
  /** statusInvalid (schema violations), statusError (unparsable, no schema, ...), statusSkipped. */
  status: string;
  msg: string;
  /** kubeconform's own list: the top-level schema errors only (nested causes are left out). */
  validationErrors: { path: string; msg: string }[];
  /**
   * Every schema error, nested causes included (parsed from msg), without the "validation
   * failed" nodes that only group causes: what to match in assertions.
   */
  errors: { path: string; msg: string }[];
}

export interface KubeconformResult extends RunResult {
  /** No resource invalid or in error. */
  valid: boolean;
  failures: KubeconformFailure[];
  summary: { valid: number; invalid: number; errors: number; skipped: number };
}

export interface KubeconformOptions {
  /** -ignore-missing-schemas: kinds without a schema are skipped instead of failing. */
  ignoreMissingSchemas?: boolean;
  /** -skip: kinds (or apiVersion/kind) not validated. */
  skipKinds?: readonly string[];
}

const ERROR_IN_MSG = /- at '([^']*)': (.*?)(?=\s+- at '|$)/g;

/** The "- at '<path>': <message>" entries of a kubeconform (jsonschema) message, at every depth. */
function errorsInMsg(msg: string): { path: string; msg: string }[] {
  return [...msg.matchAll(ERROR_IN_MSG)]
    .map((m) => ({ path: m[1] ?? '', msg: (m[2] ?? '').trim() }))
    .filter((e) => e.msg !== 'validation failed');
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Validates manifests offline against the Kubernetes 1.33 strict schemas and the CRD schemas:
 * unknown fields, wrong types and missing required fields are failures, and so is a kind with no
 * schema (unless ignoreMissingSchemas).
 */
export function kubeconform(yamlText: string, options: KubeconformOptions = {}): KubeconformResult {
  const args = [
    '-strict',
    '-summary',
    '-output',
    'json',
    '-kubernetes-version',
    KUBERNETES_VERSION,
    ...KUBECONFORM_SCHEMA_LOCATIONS.flatMap((location) => ['-schema-location', location]),
    ...(options.ignoreMissingSchemas === true ? ['-ignore-missing-schemas'] : []),
    ...(options.skipKinds !== undefined && options.skipKinds.length > 0
      ? ['-skip', options.skipKinds.join(',')]
      : []),
    '-',
  ];
  const result = run(toolPath('kubeconform'), args, { input: yamlText });
  let report: unknown;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    throw failure('kubeconform', result);
  }
  if (!isRecord(report) || !isRecord(report.summary))
    throw failure('kubeconform (unexpected output)', result);
  const summary = report.summary;
  const count = (key: string): number => (typeof summary[key] === 'number' ? summary[key] : 0);
  const resources = Array.isArray(report.resources) ? (report.resources as unknown[]) : [];
  const failures = resources.filter(isRecord).map((r): KubeconformFailure => {
    const validationErrors = (Array.isArray(r.validationErrors) ? (r.validationErrors as unknown[]) : [])
      .filter(isRecord)
      .map((e) => ({ path: asString(e.path), msg: asString(e.msg) }));
    const parsed = errorsInMsg(asString(r.msg));
    return {
      filename: asString(r.filename),
      kind: asString(r.kind),
      name: asString(r.name),
      version: asString(r.version),
      status: asString(r.status),
      msg: asString(r.msg),
      validationErrors,
      errors: parsed.length > 0 ? parsed : validationErrors,
    };
  });
  const summaryCounts = {
    valid: count('valid'),
    invalid: count('invalid'),
    errors: count('errors'),
    skipped: count('skipped'),
  };
  return {
    ...result,
    valid: result.code === 0 && summaryCounts.invalid === 0 && summaryCounts.errors === 0,
    failures: failures.filter((f) => f.status !== 'statusValid'),
    summary: summaryCounts,
  };
}

// ---------------------------------------------------------------------------------------------
// kube-score

export interface KubeScoreFinding {
  kind: string;
  name: string;
  namespace: string;
  /** The check's id, e.g. container-resources, pod-probes (what ignoreTests takes). */
  check: string;
  checkName: string;
  severity: 'critical' | 'warning';
  /** The container (or other part) the comment is about; may be empty. */
  path: string;
  summary: string;
  description: string;
}

export interface KubeScoreResult extends RunResult {
  findings: KubeScoreFinding[];
  critical: KubeScoreFinding[];
  warnings: KubeScoreFinding[];
}

export interface KubeScoreOptions {
  /** --ignore-test: check ids not run. */
  ignoreTests?: readonly string[];
  /** --enable-optional-test: optional check ids to run too. */
  enableOptionalTests?: readonly string[];
  /** --kubernetes-version; default v1.33. */
  kubernetesVersion?: string;
}

// kube-score's grades (scorecard.Grade): 1 critical, 5 warning, 7 almost OK, 10 OK.
const GRADE_CRITICAL = 1;
const GRADE_WARNING = 5;

/** kube-score's best-practice checks; findings are the critical and warning comments. */
export function kubeScore(yamlText: string, options: KubeScoreOptions = {}): KubeScoreResult {
  const [major, minor] = KUBERNETES_VERSION.split('.');
  const args = [
    'score',
    '-',
    '--output-format',
    'json',
    '--color',
    'never',
    '--kubernetes-version',
    options.kubernetesVersion ?? `v${major}.${minor}`,
    ...(options.ignoreTests ?? []).flatMap((id) => ['--ignore-test', id]),
    ...(options.enableOptionalTests ?? []).flatMap((id) => ['--enable-optional-test', id]),
  ];
  const result = run(toolPath('kube-score'), args, { input: yamlText });
  let report: unknown;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    throw failure('kube-score', result);
  }
  if (report === null) report = []; // no objects kube-score knows
  if (!Array.isArray(report)) throw failure('kube-score (unexpected output)', result);
  const findings: KubeScoreFinding[] = [];
  for (const object of report as unknown[]) {
    if (!isRecord(object)) continue;
    const typeMeta = isRecord(object.type_meta) ? object.type_meta : {};
    const objectMeta = isRecord(object.object_meta) ? object.object_meta : {};
    const checks = Array.isArray(object.checks) ? (object.checks as unknown[]) : [];
    for (const scored of checks) {
      if (!isRecord(scored) || scored.skipped === true || typeof scored.grade !== 'number') continue;
      if (scored.grade > GRADE_WARNING) continue;
      const check = isRecord(scored.check) ? scored.check : {};
      const base = {
        kind: asString(typeMeta.kind),
        name: asString(objectMeta.name),
        namespace: asString(objectMeta.namespace),
        check: asString(check.id),
        checkName: asString(check.name),
        severity: scored.grade <= GRADE_CRITICAL ? ('critical' as const) : ('warning' as const),
      };
      const comments = Array.isArray(scored.comments) ? (scored.comments as unknown[]).filter(isRecord) : [];
      if (comments.length === 0)
        findings.push({ ...base, path: '', summary: base.checkName, description: '' });
      for (const comment of comments) {
        findings.push({
          ...base,
          path: asString(comment.path),
          summary: asString(comment.summary),
          description: asString(comment.description),
        });
      }
    }
  }
  return {
    ...result,
    findings,
    critical: findings.filter((f) => f.severity === 'critical'),
    warnings: findings.filter((f) => f.severity === 'warning'),
  };
}

// ---------------------------------------------------------------------------------------------
// pss-check

export interface PssViolation {
  kind: string;
  namespace: string;
  name: string;
  /** The Pod Security Admission check's reason, e.g. "runAsNonRoot != true", "seccompProfile". */
  reason: string;
  detail: string;
}

export interface PssCheckResult extends RunResult {
  /** No violation (and, with requirePods, at least one pod spec). */
  ok: boolean;
  podSpecsChecked: number;
  violations: PssViolation[];
}

export interface PssCheckOptions {
  /** Pod Security Standards level; default restricted. */
  level?: 'privileged' | 'baseline' | 'restricted';
  /** Policy version; default latest (the library's, Kubernetes 1.33). */
  version?: string;
  /** Fail (ok false, exit 2) when the YAML holds no pod spec. */
  requirePods?: boolean;
}

const VIOLATION_LINE = /^([^/\s]+)\/([^/]*)\/([^:]+): (.+?): (.*)$/;
const SUMMARY_LINE = /^pss-check: (\d+) pod specs checked, (\d+) violations/;

/**
 * Evaluates every pod spec (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob
 * templates) against the Pod Security Standards with the upstream admission library.
 */
export function pssCheck(yamlText: string, options: PssCheckOptions = {}): PssCheckResult {
  const args = [
    '--level',
    options.level ?? 'restricted',
    '--version',
    options.version ?? 'latest',
    ...(options.requirePods === true ? ['--require-pods'] : []),
  ];
  const result = run(toolPath('pss-check'), args, { input: yamlText });
  const summary = SUMMARY_LINE.exec(result.stdout.split('\n').find((l) => SUMMARY_LINE.test(l)) ?? '');
  if (summary === null || (result.code !== 0 && result.code !== 1 && !/no pod specs/.test(result.stderr))) {
    throw failure('pss-check', result);
  }
  const violations: PssViolation[] = [];
  for (const line of result.stdout.split('\n')) {
    const m = VIOLATION_LINE.exec(line);
    if (m === null || line.startsWith('pss-check:')) continue;
    violations.push({
      kind: m[1] ?? '',
      namespace: m[2] ?? '',
      name: m[3] ?? '',
      reason: m[4] ?? '',
      detail: m[5] ?? '',
    });
  }
  return { ...result, ok: result.code === 0, podSpecsChecked: Number(summary[1]), violations };
}

// ---------------------------------------------------------------------------------------------
// promtool

export interface PromtoolResult extends RunResult {
  /** promtool exited 0 (every rule file valid, every rule test passed). */
  ok: boolean;
}

/**
 * Runs promtool (Prometheus 2.42, from Debian's package) from the repository root, e.g.
 * `['check', 'rules', file...]` or `['test', 'rules', file...]`; input goes to its standard input
 * (`['check', 'metrics']` lints an exposition read from there). Never throws for a failed check:
 * the output says what failed.
 */
export function promtool(args: readonly string[], input?: string): PromtoolResult {
  const result = run(toolPath('promtool'), args, input === undefined ? {} : { input });
  if (result.code === 127) throw failure('promtool', result);
  return { ...result, ok: result.code === 0 };
}

// ---------------------------------------------------------------------------------------------
// Terraform: tofu fmt, tflint, checkov

/** The Terraform code (modules/, envs/, bootstrap/), and the TFLint configuration for all of it. */
export const TERRAFORM_DIR = join(REPO_ROOT, 'deploy', 'terraform');
export const TFLINT_CONFIG = join(TERRAFORM_DIR, '.tflint.hcl');

// No user CLI configuration (a TF_CLI_CONFIG_FILE naming a missing file only adds warnings), no
// version checkpoint calls.
const TOFU_ENV: NodeJS.ProcessEnv = {
  TF_CLI_CONFIG_FILE: '/dev/null',
  TF_IN_AUTOMATION: '1',
  CHECKPOINT_DISABLE: '1',
};

function repoPath(path: string): string {
  return relative(REPO_ROOT, resolve(REPO_ROOT, path));
}

export interface TerraformFmtResult extends RunResult {
  /** Every file is formatted (and parses). */
  ok: boolean;
  /** The files fmt would rewrite, relative to the repository root. */
  files: string[];
  /** The unified diff of what fmt would change. */
  diff: string;
}

/**
 * `tofu fmt -check -recursive -diff PATH`: the HCL formatter of `terraform fmt` (OpenTofu is what
 * deploy/tools/install.sh can build; see there). A file that does not parse fails too (exit 2).
 */
export function terraformFmtCheck(path: string): TerraformFmtResult {
  const result = run(
    toolPath('tofu'),
    ['fmt', '-check', '-recursive', '-diff', '-no-color', resolve(REPO_ROOT, path)],
    { env: TOFU_ENV },
  );
  if (result.code === 127) throw failure('tofu fmt', result);
  const lines = result.stdout.split('\n');
  // -check lists each file, -diff follows with its diff (lines starting with ---, +++, @@, ' ', -, +).
  const files = lines.filter((l) => l !== '' && !/^[-+@ \\]/.test(l)).map(repoPath);
  const diff = lines.filter((l) => /^[-+@ \\]/.test(l)).join('\n');
  return { ...result, ok: result.code === 0, files, diff };
}

export interface TflintIssue {
  /** e.g. terraform_typed_variables */
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Relative to the repository root. */
  file: string;
  line: number;
}

export interface TflintResult extends RunResult {
  /** No issue at any severity (notices included) and no error. */
  ok: boolean;
  issues: TflintIssue[];
  /** Configuration or parse errors, which stop TFLint before it checks anything. */
  errors: string[];
}

export interface TflintOptions {
  /** --recursive: every directory below with .tf files, as its own module. */
  recursive?: boolean;
  /** --config; default deploy/terraform/.tflint.hcl. */
  config?: string;
}

/**
 * TFLint over one module directory (or, with recursive, every module below it) with the bundled
 * Terraform ruleset only (nothing is downloaded: no --init). Module calls to local paths are
 * followed (call_module_type = "local" in the configuration).
 */
export function tflint(dir: string, options: TflintOptions = {}): TflintResult {
  const cwd = resolve(REPO_ROOT, dir);
  const args = [
    '--format',
    'json',
    '--no-color',
    '--config',
    resolve(REPO_ROOT, options.config ?? TFLINT_CONFIG),
    ...(options.recursive === true ? ['--recursive'] : []),
  ];
  const result = run(toolPath('tflint'), args, { cwd });
  let report: unknown;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    throw failure('tflint', result);
  }
  if (!isRecord(report)) throw failure('tflint (unexpected output)', result);
  const issues = (Array.isArray(report.issues) ? (report.issues as unknown[]) : [])
    .filter(isRecord)
    .map((issue): TflintIssue => {
      const rule = isRecord(issue.rule) ? issue.rule : {};
      const range = isRecord(issue.range) ? issue.range : {};
      const start = isRecord(range.start) ? range.start : {};
      const severity = asString(rule.severity);
      return {
        rule: asString(rule.name),
        severity: severity === 'error' || severity === 'warning' ? severity : 'info',
        message: asString(issue.message),
        file: repoPath(resolve(cwd, asString(range.filename))),
        line: typeof start.line === 'number' ? start.line : 0,
      };
    });
  const errors = (Array.isArray(report.errors) ? (report.errors as unknown[]) : [])
    .filter(isRecord)
    .map((error) => asString(error.message));
  return { ...result, ok: result.code === 0 && issues.length === 0 && errors.length === 0, issues, errors };
}

export interface CheckovFinding {
  /** e.g. CKV_AWS_20, CKV2_AWS_6 */
  checkId: string;
  checkName: string;
  /** e.g. aws_s3_bucket.logs, module.network.aws_vpc.this */
  resource: string;
  /** Relative to the repository root. */
  file: string;
  /** First and last line of the resource block. */
  lines: [number, number];
  /** For skipped checks: the reason written after the check id (checkov says "No comment provided"). */
  suppressComment?: string;
}

export interface CheckovResult extends RunResult {
  /** No failed check and no file checkov could not parse. */
  ok: boolean;
  passed: number;
  failed: CheckovFinding[];
  skipped: CheckovFinding[];
  /** Files checkov could not parse (their resources go unchecked). */
  parsingErrors: string[];
  resourceCount: number;
}

// checkov runs offline: no check for a newer checkov, no download of policies or guidelines.
const CHECKOV_ENV: NodeJS.ProcessEnv = {
  CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true',
  LOG_LEVEL: 'WARNING',
};

function checkovFindings(value: unknown): CheckovFinding[] {
  return (Array.isArray(value) ? (value as unknown[]) : []).filter(isRecord).map((check) => {
    const range = Array.isArray(check.file_line_range) ? (check.file_line_range as unknown[]) : [];
    const result = isRecord(check.check_result) ? check.check_result : {};
    const line = (index: number): number => {
      const n = range[index];
      return typeof n === 'number' ? n : 0;
    };
    return {
      checkId: asString(check.check_id),
      checkName: asString(check.check_name),
      resource: asString(check.resource),
      file: repoPath(asString(check.file_abs_path)),
      lines: [line(0), line(1)],
      ...(typeof result.suppress_comment === 'string' ? { suppressComment: result.suppress_comment } : {}),
    };
  });
}

/**
 * `checkov --directory DIR --framework terraform` (offline: --skip-download), every check of the
 * installed version; local module calls are followed. Suppressions are `#checkov:skip=ID:reason`
 * comments in the resources (see checkovSuppressions).
 */
export function checkov(dir: string): CheckovResult {
  const args = [
    '--directory',
    resolve(REPO_ROOT, dir),
    '--framework',
    'terraform',
    '--skip-download',
    '--output',
    'json',
  ];
  const result = run(toolPath('checkov'), args, { env: CHECKOV_ENV });
  let report: unknown;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    throw failure('checkov', result);
  }
  // One report per framework; with --framework terraform a single one. With no resource at all it
  // is only the summary.
  const reports = (Array.isArray(report) ? (report as unknown[]) : [report]).filter(isRecord);
  if (reports.length === 0) throw failure('checkov (unexpected output)', result);
  const failed: CheckovFinding[] = [];
  const skipped: CheckovFinding[] = [];
  const parsingErrors: string[] = [];
  let passed = 0;
  let resourceCount = 0;
  for (const r of reports) {
    const summary = isRecord(r.summary) ? r.summary : r;
    passed += typeof summary.passed === 'number' ? summary.passed : 0;
    resourceCount += typeof summary.resource_count === 'number' ? summary.resource_count : 0;
    const results = isRecord(r.results) ? r.results : {};
    failed.push(...checkovFindings(results.failed_checks));
    skipped.push(...checkovFindings(results.skipped_checks));
    if (Array.isArray(results.parsing_errors))
      parsingErrors.push(...(results.parsing_errors as unknown[]).map(String));
  }
  if (result.code !== 0 && failed.length === 0 && parsingErrors.length === 0)
    throw failure('checkov', result);
  return {
    ...result,
    ok: failed.length === 0 && parsingErrors.length === 0,
    passed,
    failed,
    skipped,
    parsingErrors,
    resourceCount,
  };
}

export interface CheckovSuppression {
  /** Relative to the repository root. */
  file: string;
  line: number;
  checkIds: string[];
  /** The text after "ID:" (up to a closing star-slash), trimmed; empty when there is none. */
  reason: string;
}

// What checkov itself honours (checkov/common/comment/enum.py): checkov:skip= or bridgecrew:skip=,
// one or more comma-separated check ids, then an optional ":reason" to the end of the line.
const SUPPRESSION = /(?:checkov|bridgecrew):skip=\s*([A-Za-z_\d]+(?:,[A-Za-z_\d]+)*)?(?::([^\n]*))?/g;

/** The checkov suppressions in one file's text. */
export function parseCheckovSuppressions(text: string, file: string): CheckovSuppression[] {
  const suppressions: CheckovSuppression[] = [];
  text.split('\n').forEach((content, index) => {
    for (const m of content.matchAll(SUPPRESSION)) {
      suppressions.push({
        file,
        line: index + 1,
        checkIds: (m[1] ?? '').split(',').filter((id) => id !== ''),
        // A reason in a /* */ comment ends before the comment does.
        reason: (m[2] ?? '').replace(/\*\/.*$/, '').trim(),
      });
    }
  });
  return suppressions;
}

/** The .tf files below a directory (not .terraform/), relative to the repository root, sorted. */
export function terraformFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name !== '.terraform') walk(join(path, entry.name));
      } else if (entry.name.endsWith('.tf')) {
        files.push(repoPath(join(path, entry.name)));
      }
    }
  };
  walk(resolve(REPO_ROOT, dir));
  return files.sort();
}

/** Every checkov suppression in the .tf files below a directory. */
export function checkovSuppressions(dir: string): CheckovSuppression[] {
  return terraformFiles(dir).flatMap((file) =>
    parseCheckovSuppressions(readFileSync(join(REPO_ROOT, file), 'utf8'), file),
  );
}
