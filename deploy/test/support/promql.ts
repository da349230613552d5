/**
 * The metric names a PromQL expression selects, for checking rules and dashboards against the
 * metrics the services export. A small tokenizer, not a parser: it skips string literals, label
 * matchers ({...}), range and subquery brackets ([5m], [$__rate_interval]), numbers and durations,
 * Grafana variables ($namespace, ${datasource}), comments, keywords and operators, the label lists of
 * by/without/on/ignoring/group_left/group_right, and every identifier followed by `(` (functions and
 * aggregations) or an aggregation followed by by/without (`sum by (job) (...)`). What is left are
 * the metric names of the vector selectors.
 */

/** Aggregation operators: `sum by (job) (x)` puts a keyword, not `(`, after the name. */
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
/** Keywords followed by a parenthesised list of label names. */
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
/** Other keywords: binary set operators, bool, offset, and the number literals Inf and NaN. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'atan2', 'bool', 'offset', 'inf', 'nan']);

const IDENT_START = /[A-Za-z_:]/;
const IDENT_PART = /[A-Za-z0-9_:]/;

/** The index after the string literal starting at `start` (quotes ", ' or `; backslash escapes). */
function skipString(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' && quote !== '`' ? 2 : 1;
  return i + 1;
}

/** The index after the bracket closing the one at `start`, skipping strings and nested brackets. */
function skipBracketed(text: string, start: number, open: string, close: string): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i);
      continue;
    }
    if (c === open) depth += 1;
    if (c === close) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  throw new Error(`unbalanced ${open}${close} in PromQL: ${text}`);
}

function nextNonSpace(text: string, start: number): number {
  let i = start;
  while (i < text.length && /\s/.test(text[i] ?? '')) i += 1;
  return i;
}

/** The metric names the expression selects, in order of first appearance. */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] ?? '';
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i);
    } else if (c === '#') {
      while (i < expr.length && expr[i] !== '\n') i += 1;
    } else if (c === '{') {
      i = skipBracketed(expr, i, '{', '}');
    } else if (c === '[') {
      i = skipBracketed(expr, i, '[', ']');
    } else if (c === '$') {
      // Grafana variables: ${name} or ${name:format}, $name, $__rate_interval.
      i = expr[i + 1] === '{' ? skipBracketed(expr, i + 1, '{', '}') : i + 1;
      while (i < expr.length && IDENT_PART.test(expr[i] ?? '')) i += 1;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      // Numbers (1e3, 0x1f, .5) and durations (5m, 1h30m).
      while (i < expr.length && /[A-Za-z0-9_.]/.test(expr[i] ?? '')) i += 1;
    } else if (IDENT_START.test(c)) {
      const start = i;
      while (i < expr.length && IDENT_PART.test(expr[i] ?? '')) i += 1;
      const ident = expr.slice(start, i);
      const keyword = ident.toLowerCase();
      const next = nextNonSpace(expr, i);
      if (LABEL_LIST_KEYWORDS.has(keyword)) {
        if (expr[next] === '(') i = skipBracketed(expr, next, '(', ')');
      } else if (KEYWORDS.has(keyword) || expr[next] === '(') {
        // a keyword, or a function or aggregation call
      } else if (AGGREGATIONS.has(keyword) && /^(by|without)\b/i.test(expr.slice(next))) {
        // sum by (job) (...)
      } else {
        names.add(ident);
      }
    } else {
      i += 1;
    }
  }
  return [...names];
}

/**
 * The metric names of a Grafana Prometheus template variable query: label_values(<expr>, <label>)
 * selects the expression's metrics (label_values(<label>) none), query_result(<expr>) the
 * expression's, metrics(<regex>) none; anything else is PromQL.
 */
export function variableQueryMetricNames(query: string): string[] {
  const trimmed = query.trim();
  const labelValues = /^label_values\s*\(([\s\S]*)\)$/.exec(trimmed);
  if (labelValues !== null) {
    const args = labelValues[1] ?? '';
    const lastComma = args.lastIndexOf(',');
    return lastComma === -1 ? [] : metricNames(args.slice(0, lastComma));
  }
  const queryResult = /^query_result\s*\(([\s\S]*)\)$/.exec(trimmed);
  if (queryResult !== null) return metricNames(queryResult[1] ?? '');
  if (/^(metrics|label_names)\s*\(/.test(trimmed)) return [];
  return metricNames(trimmed);
}
