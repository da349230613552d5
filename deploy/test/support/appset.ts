/**
 * An offline stand-in for Argo CD's ApplicationSet controller, enough for argocd/applicationsets:
 * the git files generator (over this working tree), the list and matrix generators, and Go template
 * rendering (goTemplate: true, missingkey=error) of every string field of the template.
 *
 * The template language is a deliberately small subset of Go text/template with Sprig: actions are
 * single pipelines (no if/range/with) of field chains (.a.b), string literals, parenthesised
 * sub-pipelines and the functions index, dig, dict, list, printf, quote, toJson and toYaml. Anything
 * else throws, which keeps the ApplicationSet templates simple enough to be checked here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';

import { parseAllDocuments, stringify } from 'yaml';

export type Params = Record<string, unknown>;

function isObj(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Go template subset

type Token =
  | { t: 'field'; path: string[] }
  | { t: 'string'; value: string }
  | { t: 'number'; value: number }
  | { t: 'ident'; name: string }
  | { t: 'lparen' }
  | { t: 'rparen' }
  | { t: 'pipe' };

function tokenize(action: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < action.length) {
    const c = action[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(') {
      tokens.push({ t: 'lparen' });
      i++;
    } else if (c === ')') {
      tokens.push({ t: 'rparen' });
      i++;
    } else if (c === '|') {
      tokens.push({ t: 'pipe' });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < action.length && action[j] !== '"') j += action[j] === '\\' ? 2 : 1;
      tokens.push({ t: 'string', value: JSON.parse(action.slice(i, j + 1)) as string });
      i = j + 1;
    } else if (c === '`') {
      const j = action.indexOf('`', i + 1);
      if (j < 0) throw new Error(`unterminated raw string in {{${action}}}`);
      tokens.push({ t: 'string', value: action.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '.') {
      const m = /^\.([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)?/.exec(action.slice(i));
      const text = m?.[0] ?? '.';
      tokens.push({ t: 'field', path: text === '.' ? [] : text.slice(1).split('.') });
      i += text.length;
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?[0-9]+/.exec(action.slice(i));
      if (m === null) throw new Error(`unexpected ${c} in {{${action}}}`);
      tokens.push({ t: 'number', value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(action.slice(i));
      const name = m?.[0] ?? '';
      tokens.push({ t: 'ident', name });
      i += name.length;
    } else {
      throw new Error(`unsupported character ${c} in {{${action}}}`);
    }
  }
  return tokens;
}

type Node =
  | { n: 'field'; path: string[] }
  | { n: 'literal'; value: unknown }
  | { n: 'call'; fn: string; args: Node[] }
  | { n: 'pipeline'; commands: Node[][] };

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parsePipeline(): Node {
    const commands: Node[][] = [[]];
    for (;;) {
      const tok = this.tokens[this.pos];
      if (tok === undefined || tok.t === 'rparen') break;
      this.pos++;
      const current = commands[commands.length - 1] ?? [];
      switch (tok.t) {
        case 'pipe':
          if (current.length === 0) throw new Error(`empty command in {{${this.source}}}`);
          commands.push([]);
          break;
        case 'lparen': {
          const inner = this.parsePipeline();
          if (this.tokens[this.pos]?.t !== 'rparen') throw new Error(`missing ) in {{${this.source}}}`);
          this.pos++;
          current.push(inner);
          break;
        }
        case 'field':
          current.push({ n: 'field', path: tok.path });
          break;
        case 'string':
        case 'number':
          current.push({ n: 'literal', value: tok.value });
          break;
        case 'ident':
          current.push({ n: 'call', fn: tok.name, args: [] });
          break;
      }
    }
    if (commands.some((c) => c.length === 0)) throw new Error(`empty command in {{${this.source}}}`);
    return { n: 'pipeline', commands };
  }

  done(): boolean {
    return this.pos >= this.tokens.length;
  }
}

const UNSUPPORTED_KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

function goString(value: unknown, source: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`{{${source}}} prints a ${value === null ? 'nil' : typeof value} (use toJson or toYaml)`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObj(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}

function dig(args: unknown[], source: string): unknown {
  if (args.length < 3) throw new Error(`dig needs keys, a default and a map in {{${source}}}`);
  let current = args[args.length - 1];
  const fallback = args[args.length - 2];
  const keys = args.slice(0, -2);
  for (const key of keys) {
    if (typeof key !== 'string') throw new Error(`dig key is not a string in {{${source}}}`);
    // Sprig asserts map[string]interface{} at every step: a non-map value in the way is an error.
    if (!isObj(current)) throw new Error(`dig reached a non-map before ${key} in {{${source}}}`);
    if (!(key in current)) return fallback;
    current = current[key];
  }
  return current;
}

function printf(format: unknown, args: unknown[], source: string): string {
  if (typeof format !== 'string') throw new Error(`printf format is not a string in {{${source}}}`);
  let i = 0;
  return format.replace(/%([sdv%])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    return goString(arg, source);
  });
}

function callFunction(fn: string, args: unknown[], source: string): unknown {
  switch (fn) {
    case 'index': {
      let current = args[0];
      for (const key of args.slice(1)) {
        if (isObj(current) && typeof key === 'string') current = key in current ? current[key] : undefined;
        else if (Array.isArray(current) && typeof key === 'number') current = current[key];
        else throw new Error(`index of a non-collection in {{${source}}}`);
      }
      return current;
    }
    case 'dig':
      return dig(args, source);
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (let i = 0; i + 1 < args.length; i += 2) out[goString(args[i], source)] = args[i + 1];
      return out;
    }
    case 'list':
      return [...args];
    case 'printf':
      return printf(args[0], args.slice(1), source);
    case 'quote':
      return args.map((a) => JSON.stringify(goString(a, source))).join(' ');
    case 'toJson':
      return JSON.stringify(sortKeys(args[0] ?? null));
    case 'toYaml':
      return stringify(args[0] ?? null, { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '');
    default:
      throw new Error(`function ${fn} is not supported by the ApplicationSet simulation ({{${source}}})`);
  }
}

function evaluate(node: Node, params: Params, source: string, piped?: { value: unknown }): unknown {
  switch (node.n) {
    case 'literal':
      if (piped !== undefined) throw new Error(`cannot pipe into a literal in {{${source}}}`);
      return node.value;
    case 'field': {
      if (piped !== undefined) throw new Error(`cannot pipe into a field in {{${source}}}`);
      let current: unknown = params;
      for (const key of node.path) {
        // missingkey=error: a missing map key fails the render, as does a field of a non-map.
        if (!isObj(current)) throw new Error(`.${node.path.join('.')}: not a map at ${key} ({{${source}}})`);
        if (!(key in current)) throw new Error(`map has no entry for key "${key}" ({{${source}}})`);
        current = current[key];
      }
      return current;
    }
    case 'call':
      return callFunction(node.fn, piped === undefined ? [] : [piped.value], source);
    case 'pipeline': {
      let value: { value: unknown } | undefined = piped;
      for (const command of node.commands) {
        const [head, ...rest] = command;
        if (head === undefined) throw new Error(`empty command in {{${source}}}`);
        if (head.n === 'call') {
          const args = rest.map((a) => evaluate(a, params, source));
          if (value !== undefined) args.push(value.value);
          value = { value: callFunction(head.fn, args, source) };
        } else {
          if (rest.length > 0) throw new Error(`${JSON.stringify(head)} is not a function in {{${source}}}`);
          value = { value: evaluate(head, params, source, value) };
        }
      }
      return value?.value;
    }
  }
}

/** Renders one string field as Argo CD would with goTemplate and missingkey=error (subset above). */
export function renderGoTemplate(text: string, params: Params): string {
  let out = '';
  let rest = text;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open < 0) return out + rest;
    let before = rest.slice(0, open);
    const close = rest.indexOf('}}', open);
    if (close < 0) throw new Error(`unclosed action in ${JSON.stringify(text)}`);
    let action = rest.slice(open + 2, close);
    let after = rest.slice(close + 2);
    if (action.startsWith('- ')) {
      before = before.replace(/\s+$/, '');
      action = action.slice(2);
    }
    if (action.endsWith(' -')) {
      after = after.replace(/^\s+/, '');
      action = action.slice(0, -2);
    }
    const trimmed = action.trim();
    if (trimmed.startsWith('/*')) {
      out += before;
    } else {
      const tokens = tokenize(trimmed);
      const first = tokens[0];
      if (first === undefined) throw new Error(`empty action in ${JSON.stringify(text)}`);
      if (first.t === 'ident' && UNSUPPORTED_KEYWORDS.has(first.name)) {
        throw new Error(
          `{{${trimmed}}}: control structures are not supported (keep ApplicationSet templates simple)`,
        );
      }
      if (tokens.some((t) => t.t === 'ident' && t.name.startsWith('$')))
        throw new Error(`variables are not supported`);
      const parser = new Parser(tokens, trimmed);
      const pipeline = parser.parsePipeline();
      if (!parser.done()) throw new Error(`unexpected ) in {{${trimmed}}}`);
      out += before + goString(evaluate(pipeline, params, trimmed), trimmed);
    }
    rest = after;
  }
}

