/**
 * Just enough of Groovy to check a declarative Jenkinsfile without Jenkins: a tokenizer (comments,
 * the four string quotings with their escapes, identifiers, punctuation) and the tree of `name(args) {
 * ... }` blocks, so that tests can find `pipeline > stages > stage('Scan')` and read its strings.
 *
 * Strings are unescaped as Groovy 2.4 (Jenkins' Groovy) does: `\\`, `\'`, `\"`, `\$`, `\n`, `\t`,
 * `\r`, `\b`, `\f`, `\uXXXX`, and a backslash before a line break joins the lines; any other escape is a
 * compile error in Groovy and throws here. `${...}` in double-quoted strings is kept as written.
 * Slashy strings and nested quotes inside `${...}` are not supported (the tokenizer throws or misreads:
 * the Jenkinsfile avoids them).
 */

export type Token =
  | { kind: 'ident'; text: string; start: number }
  | { kind: 'string'; quote: "'" | '"' | "'''" | '"""'; value: string; start: number; end: number }
  | { kind: 'punct'; text: string; start: number };

function lineOf(source: string, offset: number): number {
  return source.slice(0, offset).split('\n').length;
}

function unescape(source: string, raw: string, offset: number): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw[i + 1];
    i++;
    switch (next) {
      case '\\':
      case "'":
      case '"':
      case '$':
        out += next;
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case '\n':
        break; // line continuation
      case 'u': {
        const hex = raw.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex))
          throw new Error(`bad \\u escape at line ${lineOf(source, offset)}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default:
        throw new Error(
          `Groovy rejects the escape \\${next ?? ''} (line ${lineOf(source, offset + i)}): write \\\\ for a backslash`,
        );
    }
  }
  return out;
}

/** The tokens of a Groovy source, without comments and whitespace. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end === -1) throw new Error(`unterminated comment at line ${lineOf(source, i)}`);
      i = end + 2;
    } else if (c === "'" || c === '"') {
      const triple = source.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      for (;;) {
        if (j >= source.length) throw new Error(`unterminated string at line ${lineOf(source, i)}`);
        if (source[j] === '\\') {
          j += 2;
          continue;
        }
        if (!triple && source[j] === '\n')
          throw new Error(`line break in a string at line ${lineOf(source, i)}`);
        if (source.startsWith(quote, j)) break;
        j++;
      }
      const raw = source.slice(i + quote.length, j);
      tokens.push({
        kind: 'string',
        quote: quote as "'" | '"' | "'''" | '"""',
        value: unescape(source, raw, i + quote.length),
        start: i,
        end: j + quote.length,
      });
      i = j + quote.length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', text: match[0], start: i });
      i += match[0].length;
    } else {
      tokens.push({ kind: 'punct', text: c, start: i });
      i++;
    }
  }
  return tokens;
}

export interface Block {
  /** The identifier before the block (`stage`, `steps`, `when`...), or '' for an anonymous closure. */
  name: string;
  /** The tokens between the parentheses of `name(...)`, if any. */
  args: Token[];
  /** The tokens inside the braces, nested blocks included. */
  body: Token[];
  children: Block[];
}

/** The tree of blocks: a root block (name '') whose children are the top-level blocks. */
export function parseBlocks(source: string): Block {
  const tokens = tokenize(source);
  const root: Block = { name: '', args: [], body: tokens, children: [] };
  const stack: { block: Block; bodyStart: number }[] = [{ block: root, bodyStart: 0 }];
  const parenDepth: number[] = [];
  tokens.forEach((token, index) => {
    if (token.kind !== 'punct') return;
    if (token.text === '(') parenDepth.push(index);
    if (token.text === ')') parenDepth.pop();
    if (token.text === '{') {
      let name = '';
      let args: Token[] = [];
      const previous = tokens[index - 1];
      if (previous?.kind === 'ident') {
        name = previous.text;
      } else if (previous?.kind === 'punct' && previous.text === ')') {
        let depth = 0;
        let open = index - 1;
        for (; open >= 0; open--) {
          const t = tokens[open];
          if (t?.kind === 'punct' && t.text === ')') depth++;
          if (t?.kind === 'punct' && t.text === '(') depth--;
          if (depth === 0) break;
        }
        const before = tokens[open - 1];
        if (before?.kind === 'ident') name = before.text;
        args = tokens.slice(open + 1, index - 1);
      }
      const block: Block = { name, args, body: [], children: [] };
      stack.at(-1)?.block.children.push(block);
      stack.push({ block, bodyStart: index + 1 });
    }
    if (token.text === '}') {
      const top = stack.pop();
      if (top === undefined || stack.length === 0)
        throw new Error(`unbalanced } at line ${lineOf(source, token.start)}`);
      top.block.body = tokens.slice(top.bodyStart, index);
    }
  });
  if (stack.length !== 1) throw new Error('unbalanced {: a block is not closed');
  if (parenDepth.length !== 0) throw new Error('unbalanced (');
  return root;
}

/** The first string argument of a block, e.g. the name of `stage('Scan') { ... }`. */
export function blockLabel(block: Block): string | undefined {
  const first = block.args[0];
  return first?.kind === 'string' ? first.value : undefined;
}

/** The direct children of a block with a name. */
export function childrenNamed(block: Block, name: string): Block[] {
  return block.children.filter((child) => child.name === name);
}

/** The one child of a block with a name; throws when there is none or more than one. */
export function child(block: Block, name: string): Block {
  const found = childrenNamed(block, name);
  if (found.length !== 1)
    throw new Error(`expected one '${name}' block in '${block.name}', found ${found.length}`);
  return found[0] as Block;
}

/** The stages of a `stages { ... }` block, by name, in order. */
export function stagesOf(stages: Block): Map<string, Block> {
  const result = new Map<string, Block>();
  for (const stage of childrenNamed(stages, 'stage')) {
    const label = blockLabel(stage);
    if (label === undefined) throw new Error('a stage without a literal name');
    if (result.has(label)) throw new Error(`duplicate stage name ${label}`);
    result.set(label, stage);
  }
  return result;
}

/** Every string inside a block (unescaped), in order. */
export function stringsIn(block: Block): string[] {
  return [...block.args, ...block.body].flatMap((t) => (t.kind === 'string' ? [t.value] : []));
}

/**
 * The shell scripts of a token list: the string right after `sh`, and the `script:` argument of
 * `sh(...)`, with the quoting they were written in.
 */
export function shellScripts(tokens: readonly Token[]): { quote: string; script: string }[] {
  const scripts: { quote: string; script: string }[] = [];
  tokens.forEach((token, index) => {
    if (token.kind !== 'string') return;
    const previous = tokens[index - 1];
    const beforeColon = tokens[index - 2];
    const afterSh = previous?.kind === 'ident' && previous.text === 'sh';
    const scriptArgument =
      previous?.kind === 'punct' &&
      previous.text === ':' &&
      beforeColon?.kind === 'ident' &&
      beforeColon.text === 'script';
    if (afterSh || scriptArgument) scripts.push({ quote: token.quote, script: token.value });
  });
  return scripts;
}

/**
 * Whether a block calls a step or directive (`junit ...`, `label 'x'`, `branch('main')`), optionally with
 * a given first string argument.
 */
export function hasCall(block: Block, name: string, firstArgument?: string): boolean {
  const tokens = [...block.args, ...block.body];
  return tokens.some((token, index) => {
    if (token.kind !== 'ident' || token.text !== name) return false;
    if (firstArgument === undefined) return true;
    let next = tokens[index + 1];
    if (next?.kind === 'punct' && next.text === '(') next = tokens[index + 2];
    return next?.kind === 'string' && next.value === firstArgument;
  });
}
