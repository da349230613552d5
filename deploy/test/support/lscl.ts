/**
 * A parser for Logstash's pipeline configuration language (LSCL), written from the grammar Logstash
 * itself uses (logstash-core/lib/logstash/compiler/lscl/lscl_grammar.treetop, a PEG): the same rules,
 * in the same order of choice. No Logstash distribution is published to the registries this project
 * can reach, so `logstash --config.test_and_exit` cannot run here; this catches what that command's
 * first stage (parsing) would, and gives the tests the pipeline's structure to check. It does not
 * know the plugins' options (Logstash validates those when it instantiates the plugins).
 */

export type LsclValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bareword'; value: string }
  | { kind: 'array'; items: LsclValue[] }
  | { kind: 'hash'; entries: [string, LsclValue][] }
  | { kind: 'plugin'; plugin: LsclPlugin };

export interface LsclPlugin {
  kind: 'plugin';
  name: string;
  attributes: [string, LsclValue][];
  /** 1-based line of the plugin's name. */
  line: number;
}

export interface LsclBranch {
  kind: 'branch';
  /** if, else if..., else (condition null): the condition's source text. */
  clauses: { condition: string | null; body: LsclNode[] }[];
}

export type LsclNode = LsclPlugin | LsclBranch;

export interface LsclSection {
  type: 'input' | 'filter' | 'output';
  body: LsclNode[];
}

export class LsclSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'LsclSyntaxError';
  }
}

/** Parses a whole pipeline file; throws LsclSyntaxError at the furthest point the grammar reached. */
export function parseLscl(text: string): LsclSection[] {
  return Parser.parse(text);
}

/** Every plugin of a node list, branches included, in order. */
export function pluginsOf(nodes: readonly LsclNode[]): LsclPlugin[] {
  return nodes.flatMap((node) =>
    node.kind === 'plugin' ? [node] : node.clauses.flatMap((clause) => pluginsOf(clause.body)),
  );
}

/** An attribute's value as a plain JavaScript value (strings, numbers, arrays, objects). */
export function plainValue(value: LsclValue): unknown {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'bareword':
      return value.value;
    case 'array':
      return value.items.map(plainValue);
    case 'hash':
      return Object.fromEntries(value.entries.map(([key, entry]) => [key, plainValue(entry)]));
    case 'plugin':
      return value.plugin;
  }
}

/** The attribute of a plugin, or undefined. */
export function attribute(plugin: LsclPlugin, name: string): unknown {
  const found = plugin.attributes.find(([key]) => key === name);
  return found === undefined ? undefined : plainValue(found[1]);
}

class Backtrack extends Error {}

class Parser {
  private pos = 0;
  private furthest = 0;
  private expected = 'valid configuration';

  constructor(private readonly text: string) {}

  /** Runs the top rule, turning a failed parse into the furthest syntax error. */
  static parse(text: string): LsclSection[] {
    const parser = new Parser(text);
    try {
      return parser.config();
    } catch (error) {
      if (error instanceof Backtrack) throw parser.error();
      throw error;
    }
  }

  private config(): LsclSection[] {
    const sections: LsclSection[] = [];
    for (;;) {
      const start = this.pos;
      try {
        this.cs();
        sections.push(this.pluginSection());
      } catch (error) {
        if (!(error instanceof Backtrack)) throw error;
        this.pos = start;
        break;
      }
    }
    this.cs();
    if (this.pos !== this.text.length) this.fail();
    return sections;
  }

  // --- helpers -------------------------------------------------------------------------------

  private fail(expected?: string): never {
    if (expected !== undefined && this.pos >= this.furthest) {
      this.furthest = this.pos;
      this.expected = expected;
    }
    throw new Backtrack();
  }

  /** The syntax error to report: the furthest position any rule reached. */
  private error(): LsclSyntaxError {
    const before = this.text.slice(0, this.furthest);
    const line = before.split('\n').length;
    const column = this.furthest - before.lastIndexOf('\n');
    const found = JSON.stringify(this.text.slice(this.furthest, this.furthest + 20));
    return new LsclSyntaxError(`expected ${this.expected}, found ${found}`, line, column);
  }

  private attempt<T>(rule: () => T): T | undefined {
    const start = this.pos;
    try {
      return rule();
    } catch (error) {
      if (!(error instanceof Backtrack)) throw error;
      this.pos = start;
      return undefined;
    }
  }

  private literal(word: string): void {
    if (this.text.startsWith(word, this.pos)) this.pos += word.length;
    else this.fail(JSON.stringify(word));
  }

