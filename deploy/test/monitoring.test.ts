/**
 * charts/fleetwatch-monitoring: Fleetwatch's Prometheus rules and Grafana dashboards.
 *   - files/rules/*.yaml are plain Prometheus rule files: `promtool check rules` accepts them, and
 *     `promtool test rules` runs the unit tests in tests/*.yaml, which must make every alert fire in
 *     one case and stay quiet in another, and check every recording rule's value. Every alert has a
 *     severity (page or ticket), a summary, a description and a runbook in docs/runbooks.md.
 *   - the chart renders one PrometheusRule per rule file, equal to it (alert templates untouched),
 *     and one ConfigMap per dashboard for kube-prometheus-stack's Grafana sidecar; helm lint,
 *     kubeconform (PrometheusRule CRD schema) and the values schema; the Argo CD application wires
 *     it to kube-prometheus-stack's Prometheus and Grafana.
 *   - files/dashboards/*.json type-check against @grafana/schema's dashboard types, are laid out on
 *     the 24-column grid, query through the datasource variable, and their queries parse as PromQL.
 *   - every metric a rule or a dashboard queries is one the services export: the service processes
 *     are started against the test PostgreSQL and Kafka and scraped (support/service-metrics.ts),
 *     plus a short list of metrics from other exporters and the rules' own recorded series.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';

import {
  CHECKED_PANEL_TYPES,
  grafanaSchemaVersion,
  typeCheckDashboards,
  type DashboardFile,
} from './support/grafana-dashboards.js';
import { metricNames, variableQueryMetricNames } from './support/promql.js';
import { scrapeServiceMetrics, type ScrapedProcess } from './support/service-metrics.js';
import {
  REPO_ROOT,
  helmLint,
  helmTemplate,
  kubeconform,
  parseManifests,
  promtool,
  run,
  toolPath,
  type KubernetesManifest,
} from './support/tools.js';

const CHART = 'charts/fleetwatch-monitoring';
const CHART_DIR = join(REPO_ROOT, CHART);
const RULES_DIR = join(CHART_DIR, 'files', 'rules');
const TESTS_DIR = join(CHART_DIR, 'tests');
const DASHBOARDS_DIR = join(CHART_DIR, 'files', 'dashboards');
const RUNBOOKS = join(REPO_ROOT, 'docs', 'runbooks.md');
const RUNBOOK_URL = 'https://github.com/fleetwatch/fleetwatch/blob/main/docs/runbooks.md';
const RELEASE = 'fleetwatch-monitoring';
const NAMESPACE = 'monitoring';
const SEVERITIES = ['page', 'ticket'];

const scratch = mkdtempSync(join(tmpdir(), 'monitoring-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function obj(value: unknown, what: string): Obj {
  if (!isObj(value)) throw new Error(`${what} is not an object: ${JSON.stringify(value)}`);
  return value;
}
function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
function strings(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(isObj(value) ? value : {}).map(([k, v]) => [k, String(v)]));
}
function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isObj(current) ? current[key] : undefined;
  return current;
}

function filesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}
const repoPath = (file: string): string => relative(REPO_ROOT, file);

// ---------------------------------------------------------------------------------------------
// Rule files and promtool test files

interface Rule {
  file: string;
  group: string;
  record?: string;
  alert?: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function readRules(file: string): Rule[] {
  const doc = obj(parse(readFileSync(file, 'utf8')), file);
  return arr(doc.groups).flatMap((group) =>
    arr(at(group, 'rules')).map((rule): Rule => {
      const r = obj(rule, `${file}: a rule`);
      return {
        file,
        group: str(at(group, 'name')),
        ...(typeof r.record === 'string' ? { record: r.record } : {}),
        ...(typeof r.alert === 'string' ? { alert: r.alert } : {}),
        expr: str(r.expr),
        labels: strings(r.labels),
        annotations: strings(r.annotations),
      };
    }),
  );
}

const ruleFiles = filesIn(RULES_DIR, '.yaml');
const rules = ruleFiles.flatMap(readRules);
const alerts = rules.filter((r) => r.alert !== undefined);
const recordingRules = rules.filter((r) => r.record !== undefined);
const recordedNames = new Set(recordingRules.map((r) => r.record ?? ''));

interface RuleTestFile {
  file: string;
  ruleFiles: string[];
  /** Per alert_rule_test: the alert and whether it expects alerts. */
  alertCases: { test: string; alertname: string; evalTime: string; fires: boolean }[];
  promqlExprs: string[];
}

