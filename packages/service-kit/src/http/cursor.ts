/**
 * Opaque keyset-pagination cursors: the sort the list was read in and the sort key and id of the last
 * row returned. The next page starts strictly after that (sort key, id) pair, so a row is never
 * returned twice and rows that existed when paging started are never skipped, whatever is inserted
 * meanwhile.
 */
export interface Cursor {
  sort: string;
  /** The last row's sort-column value (string, or number for numeric columns). */
  after: string | number;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.after, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor, or null when the text is not one of ours or belongs to another sort order. */
export function decodeCursor(text: string, expectedSort: string): Cursor | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) return null;
  const [sort, after, id] = decoded as unknown[];
  if (sort !== expectedSort || typeof id !== 'string') return null;
  if (typeof after !== 'string' && typeof after !== 'number') return null;
  return { sort, after, id };
}
