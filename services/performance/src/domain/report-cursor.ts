/**
 * Opaque keyset-pagination cursors for lists ordered by report time: the order and the last row's
 * (reportedAt, id). The next page starts strictly after that pair, so a report is never returned twice
 * and none that existed when paging started is skipped.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ReportCursor {
  order: 'asc' | 'desc';
  reportedAt: string;
  id: string;
}

export function encodeReportCursor(cursor: ReportCursor): string {
  return Buffer.from(JSON.stringify([cursor.order, cursor.reportedAt, cursor.id]), 'utf8').toString(
    'base64url',
  );
}

/** The cursor, or null when the text is not one of ours or was issued for the other order. */
export function decodeReportCursor(text: string, expectedOrder: 'asc' | 'desc'): ReportCursor | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) return null;
  const [order, reportedAt, id] = decoded as unknown[];
  if (order !== expectedOrder || typeof reportedAt !== 'string' || typeof id !== 'string') return null;
  // Checked here so a forged cursor is a 400, not a database error.
  if (Number.isNaN(Date.parse(reportedAt)) || !UUID.test(id)) return null;
  return { order: expectedOrder, reportedAt, id };
}