  private match(pattern: RegExp, expected: string): string {
    const re = new RegExp(pattern.source, 'y');
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m === null) this.fail(expected);
    this.pos += m[0].length;
    return m[0];
  }

  private lineAt(position: number): number {
    return this.text.slice(0, position).split('\n').length;
  }

  // --- whitespace and comments ------------------------------------------------------------------

  /** cs: (comment / whitespace)* */
  private cs(): void {
    for (;;) {
      const start = this.pos;
      this.attempt(() => this.match(/(?:[ \t\r\n]*#[^\r\n]*\r?\n)+/, 'comment'));
      this.attempt(() => this.match(/[ \t\r\n]+/, 'whitespace'));
      if (this.pos === start) {
        // A comment on the last line without a newline is not a comment in the grammar.
        return;
      }
    }
  }

  private whitespace(): void {
    this.match(/[ \t\r\n]+/, 'whitespace');
  }

  // --- sections and plugins ---------------------------------------------------------------------

  private pluginSection(): LsclSection {
    const type = this.match(/input|filter|output/, 'input, filter or output') as LsclSection['type'];
    this.cs();
    this.literal('{');
    this.cs();
    const body = this.branchOrPlugins();
    this.literal('}');
    return { type, body };
  }

  /** (branch_or_plugin cs)* */
  private branchOrPlugins(): LsclNode[] {
    const body: LsclNode[] = [];
    for (;;) {
      const node = this.attempt(() => {
        const found = this.branchOrPlugin();
        this.cs();
        return found;
      });
      if (node === undefined) return body;
      body.push(node);
    }
  }

  private branchOrPlugin(): LsclNode {
    return this.attempt(() => this.branch()) ?? this.plugin();
  }

  private plugin(): LsclPlugin {
    const line = this.lineAt(this.pos);
    const name = this.name();
    this.cs();
    this.literal('{');
    this.cs();
    const attributes: [string, LsclValue][] = [];
    const first = this.attempt(() => this.attribute());
    if (first !== undefined) {
      attributes.push(first);
      for (;;) {
        const next = this.attempt(() => {
          this.whitespace();
          this.cs();
          return this.attribute();
        });
        if (next === undefined) break;
        attributes.push(next);
      }
    }
    this.cs();
    this.literal('}');
    return { kind: 'plugin', name, attributes, line };
  }

  private name(): string {
    return this.attempt(() => this.match(/[A-Za-z0-9_-]+/, 'a name')) ?? this.string();
  }

  private attribute(): [string, LsclValue] {
    const name = this.name();
    this.cs();
    this.literal('=>');
    this.cs();
    return [name, this.value()];
  }

  /** value: plugin / bareword / string / number / array / hash */
  private value(): LsclValue {
    const plugin = this.attempt(() => this.plugin());
    if (plugin !== undefined) return { kind: 'plugin', plugin };
    return this.arrayValue();
  }

  /** array_value: bareword / string / number / array / hash */
  private arrayValue(): LsclValue {
    const bareword = this.attempt(() => this.bareword());
    if (bareword !== undefined) return { kind: 'bareword', value: bareword };
    const string = this.attempt(() => this.string());
    if (string !== undefined) return { kind: 'string', value: string };
    const number = this.attempt(() => this.number());
    if (number !== undefined) return { kind: 'number', value: number };
    const array = this.attempt(() => this.array());
    if (array !== undefined) return array;
    return this.hash();
  }

  private bareword(): string {
    return this.match(/[A-Za-z_][A-Za-z0-9_]+/, 'a bareword');
  }

  /** The string's content, as Logstash keeps it (escapes are not interpreted by default). */
  private string(): string {
    const quoted =
      this.attempt(() => this.match(/"(?:\\"|[^"])*"/, 'a string')) ??
      this.match(/'(?:\\'|[^'])*'/, 'a string');
    return quoted.slice(1, -1);
  }

  private number(): number {
    return Number(this.match(/-?[0-9]+(?:\.[0-9]*)?/, 'a number'));
  }

  private array(): LsclValue {
    this.literal('[');
    this.cs();
    const items: LsclValue[] = [];
    const first = this.attempt(() => this.value());
    if (first !== undefined) {
      items.push(first);
      for (;;) {
        const next = this.attempt(() => {
          this.cs();
          this.literal(',');
          this.cs();
          return this.value();
        });
        if (next === undefined) break;
        items.push(next);
      }
    }
    this.cs();
    this.literal(']');
    return { kind: 'array', items };
  }

  private hash(): LsclValue {
    this.literal('{');
    this.cs();
    const entries: [string, LsclValue][] = [];
    const first = this.attempt(() => this.hashEntry());
    if (first !== undefined) {
      entries.push(first);
      for (;;) {
        const next = this.attempt(() => {
          this.whitespace();
          return this.hashEntry();
        });
        if (next === undefined) break;
        entries.push(next);
      }
    }
    this.cs();
    this.literal('}');
    return { kind: 'hash', entries };
  }

  private hashEntry(): [string, LsclValue] {
    const key =
      this.attempt(() => String(this.number())) ?? this.attempt(() => this.bareword()) ?? this.string();
    this.cs();
    this.literal('=>');
    this.cs();
    return [key, this.value()];
  }

  // --- conditionals -------------------------------------------------------------------------------

  private branch(): LsclBranch {
    const clauses: LsclBranch['clauses'] = [];
    this.literal('if');
    this.cs();
    clauses.push(this.clause());
    for (;;) {
      const elseIf = this.attempt(() => {
        this.cs();
        this.literal('else');
        this.cs();
        this.literal('if');
        this.cs();
        return this.clause();
      });
      if (elseIf === undefined) break;
      clauses.push(elseIf);
    }
    const otherwise = this.attempt(() => {
      this.cs();
      this.literal('else');
      this.cs();
      return this.block();
    });
    if (otherwise !== undefined) clauses.push({ condition: null, body: otherwise });
    return { kind: 'branch', clauses };
  }

  private clause(): { condition: string; body: LsclNode[] } {
    const start = this.pos;
    this.condition();
    const condition = this.text.slice(start, this.pos);
    this.cs();
    return { condition, body: this.block() };
  }

  /** "{" cs (branch_or_plugin cs)* "}" */
  private block(): LsclNode[] {
    this.literal('{');
    this.cs();
    const body = this.branchOrPlugins();
    this.literal('}');
    return body;
  }

  private condition(): void {
    this.expression();
    for (;;) {
      const more = this.attempt(() => {
        this.cs();
        this.match(/and|or|xor|nand/, 'a boolean operator');
        this.cs();
        this.expression();
        return true;
      });
      if (more === undefined) return;
    }
  }

  private expression(): void {
    const alternatives: (() => void)[] = [
      () => {
        this.literal('(');
        this.cs();
        this.condition();
        this.cs();
        this.literal(')');
      },
      () => this.negativeExpression(),
      () => this.binary(() => this.literal('in')),
      () =>
        this.binary(() => {
          this.literal('not ');
          this.cs();
          this.literal('in');
        }),
      () => this.binary(() => this.match(/==|!=|<=|>=|<|>/, 'a comparison')),
      () => {
        this.rvalue();
        this.cs();
        this.match(/=~|!~/, 'a regexp operator');
        this.cs();
        if (this.attempt(() => this.string()) === undefined) this.regexp();
      },
      () => this.rvalue(),
    ];
    for (const alternative of alternatives) {
      if (this.attempt(() => (alternative(), true)) !== undefined) return;
    }
    this.fail('an expression');
  }

  private binary(operator: () => void): void {
    this.rvalue();
    this.cs();
    operator();
    this.cs();
    this.rvalue();
  }

  private negativeExpression(): void {
    this.literal('!');
    this.cs();
    const parenthesised = this.attempt(() => {
      this.literal('(');
      this.cs();
      this.condition();
      this.cs();
      this.literal(')');
      return true;
    });
    if (parenthesised === undefined) this.selector();
  }

  /** rvalue: string / number / selector / array / method_call / regexp */
  private rvalue(): void {
    const alternatives: (() => unknown)[] = [
      () => this.string(),
      () => this.number(),
      () => this.selector(),
      () => this.array(),
      () => this.methodCall(),
      () => this.regexp(),
    ];
    for (const alternative of alternatives) {
      if (this.attempt(() => (alternative(), true)) !== undefined) return;
    }
    this.fail('a value');
  }

  private methodCall(): void {
    this.bareword();
    this.cs();
    this.literal('(');
    this.cs();
    if (this.attempt(() => (this.rvalue(), true)) !== undefined) {
      while (
        this.attempt(() => {
          this.cs();
          this.literal(',');
          this.cs();
          this.rvalue();
          return true;
        }) !== undefined
      );
    }
    this.cs();
    this.literal(')');
  }

  private regexp(): void {
    this.match(/\/(?:\\\/|[^/])*\//, 'a regexp');
  }

  private selector(): void {
    this.match(/(?:\[[^\][,]+\])+/, 'a field reference');
  }
}
