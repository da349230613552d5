import { decodeCursor, encodeCursor } from '@fleetwatch/service-kit';

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
  return encodeCursor({ sort: cursor.order, after: cursor.reportedAt, id: cursor.id });
}

/** The cursor, or null when the text is not one of ours or was issued for the other order. */
export function decodeReportCursor(text: string, expectedOrder: 'asc' | 'desc'): ReportCursor | null {
  const decoded = decodeCursor(text, expectedOrder);
  if (!decoded || typeof decoded.after !== 'string') return null;
  // Checked here so a forged cursor is a 400, not a database error.
  if (Number.isNaN(Date.parse(decoded.after)) || !UUID.test(decoded.id)) return null;
  return { order: expectedOrder, reportedAt: decoded.after, id: decoded.id };
}
