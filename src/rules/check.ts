import { QueryError } from "./errors.ts";
import { parseQuery, queryWarnings } from "./parser.ts";

/**
 * Validates one query as `newswatch check` and the web editor do: the first error with its
 * column, or the warnings of a query that parses.
 */
export function checkQuery(
  query: string,
  lists: Record<string, string[]>,
  opts?: { stemming?: boolean },
): { error?: { message: string; column: number }; warnings: string[] } {
  try {
    const ast = parseQuery(query, { stemming: opts?.stemming ?? true, lists });
    return { warnings: queryWarnings(query, ast) };
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    return { error: { message: err.message, column: err.column }, warnings: [] };
  }
}
