/**
 * What the log pipeline tests need of Fluent Bit without a Fluent Bit binary (none is published to the
 * registries this project reaches): its classic configuration format, read the way Fluent Bit reads
 * it, and the few pieces of its behaviour the tests reproduce, each from the source file named beside it.
 */

/** One [SECTION] of a classic configuration file, its keys in order (a key may repeat). */
export interface ClassicSection {
  name: string;
  entries: [string, string][];
  /** 1-based line of the [SECTION] header. */
  line: number;
}

/**
 * Parses Fluent Bit's classic format: `[SECTION]` headers, indented `Key Value` lines (the value is the
 * rest of the line, trimmed), `#` comment lines and blank lines. Throws on anything else, as Fluent Bit
 * refuses such a file.
 */
export function parseClassicConfig(text: string): ClassicSection[] {
  const sections: ClassicSection[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const header = /^\[([A-Z_]+)\]$/.exec(trimmed);
    if (header?.[1] !== undefined && !/^\s/.test(line)) {
      sections.push({ name: header[1], entries: [], line: index + 1 });
      return;
    }
    const entry = /^\s+(\S+)\s+(.*\S)\s*$/.exec(line);
    const section = sections.at(-1);
    if (entry?.[1] === undefined || entry[2] === undefined || section === undefined) {
      throw new Error(`line ${index + 1} is neither a [SECTION], a key and value, nor a comment: ${line}`);
    }
    section.entries.push([entry[1], entry[2]]);
  });
  return sections;
}

/** The value of a key (case-insensitive, as Fluent Bit's properties are), or undefined. */
export function get(section: ClassicSection, key: string): string | undefined {
  return section.entries.find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
}

/** The value of a key; throws when the section does not set it. */
export function must(section: ClassicSection, key: string): string {
  const value = get(section, key);
  if (value === undefined) throw new Error(`[${section.name}] at line ${section.line} has no ${key}`);
  return value;
}

/** The sections of a kind, optionally only those with `Name <plugin>`. */
export function sectionsOf(
  sections: readonly ClassicSection[],
  name: string,
  plugin?: string,
): ClassicSection[] {
  return sections.filter(
    (section) =>
      section.name === name && (plugin === undefined || get(section, 'Name')?.toLowerCase() === plugin),
  );
}

/** The one section of a kind and plugin (or [PARSER]/[MULTILINE_PARSER] by its Name). */
export function one(sections: readonly ClassicSection[], name: string, plugin: string): ClassicSection {
  const found = sectionsOf(sections, name, plugin.toLowerCase());
  if (found.length !== 1) throw new Error(`expected one [${name}] ${plugin}, found ${found.length}`);
  return found[0] as ClassicSection;
}

/**
 * A regular expression of a parser (Onigmo, Ruby syntax) as a JavaScript RegExp. The constructs the
 * pipeline's expressions use mean the same in both: named groups (?<name>...), lazy quantifiers,
 * classes, anchors. One difference matters in general and not here: Ruby's `$` also matches before a
 * newline inside the subject; the subjects here are single lines (the tail input splits at newlines).
 */
export function onigmoToJs(pattern: string): RegExp {
  if (/\(\?[imx-]+[:)]|\\[AzZhH]|\(\?>|\\p\{/.test(pattern)) {
    throw new Error(`the expression uses Onigmo syntax this test does not translate: ${pattern}`);
  }
  return new RegExp(pattern);
}

/**
 * The tag the tail input gives a file (plugins/in_tail/tail_file.c, tag_compose): the `*` of the Tag
 * replaced by the file's path, every '/', '\' and ':' made a '.', repeated dots collapsed, a leading
 * separator dropped.
 */
export function tailTag(tagPattern: string, path: string): string {
  const star = tagPattern.indexOf('*');
  if (star < 0) return tagPattern;
  const composed = tagPattern.slice(0, star) + path + tagPattern.slice(star + 1);
  return composed
    .replace(/^[/\\:]+/, '')
    .replace(/[/\\:]/g, '.')
    .replace(/\.{2,}/g, '.')
    .replace(/\*/g, '');
}

/** strftime for the directives Fluent Bit's index and time formats use (%Y %m %d %H %M %S), in UTC. */
export function strftimeUtc(format: string, date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return format.replace(/%([YmdHMS%])/g, (_match, directive: string) => {
    switch (directive) {
      case 'Y':
        return String(date.getUTCFullYear());
      case 'm':
        return pad(date.getUTCMonth() + 1);
      case 'd':
        return pad(date.getUTCDate());
      case 'H':
        return pad(date.getUTCHours());
      case 'M':
        return pad(date.getUTCMinutes());
      case 'S':
        return pad(date.getUTCSeconds());
      default:
        return '%';
    }
  });
}

/**
 * A RegExp for the strptime formats of Fluent Bit's parsers (src/flb_strptime.c): %Y %m %d %H %M %S,
 * %L (fractional seconds, up to nanoseconds) and %z (Z or a numeric offset). Anything else throws.
 */
export function strptimePattern(format: string): RegExp {
  const parts: Record<string, string> = {
    Y: '\\d{4}',
    m: '(?:0[1-9]|1[0-2])',
    d: '(?:0[1-9]|[12]\\d|3[01])',
    H: '(?:[01]\\d|2[0-3])',
    M: '[0-5]\\d',
    S: '(?:[0-5]\\d|60)',
    L: '\\d{1,9}',
    z: '(?:Z|[+-]\\d{2}:?\\d{2})',
  };
  const source = format.replace(
    /%(.)|([.*+?^${}()|[\]\\])/g,
    (_match, directive?: string, special?: string) => {
      if (special !== undefined) return `\\${special}`;
      const part = directive === undefined ? undefined : parts[directive];
      if (part === undefined) throw new Error(`unsupported strptime directive %${directive} in ${format}`);
      return part;
    },
  );
  return new RegExp(`^${source}$`);
}

/** Replace_Dots of the opensearch output (plugins/out_opensearch/opensearch.c): '.' -> '_' in every key. */
export function replaceDots(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replaceDots);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key.replace(/\./g, '_'), replaceDots(inner)]),
    );
  }
  return value;
}