function readRuleTests(file: string): RuleTestFile {
  const doc = obj(parse(readFileSync(file, 'utf8')), file);
  const tests = arr(doc.tests);
  return {
    file,
    ruleFiles: arr(doc.rule_files).map((f) => resolve(TESTS_DIR, String(f))),
    alertCases: tests.flatMap((test) =>
      arr(at(test, 'alert_rule_test')).map((c) => ({
        test: str(at(test, 'name')),
        alertname: str(at(c, 'alertname')),
        evalTime: String(at(c, 'eval_time')),
        fires: arr(at(c, 'exp_alerts')).length > 0,
      })),
    ),
    promqlExprs: tests.flatMap((test) => arr(at(test, 'promql_expr_test')).map((c) => str(at(c, 'expr')))),
  };
}

const testFiles = filesIn(TESTS_DIR, '.yaml');
const ruleTests = testFiles.map(readRuleTests);

/** Alerts without a firing case and without a quiet case in the promtool tests. */
function alertCoverage(
  alertNames: readonly string[],
  tests: readonly RuleTestFile[],
): { neverFires: string[]; neverQuiet: string[] } {
  const cases = tests.flatMap((t) => t.alertCases);
  return {
    neverFires: alertNames.filter((a) => !cases.some((c) => c.alertname === a && c.fires)),
    neverQuiet: alertNames.filter((a) => !cases.some((c) => c.alertname === a && !c.fires)),
  };
}

