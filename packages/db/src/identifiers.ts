/**
 * Schema, role and table names end up inside SQL text (node-pg-migrate and DDL cannot take them as
 * parameters). Lower-case unquoted-style identifiers only: they need no quoting rules, and they rule
 * out injection and the case-sensitivity surprises of quoted names.
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdentifier(kind: string, value: string): void {
  if (!IDENTIFIER.test(value)) {
    throw new Error(
      `${kind} must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63 characters), got ${JSON.stringify(value)}`,
    );
  }
}