/** Every string in a value rendered with renderGoTemplate (map keys are left alone, as Argo CD does). */
export function renderDeep(value: unknown, params: Params): unknown {
  if (typeof value === 'string') return renderGoTemplate(value, params);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, params));
  if (isObj(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, params)]));
  return value;
}

// ---------------------------------------------------------------------------------------------
// Generators

export interface GenerateOptions {
  /** The working tree the git generators read (the repository root). */
  repoRoot: string;
  /** The repository URL git generators must name: the one this working tree is. */
  repoURL: string;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${escaped}$`);
}

/** Files of the working tree matching a git files generator path (a `*` matches within one segment). */
export function matchRepoFiles(repoRoot: string, pattern: string): string[] {
  if (pattern.includes('**')) throw new Error(`** globs are not supported by the simulation: ${pattern}`);
  const dir = posix.dirname(pattern);
  if (dir.includes('*'))
    throw new Error(`wildcards in directories are not supported by the simulation: ${pattern}`);
  const re = globToRegExp(posix.basename(pattern));
  return readdirSync(join(repoRoot, dir))
    .filter((name) => re.test(name))
    .sort()
    .map((name) => posix.join(dir, name));
}

function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, '-')
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, '');
}

function gitFileParams(repoRoot: string, file: string): Params[] {
  const docs = parseAllDocuments(readFileSync(join(repoRoot, file), 'utf8'), { version: '1.1' });
  const content: unknown = docs[0]?.toJS() ?? {};
  const objects = Array.isArray(content) ? content : [content];
  const dir = posix.dirname(file);
  return objects.map((o) => {
    if (!isObj(o)) throw new Error(`${file}: not an object`);
    return {
      ...o,
      path: {
        path: dir,
        basename: basename(dir),
        filename: posix.basename(file),
        basenameNormalized: sanitizeName(basename(dir)),
        filenameNormalized: sanitizeName(posix.basename(file)),
        segments: dir.split('/'),
      },
    };
  });
}

/** The parameter sets a generator produces. */
export function generatorParams(generator: unknown, options: GenerateOptions): Params[] {
  if (!isObj(generator)) throw new Error('a generator is not an object');
  const kinds = Object.keys(generator).filter((k) => k !== 'selector');
  if (kinds.length !== 1) throw new Error(`a generator must have exactly one kind, got ${kinds.join(', ')}`);
  if (isObj(generator.list)) {
    const elements = generator.list.elements;
    if (!Array.isArray(elements)) throw new Error('list generator without elements');
    return elements.map((e) => {
      if (!isObj(e)) throw new Error('a list element is not an object');
      return { ...e };
    });
  }
  if (isObj(generator.git)) {
    const git = generator.git;
    if (git.repoURL !== options.repoURL)
      throw new Error(`git generator reads ${String(git.repoURL)}, not ${options.repoURL}`);
    if (git.values !== undefined)
      throw new Error("git generator values would hide the tenant files' own values key");
    if (!Array.isArray(git.files)) throw new Error('only the git files generator is simulated');
    const files = new Set<string>();
    for (const entry of git.files) {
      if (!isObj(entry) || typeof entry.path !== 'string') throw new Error('git files entry without path');
      const matched = matchRepoFiles(options.repoRoot, entry.path);
      for (const f of matched) {
        if (entry.exclude === true) files.delete(f);
        else files.add(f);
      }
    }
    return [...files].sort().flatMap((f) => gitFileParams(options.repoRoot, f));
  }
  if (isObj(generator.matrix)) {
    const children = generator.matrix.generators;
    if (!Array.isArray(children) || children.length !== 2)
      throw new Error('a matrix generator has two generators');
    const [a, b] = children.map((g) => generatorParams(g, options));
    const out: Params[] = [];
    for (const pa of a ?? []) {
      for (const pb of b ?? []) {
        const clash = Object.keys(pb).filter((k) => k in pa);
        if (clash.length > 0) throw new Error(`matrix generators both set ${clash.join(', ')}`);
        out.push({ ...pa, ...pb });
      }
    }
    return out;
  }
  throw new Error(`generator ${kinds[0] ?? '?'} is not simulated`);
}

export interface GeneratedApplication {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
  /** The parameter set the application came from (for assertions). */
  params: Params;
}

/** The Applications an ApplicationSet would generate from this working tree. */
export function generateApplications(
  appset: Record<string, unknown>,
  options: GenerateOptions,
): GeneratedApplication[] {
  const spec = isObj(appset.spec) ? appset.spec : {};
  if (spec.goTemplate !== true) throw new Error('only goTemplate ApplicationSets are simulated');
  const goOptions = Array.isArray(spec.goTemplateOptions) ? spec.goTemplateOptions : [];
  if (!goOptions.includes('missingkey=error'))
    throw new Error('goTemplateOptions must include missingkey=error');
  if (spec.templatePatch !== undefined)
    throw new Error('templatePatch is not simulated (and could template the project)');
  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  const template = isObj(spec.template) ? spec.template : {};
  const appsetNs =
    isObj(appset.metadata) && typeof appset.metadata.namespace === 'string'
      ? appset.metadata.namespace
      : 'argocd';
  return generators
    .flatMap((g) => generatorParams(g, options))
    .map((params) => {
      const rendered = renderDeep(template, params);
      if (!isObj(rendered) || !isObj(rendered.metadata) || !isObj(rendered.spec))
        throw new Error('template without metadata or spec');
      const name = rendered.metadata.name;
      if (typeof name !== 'string') throw new Error('template without metadata.name');
      const labels = isObj(rendered.metadata.labels)
        ? (rendered.metadata.labels as Record<string, string>)
        : undefined;
      return {
        apiVersion: 'argoproj.io/v1alpha1' as const,
        kind: 'Application' as const,
        metadata: { name, namespace: appsetNs, ...(labels === undefined ? {} : { labels }) },
        spec: rendered.spec,
        params,
      };
    });
}

/** The values files of a generated Helm source, resolved against the repository (relative to the chart path). */
export function resolveValueFiles(
  repoRoot: string,
  chartPath: string,
  valueFiles: readonly string[],
): string[] {
  return valueFiles.map((f) => {
    const resolved = posix.normalize(posix.join(chartPath, f));
    if (resolved.startsWith('..')) throw new Error(`${f} leaves the repository`);
    return join(repoRoot, resolved);
  });
}