describe('rule files (files/rules/)', () => {
  it('promtool check rules accepts every rule file', () => {
    expect(ruleFiles.map((f) => basename(f))).toEqual(['api-slo.yaml', 'ingestion.yaml', 'runtime.yaml']);
    const result = promtool(['check', 'rules', ...ruleFiles]);
    expect(result.ok, result.stdout + result.stderr).toBe(true);
    expect(result.stdout).not.toMatch(/FAILED|WARNING/);
  });

  it('promtool check rules fails a broken rule file (the check can fail)', () => {
    const broken = join(scratch, 'broken-rules.yaml');
    writeFileSync(
      broken,
      stringify({ groups: [{ name: 'x', rules: [{ alert: 'X', expr: 'sum by (job (up)' }] }] }),
    );
    const result = promtool(['check', 'rules', broken]);
    expect(result.ok).toBe(false);
    expect(result.stdout + result.stderr).toMatch(/parse error|unexpected/);
  });

  it('every alert has a severity (page or ticket), a summary, a description and its runbook URL', () => {
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) {
      const name = a.alert ?? '';
      expect(SEVERITIES, `${name} severity`).toContain(a.labels.severity);
      expect(a.annotations.summary?.trim(), `${name} summary`).toBeTruthy();
      expect(a.annotations.description?.trim(), `${name} description`).toBeTruthy();
      expect(a.annotations.runbook_url, name).toBe(`${RUNBOOK_URL}#${name.toLowerCase()}`);
    }
  });

  it('alert names are unique, recording rules are named level:metric:operations, once each', () => {
    const alertNames = alerts.map((a) => a.alert ?? '');
    expect(new Set(alertNames).size).toBe(alertNames.length);
    const recorded = recordingRules.map((r) => r.record ?? '');
    expect(new Set(recorded).size).toBe(recorded.length);
    for (const name of recorded) expect(name).toMatch(/^[a-z_]+:[a-z_]+:[a-z0-9_]+$/);
  });

  it('the SLO recording rules carry their SLO and objective as labels', () => {
    const sli = recordingRules.filter((r) => /_errors:ratio_rate/.test(r.record ?? ''));
    expect(sli.length).toBe(10);
    for (const r of sli) {
      expect(r.labels, r.record).toMatchObject(
        /availability/.test(r.record ?? '')
          ? { slo: 'api-availability', objective: '0.995' }
          : { slo: 'api-latency', objective: '0.95', threshold: '1s' },
      );
    }
  });

  it('docs/runbooks.md has a section for every alert, and none for an alert that does not exist', () => {
    const headings = [...readFileSync(RUNBOOKS, 'utf8').matchAll(/^## (\S+)\s*$/gm)].map((m) => m[1] ?? '');
    expect([...headings].sort()).toEqual(alerts.map((a) => a.alert ?? '').sort());
  });
});

describe('promtool unit tests (tests/)', () => {
  it.each(testFiles.map((f) => [basename(f), f] as const))('promtool test rules %s passes', (_name, file) => {
    const result = promtool(['test', 'rules', file]);
    expect(result.ok, result.stdout + result.stderr).toBe(true);
    expect(result.stdout).toMatch(/SUCCESS/);
  });

  it('every rule file is tested, and the tests load only the chart rule files', () => {
    const tested = new Set(ruleTests.flatMap((t) => t.ruleFiles));
    expect([...tested].sort()).toEqual(ruleFiles);
  });

  it('every alert has a case where it fires and one where it stays quiet', () => {
    const coverage = alertCoverage(
      alerts.map((a) => a.alert ?? ''),
      ruleTests,
    );
    expect(coverage).toEqual({ neverFires: [], neverQuiet: [] });
    // The cases name only alerts that exist.
    const known = new Set(alerts.map((a) => a.alert));
    expect(
      ruleTests.flatMap((t) => t.alertCases.map((c) => c.alertname)).filter((a) => !known.has(a)),
    ).toEqual([]);
  });

  it('the coverage check reports an alert whose quiet or firing case is missing', () => {
    const without = (drop: (c: RuleTestFile['alertCases'][number]) => boolean): RuleTestFile[] =>
      ruleTests.map((t) => ({ ...t, alertCases: t.alertCases.filter((c) => !drop(c)) }));
    const names = alerts.map((a) => a.alert ?? '');
    expect(
      alertCoverage(
        names,
        without((c) => c.alertname === 'FleetwatchVesselSilent' && !c.fires),
      ),
    ).toEqual({ neverFires: [], neverQuiet: ['FleetwatchVesselSilent'] });
    expect(
      alertCoverage(
        names,
        without((c) => c.alertname === 'FleetwatchDeadLetters' && c.fires),
      ),
    ).toEqual({ neverFires: ['FleetwatchDeadLetters'], neverQuiet: [] });
  });

  it('every recording rule has its value checked (promql_expr_test)', () => {
    const checked = new Set(ruleTests.flatMap((t) => t.promqlExprs.flatMap(metricNames)));
    expect([...recordedNames].filter((name) => !checked.has(name))).toEqual([]);
  });

  it('promtool test rules fails when an expectation is wrong (the tests can fail)', () => {
    const wrong = join(scratch, 'wrong.test.yaml');
    writeFileSync(
      wrong,
      readFileSync(join(TESTS_DIR, 'runtime.test.yaml'), 'utf8')
        .replace('../files/rules/', `${RULES_DIR}/`)
        .replace('severity: page', 'severity: ticket'),
    );
    const result = promtool(['test', 'rules', wrong]);
    expect(result.ok).toBe(false);
    expect(result.stdout + result.stderr).toMatch(/FAILED/);
  });
});

// ---------------------------------------------------------------------------------------------
// The chart

const dashboardFiles = filesIn(DASHBOARDS_DIR, '.json');

function render(set: Record<string, string> = {}, valuesFiles: readonly string[] = []): KubernetesManifest[] {
  return parseManifests(
    helmTemplate({ chart: CHART, release: RELEASE, namespace: NAMESPACE, set, valuesFiles }),
  );
}

function stem(file: string): string {
  return basename(file).replace(/\.[^.]+$/, '');
}

describe('the chart (charts/fleetwatch-monitoring)', () => {
  const objects = render();
  const prometheusRules = objects.filter((o) => o.kind === 'PrometheusRule');
  const configMaps = objects.filter((o) => o.kind === 'ConfigMap');

  it('helm lint --strict passes', () => {
    const result = helmLint(CHART, [], { strict: true, namespace: NAMESPACE });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.ok, result.stdout).toBe(true);
  });

  it('renders one PrometheusRule per rule file and one ConfigMap per dashboard, nothing else', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name ?? ''}`).sort()).toEqual(
      [
        ...ruleFiles.map((f) => `PrometheusRule/${RELEASE}-${stem(f)}`),
        ...dashboardFiles.map((f) => `ConfigMap/${RELEASE}-${stem(f)}`),
      ].sort(),
    );
    for (const o of objects) expect(o.metadata.namespace, o.metadata.name).toBe(NAMESPACE);
  });

  it('kubeconform validates every object strictly (PrometheusRule against its CRD schema)', () => {
    const result = kubeconform(helmTemplate({ chart: CHART, release: RELEASE, namespace: NAMESPACE }));
    expect(result.failures).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.summary).toMatchObject({ valid: objects.length, skipped: 0 });
  });

  it.each(ruleFiles.map((f) => [basename(f), f] as const))(
    'the PrometheusRule of %s is the rule file (same groups and rules), labelled release: kube-prometheus-stack',
    (_name, file) => {
      const rule = prometheusRules.find((o) => o.metadata.name === `${RELEASE}-${stem(file)}`);
      expect(rule?.metadata.labels?.release).toBe('kube-prometheus-stack');
      expect(rule?.spec).toEqual(parse(readFileSync(file, 'utf8')));
    },
  );

  it("keeps Prometheus' alert templates as they are (no Helm rendering of {{ $labels }})", () => {
    const text = helmTemplate({ chart: CHART, release: RELEASE, namespace: NAMESPACE });
    expect(text).toContain('{{ $labels.job }} in {{ $labels.namespace }}');
    expect(text).toContain('{{ $value | humanizePercentage }}');
    const annotations = prometheusRules.flatMap((r) =>
      arr(at(r, 'spec', 'groups')).flatMap((g) =>
        arr(at(g, 'rules')).map((x) => strings(at(x, 'annotations'))),
      ),
    );
    expect(annotations.filter((a) => (a.summary ?? '').includes('{{ $labels.')).length).toBeGreaterThan(0);
  });

  it.each(dashboardFiles.map((f) => [basename(f), f] as const))(
    'the ConfigMap of %s holds the dashboard for the Grafana sidecar, in the Fleetwatch folder',
    (name, file) => {
      const cm = configMaps.find((o) => o.metadata.name === `${RELEASE}-${stem(file)}`);
      expect(cm?.metadata.labels?.grafana_dashboard).toBe('1');
      expect(cm?.metadata.annotations?.grafana_folder).toBe('Fleetwatch');
      const data = strings(cm?.data);
      expect(Object.keys(data)).toEqual([name]);
      expect(JSON.parse(data[name] ?? '')).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    },
  );

  it('the release label, the sidecar label and the folder are values', () => {
    const custom = render({
      'prometheusRules.release': 'prometheus-main',
      'dashboards.label': 'grafana.example.com/dashboard',
      'dashboards.labelValue': 'fleetwatch',
      'dashboards.folderAnnotation': 'grafana.example.com/folder',
      'dashboards.folder': 'Vessel monitoring',
    });
    for (const o of custom.filter((x) => x.kind === 'PrometheusRule'))
      expect(o.metadata.labels?.release).toBe('prometheus-main');
    for (const o of custom.filter((x) => x.kind === 'ConfigMap')) {
      expect(o.metadata.labels?.['grafana.example.com/dashboard']).toBe('fleetwatch');
      expect(o.metadata.labels?.grafana_dashboard).toBeUndefined();
      expect(o.metadata.annotations?.['grafana.example.com/folder']).toBe('Vessel monitoring');
    }
    expect(render({ 'prometheusRules.enabled': 'false', 'dashboards.enabled': 'false' })).toEqual([]);
  });

  it.each([
    ['an unknown value', { 'prometheusRules.relase': 'x' }],
    ['a release that is no label value', { 'prometheusRules.release': 'kube prometheus' }],
    ['a sidecar label that is no label key', { 'dashboards.label': 'grafana dashboard' }],
    ['an empty folder', { 'dashboards.folder': '' }],
  ])('the values schema refuses %s', (_what, set) => {
    expect(() => render(set)).toThrow(/values don't meet the specifications of the schema/);
  });

  it('the chart package leaves out the promtool tests (.helmignore)', () => {
    const result = run(toolPath('helm'), ['package', CHART_DIR, '--destination', scratch]);
    expect(result.code, result.stderr).toBe(0);
    const listing = run('tar', ['-tzf', join(scratch, `${RELEASE}-0.1.0.tgz`)]);
    expect(listing.code, listing.stderr).toBe(0);
    const files = listing.stdout.split('\n').filter((f) => f !== '');
    expect(files).toContain(`${RELEASE}/files/rules/api-slo.yaml`);
    expect(files).toContain(`${RELEASE}/files/dashboards/fleetwatch-api.json`);
    expect(files.filter((f) => f.includes('/tests/'))).toEqual([]);
  });

  it('the Argo CD application deploys it once into monitoring, after kube-prometheus-stack, with the labels its Prometheus and Grafana select', () => {
    const [app] = parseManifests(
      readFileSync(join(REPO_ROOT, 'argocd/platform/fleetwatch-monitoring.yaml'), 'utf8'),
    );
    const [stack] = parseManifests(
      readFileSync(join(REPO_ROOT, 'argocd/platform/kube-prometheus-stack.yaml'), 'utf8'),
    );
    expect(at(app, 'spec', 'project')).toBe('platform');
    expect(at(app, 'spec', 'source', 'path')).toBe(CHART);
    expect(at(app, 'spec', 'source', 'helm', 'releaseName')).toBe(RELEASE);
    expect(at(app, 'spec', 'destination', 'namespace')).toBe(NAMESPACE);
    expect(at(stack, 'spec', 'destination', 'namespace')).toBe(NAMESPACE);
    const wave = (m: KubernetesManifest | undefined): number =>
      Number(m?.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');
    expect(wave(app)).toBeGreaterThan(wave(stack));

    const valuesFile = join(scratch, 'argocd-values.yaml');
    writeFileSync(valuesFile, stringify(at(app, 'spec', 'source', 'helm', 'valuesObject')));
    const rendered = render({}, [valuesFile]);
    const sidecar = obj(
      at(stack, 'spec', 'source', 'helm', 'valuesObject', 'grafana', 'sidecar', 'dashboards'),
      'sidecar',
    );
    const release = String(at(stack, 'spec', 'source', 'helm', 'releaseName'));
    // kube-prometheus-stack's Prometheus selects rules labelled release: <its release> (ruleSelectorNilUsesHelmValues).
    expect(
      at(
        stack,
        'spec',
        'source',
        'helm',
        'valuesObject',
        'prometheus',
        'prometheusSpec',
        'ruleSelectorNilUsesHelmValues',
      ),
    ).toBe(true);
    for (const o of rendered.filter((x) => x.kind === 'PrometheusRule'))
      expect(o.metadata.labels?.release).toBe(release);
    const dashboards = rendered.filter((x) => x.kind === 'ConfigMap');
    expect(dashboards.length).toBe(dashboardFiles.length);
    expect(sidecar.provider).toMatchObject({ foldersFromFilesStructure: true });
    for (const o of dashboards) {
      expect(o.metadata.labels?.[String(sidecar.label)]).toBe(String(sidecar.labelValue));
      expect(o.metadata.annotations?.[String(sidecar.folderAnnotation)]).toBe('Fleetwatch');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Dashboards

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: unknown;
  targets: { refId: string; expr: string; datasource: unknown }[];
  panels: Panel[];
}

function readPanels(value: unknown): Panel[] {
  return arr(value).map((p): Panel => ({
    id: Number(at(p, 'id')),
    type: str(at(p, 'type')),
    title: str(at(p, 'title')),
    gridPos: {
      x: Number(at(p, 'gridPos', 'x')),
      y: Number(at(p, 'gridPos', 'y')),
      w: Number(at(p, 'gridPos', 'w')),
      h: Number(at(p, 'gridPos', 'h')),
    },
    datasource: at(p, 'datasource'),
    targets: arr(at(p, 'targets')).map((t) => ({
      refId: str(at(t, 'refId')),
      expr: str(at(t, 'expr')),
      datasource: at(t, 'datasource'),
    })),
    panels: readPanels(at(p, 'panels')),
  }));
}

interface Dashboard {
  file: string;
  json: string;
  uid: string;
  title: string;
  panels: Panel[];
  variables: { name: string; type: string; query: string; datasource: unknown }[];
}

const dashboards: Dashboard[] = dashboardFiles.map((file) => {
  const json = readFileSync(file, 'utf8');
  const doc = obj(JSON.parse(json), file);
  return {
    file: basename(file),
    json,
    uid: str(doc.uid),
    title: str(doc.title),
    panels: readPanels(doc.panels),
    variables: arr(at(doc, 'templating', 'list')).map((v) => ({
      name: str(at(v, 'name')),
      type: str(at(v, 'type')),
      query: typeof at(v, 'query') === 'string' ? str(at(v, 'query')) : str(at(v, 'query', 'query')),
      datasource: at(v, 'datasource'),
    })),
  };
});

const allPanels = (d: Dashboard): Panel[] => d.panels.flatMap((p) => [p, ...p.panels]);
const queryPanels = (d: Dashboard): Panel[] => allPanels(d).filter((p) => p.type !== 'row');
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
/** Grafana's built-in variables the queries may use. */
const BUILTIN_VARIABLES = new Set(['__rate_interval', '__interval', '__range', '__range_s', '__range_ms']);

describe('dashboards (files/dashboards/)', () => {
  it('are the API, ingestion and fleet dashboards', () => {
    expect(dashboards.map((d) => d.file)).toEqual([
      'fleetwatch-api.json',
      'fleetwatch-fleet.json',
      'fleetwatch-ingestion.json',
    ]);
  });

  it(`type-check against the Grafana dashboard schema (@grafana/schema ${grafanaSchemaVersion()})`, () => {
    const result = typeCheckDashboards(
      dashboards.map((d): DashboardFile => ({ name: d.file, json: d.json })),
    );
    expect(result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('the schema check finds unknown fields, wrong enum values, bad panel options and unknown panel types', () => {
    const api = dashboards.find((d) => d.file === 'fleetwatch-api.json');
    const original = obj(JSON.parse(api?.json ?? '{}'), 'fleetwatch-api.json');
    const panelIndex = (type: string): number =>
      arr(original.panels).findIndex((p) => at(p, 'type') === type);
    /** A copy of the API dashboard with one change, checked as a dashboard of its own. */
    const broken = (name: string, change: (doc: Obj, panels: Obj[]) => void): DashboardFile => {
      const doc = obj(JSON.parse(JSON.stringify(original)), name);
      change(doc, arr(doc.panels).filter(isObj));
      return { name, json: JSON.stringify(doc, null, 2) };
    };
    const stat = panelIndex('stat');
    const series = panelIndex('timeseries');
    const cases: [DashboardFile, RegExp][] = [
      // A misspelt field.
      [
        broken('misspelt.json', (_d, p) => Object.assign(p[stat] ?? {}, { gridpos: { x: 0 } })),
        /'"gridpos"' does not exist/,
      ],
      // Not a BigValueColorMode (stat panel options).
      [
        broken('stat-option.json', (_d, p) =>
          Object.assign(obj(at(p[stat], 'options'), 'options'), { colorMode: 'rainbow' }),
        ),
        /"rainbow"/,
      ],
      // Not a ThresholdsMode.
      [
        broken('thresholds.json', (_d, p) =>
          Object.assign(obj(at(p[series], 'fieldConfig', 'defaults', 'thresholds'), 't'), {
            mode: 'absolut',
          }),
        ),
        /"absolut"/,
      ],
      // Not a legend placement (timeseries options).
      [
        broken('legend.json', (_d, p) =>
          Object.assign(obj(at(p[series], 'options', 'legend'), 'legend'), { placement: 'left' }),
        ),
        /"left"/,
      ],
      // A required timeseries option missing.
      [
        broken('tooltip.json', (_d, p) => delete obj(at(p[series], 'options'), 'options').tooltip),
        /'tooltip' is missing/,
      ],
      // Not a DashboardCursorSync.
      [broken('cursor.json', (d) => Object.assign(d, { graphTooltip: 7 })), /'7' is not assignable/],
      // A panel type the check has no options type for.
      [broken('panel-type.json', (_d, p) => Object.assign(p[series] ?? {}, { type: 'graph' })), /"graph"/],
      // A target without its query.
      [
        broken('target.json', (_d, p) => delete obj(arr(at(p[series], 'targets'))[0], 'target').expr),
        /'expr' is missing/,
      ],
    ];
    const result = typeCheckDashboards(cases.map(([file]) => file));
    expect(result.ok).toBe(false);
    for (const [file, error] of cases) {
      const messages = result.errors.filter((e) => e.file === file.name && e.line > 0).map((e) => e.message);
      expect(messages.join('\n'), file.name).toMatch(error);
    }
    expect(CHECKED_PANEL_TYPES).toEqual(['timeseries', 'stat', 'table']);
  });

  it('have unique uids and titles', () => {
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
    expect(new Set(dashboards.map((d) => d.title)).size).toBe(dashboards.length);
    for (const d of dashboards) expect(d.uid, d.file).toBe(d.file.replace(/\.json$/, ''));
  });

  it.each(dashboards.map((d) => [d.file, d] as const))(
    '%s: unique panel ids, panels inside the 24 columns and not overlapping',
    (_file, d) => {
      const panels = allPanels(d);
      expect(new Set(panels.map((p) => p.id)).size, 'panel ids').toBe(panels.length);
      for (const p of panels) {
        const { x, y, w, h } = p.gridPos;
        expect([x, y, w, h].every(Number.isInteger), `${p.title} gridPos`).toBe(true);
        expect(
          x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24,
          `${p.title}: ${JSON.stringify(p.gridPos)}`,
        ).toBe(true);
      }
      const overlaps = panels.flatMap((a, i) =>
        panels
          .slice(i + 1)
          .filter(
            (b) =>
              a.gridPos.x < b.gridPos.x + b.gridPos.w &&
              b.gridPos.x < a.gridPos.x + a.gridPos.w &&
              a.gridPos.y < b.gridPos.y + b.gridPos.h &&
              b.gridPos.y < a.gridPos.y + a.gridPos.h,
          )
          .map((b) => `${a.title} / ${b.title}`),
      );
      expect(overlaps).toEqual([]);
    },
  );

  it.each(dashboards.map((d) => [d.file, d] as const))(
    '%s: every panel queries Prometheus through the datasource variable, with unique refIds',
    (_file, d) => {
      for (const p of queryPanels(d)) {
        expect(p.datasource, p.title).toEqual(DATASOURCE);
        expect(p.targets.length, `${p.title} targets`).toBeGreaterThan(0);
        expect(new Set(p.targets.map((t) => t.refId)).size, `${p.title} refIds`).toBe(p.targets.length);
        for (const t of p.targets) {
          expect(t.datasource, `${p.title} ${t.refId}`).toEqual(DATASOURCE);
          expect(t.expr.trim(), `${p.title} ${t.refId}`).not.toBe('');
        }
      }
    },
  );

  it.each(dashboards.map((d) => [d.file, d] as const))(
    '%s: a datasource variable (prometheus) and a namespace variable; every variable used is defined',
    (_file, d) => {
      const names = d.variables.map((v) => v.name);
      expect(d.variables.find((v) => v.name === 'datasource')).toMatchObject({
        type: 'datasource',
        query: 'prometheus',
      });
      expect(d.variables.find((v) => v.name === 'namespace')).toMatchObject({ type: 'query' });
      for (const v of d.variables.filter((x) => x.type === 'query'))
        expect(v.datasource, v.name).toEqual(DATASOURCE);
      const texts = [
        ...queryPanels(d).flatMap((p) => p.targets.map((t) => t.expr)),
        ...d.variables.map((v) => v.query),
      ];
      const used = new Set(texts.flatMap((t) => [...t.matchAll(/\$\{?(\w+)/g)].map((m) => m[1] ?? '')));
      expect([...used].filter((u) => !names.includes(u) && !BUILTIN_VARIABLES.has(u))).toEqual([]);
      // A dashboard that selects by tenant has the tenant variable.
      if (texts.some((t) => /tenant=~"\$tenant"/.test(t))) expect(names).toContain('tenant');
    },
  );

  it('every query is valid PromQL (promtool check rules, with the variables substituted)', () => {
    const exprs = dashboards.flatMap((d) => [
      ...queryPanels(d).flatMap((p) =>
        p.targets.map((t) => ({ where: `${d.file} ${p.title} ${t.refId}`, expr: t.expr })),
      ),
      ...d.variables
        .filter((v) => v.type === 'query')
        .map((v) => ({
          where: `${d.file} $${v.name}`,
          expr: /^label_values\((.*),\s*\w+\)$/.exec(v.query)?.[1] ?? v.query,
        })),
    ]);
    const substituted = exprs.map(({ where, expr }) => ({
      where,
      expr: expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m').replace(/\$\{?(\w+)\}?/g, '.+'),
    }));
    const file = join(scratch, 'dashboard-queries.yaml');
    writeFileSync(
      file,
      stringify({
        groups: [
          {
            name: 'dashboard-queries',
            rules: substituted.map(({ expr }, i) => ({ record: `dashboard_query_${i}`, expr })),
          },
        ],
      }),
    );
    const result = promtool(['check', 'rules', file]);
    const failures = result.ok
      ? []
      : substituted
          .map((s) => s.where)
          .filter((_, i) => (result.stdout + result.stderr).includes(`dashboard_query_${i}`));
    expect({ ok: result.ok, failures, output: result.ok ? '' : result.stdout + result.stderr }).toEqual({
      ok: true,
      failures: [],
      output: '',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Metric names: the rules and dashboards against what the services export

describe('metricNames (PromQL tokenizer)', () => {
  it.each([
    ['up == 0', ['up']],
    [
      'sum by (namespace, job) (rate(api_request_total{path=~"/v1/.+", code=~"5.."}[5m]))',
      ['api_request_total'],
    ],
    ['sum(rate(x_total[5m])) by (job) / on (job) group_left (team) y_info', ['x_total', 'y_info']],
    [
      'histogram_quantile(0.99, sum without (pod) (rate(d_bucket{le!="+Inf"}[$__rate_interval])))',
      ['d_bucket'],
    ],
    ['a:b:rate5m > (14.4 * 0.005) and ignoring (slo) c:d:rate1h offset 1h', ['a:b:rate5m', 'c:d:rate1h']],
    ['max_over_time(m[1h:5m]) unless m2 @ end() or vector(0)', ['m', 'm2']],
    ['label_replace(m, "dst", "$1", "src", "(.*) by (x)")', ['m']],
    ['count(time() - max by (tenant) (last_seen{tenant=~"$tenant"}) > 1800) or vector(0)', ['last_seen']],
    ['sum by (job) (m) # a comment with words', ['m']],
    ['topk(5, sum BY (path) (m)) AND BOOL m2 > Inf', ['m', 'm2']],
    ['{__name__=~"x.*"}', []],
  ])('%s', (expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });

  it('Grafana variable queries: label_values(<expr>, <label>) selects the expression only', () => {
    expect(variableQueryMetricNames('label_values(up{namespace=~"tenant-.+"}, namespace)')).toEqual(['up']);
    expect(variableQueryMetricNames('label_values(namespace)')).toEqual([]);
    expect(variableQueryMetricNames('query_result(topk(3, m))')).toEqual(['m']);
  });
});

/**
 * Metrics from exporters other than the Fleetwatch services, each with its source. Everything else a
 * rule or dashboard queries must be exported by a service, or recorded by a rule of the chart.
 */
const OTHER_EXPORTERS: Record<string, string> = {
  // Prometheus itself: one series per scrape target (1 scraped, 0 not).
  up: 'Prometheus',
  // kube-state-metrics, part of kube-prometheus-stack.
  kube_pod_container_status_restarts_total: 'kube-state-metrics',
};

/** Where each metric name is queried: rules, dashboard panels and dashboard variables. */
function usedMetrics(): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  const add = (names: string[], where: string): void => {
    for (const name of names) used.set(name, (used.get(name) ?? new Set()).add(where));
  };
  for (const r of rules) add(metricNames(r.expr), `${repoPath(r.file)} ${r.alert ?? r.record ?? ''}`);
  for (const d of dashboards) {
    for (const p of queryPanels(d))
      for (const t of p.targets) add(metricNames(t.expr), `${d.file} "${p.title}"`);
    for (const v of d.variables.filter((x) => x.type === 'query'))
      add(variableQueryMetricNames(v.query), `${d.file} $${v.name}`);
  }
  return used;
}

/** The series names a metric family writes: histograms their _bucket, _sum and _count. */
function seriesNames(process: ScrapedProcess): string[] {
  return [...process.families.values()].flatMap((f) =>
    f.type === 'histogram'
      ? [`${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`]
      : f.type === 'summary'
        ? [f.name, `${f.name}_sum`, `${f.name}_count`]
        : [f.name],
  );
}

describe('metric names used by the rules and dashboards', () => {
  let scraped: ScrapedProcess[] = [];
  beforeAll(async () => {
    scraped = await scrapeServiceMetrics({
      databaseUrl: inject('databaseUrl'),
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      kafkaBrokers: inject('kafkaBrokers'),
    });
  }, 180_000);

  it('every service process starts and serves /metrics', () => {
    expect(scraped.filter((s) => s.error !== undefined).map((s) => `${s.job}: ${s.error ?? ''}`)).toEqual([]);
    expect(scraped.map((s) => s.job)).toEqual([
      'fleet-api',
      'crew-api',
      'maintenance-api',
      'performance-api',
      'performance-writer',
    ]);
  });

  it('swagger-stats exports the series the API SLOs are computed from', () => {
    const fleet = scraped.find((s) => s.job === 'fleet-api' && s.error === undefined);
    if (fleet === undefined) throw new Error('fleet-api was not scraped');
    for (const name of [
      'api_all_request_total',
      'api_all_success_total',
      'api_all_errors_total',
      'api_all_client_error_total',
      'api_all_server_error_total',
    ])
      expect(fleet.families.get(name)?.type, name).toBe('counter');
    const requests = fleet.families.get('api_request_total');
    expect(requests?.type).toBe('counter');
    expect([...(requests?.labelNames ?? [])].sort()).toEqual(['code', 'method', 'path']);
    // The probe request reached a route: the path label is the route's template.
    expect(requests?.samples.some((s) => s.includes('path="/v1/fleet/vessels"'))).toBe(true);
    const duration = fleet.families.get('api_request_duration_milliseconds');
    expect(duration?.type).toBe('histogram');
    expect([...(duration?.labelNames ?? [])].sort()).toEqual(['code', 'le', 'method', 'path']);
    const buckets = [
      ...new Set(
        (duration?.samples ?? []).flatMap((s) => [...s.matchAll(/le="([^"]+)"/g)].map((m) => m[1] ?? '')),
      ),
    ];
    expect(buckets).toEqual([
      '5',
      '10',
      '25',
      '50',
      '100',
      '250',
      '500',
      '1000',
      '2500',
      '5000',
      '10000',
      '+Inf',
    ]);
  });

  it('every metric a rule or a dashboard queries is exported by a service, another listed exporter or a rule', () => {
    const exported = new Set(scraped.flatMap(seriesNames));
    const missing = [...usedMetrics().entries()]
      .filter(([name]) => !exported.has(name) && !(name in OTHER_EXPORTERS) && !recordedNames.has(name))
      .map(([name, where]) => `${name} (${[...where].join('; ')})`)
      .sort();
    expect(missing).toEqual([]);
  });

  it('the list of other exporters holds no metric the services export themselves', () => {
    const exported = new Set(scraped.flatMap(seriesNames));
    expect(Object.keys(OTHER_EXPORTERS).filter((name) => exported.has(name))).toEqual([]);
  });
});
