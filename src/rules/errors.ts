/** A query that cannot be compiled; `column` is 1-based and points at the offending spot. */
export class QueryError extends Error {
  readonly column: number;
  /** The message without the position, e.g. "expected ')'". */
  readonly reason: string;

  constructor(reason: string, column: number) {
    super(`${reason} at column ${column}`);
    this.name = "QueryError";
    this.reason = reason;
    this.column = column;
  }
}
