/** Strong entity tags from a record's version number: `"<version>"` (ETag, If-Match, If-None-Match). */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an If-Match header asks for, or null when it names none we issue. `*` and lists are not
 * accepted: an update must say which version it was based on.
 */
export function versionFromIfMatch(header: string): number | null {
  const match = /^"([1-9][0-9]{0,9})"$/.exec(header.trim());
  return match?.[1] ? Number(match[1]) : null;
}

/** Whether an If-None-Match header matches the current version (for 304 Not Modified). */
export function ifNoneMatchHits(header: string | undefined, version: number): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etagOf(version));
}
