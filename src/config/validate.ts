import { CronExpressionParser } from "cron-parser";
import { CHANNELS, settingOf, spellChoices } from "../channels/registry.ts";
import type { ConfigProblem } from "./problem.ts";
import type { Config } from "./schema.ts";

/** Checks that need more than one key at a time: unique ids, references, schedules. */
export function crossCheck(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  problems.push(...duplicateIds(config.feeds, "feeds"));
  problems.push(...duplicateIds(config.watchlists, "watchlists"));
  problems.push(...duplicateIds(config.subscribers, "subscribers"));
  const watchlistIds = new Set(config.watchlists.map((w) => w.id));
  config.subscribers.forEach((sub, i) => {
    if (!CHANNELS.some((c) => settingOf(sub, c.kind))) {
      problems.push({
        path: ["subscribers", i],
        message: `needs ${spellChoices(CHANNELS.map((c) => c.noun))} to deliver to`,
      });
    }
    sub.watchlists.forEach((ref, j) => {
      const refId = typeof ref === "string" ? ref : ref.id;
      if (!watchlistIds.has(refId)) {
        const known = [...watchlistIds].join(", ") || "none defined";
        problems.push({
          path: ["subscribers", i, "watchlists", j],
          message: `unknown watchlist "${refId}" (known: ${known})`,
        });
      }
    });
    const cronProblem = checkCron(sub.schedule, sub.timezone);
    if (cronProblem) problems.push({ path: ["subscribers", i, "schedule"], message: cronProblem });
  });
  return problems;
}

function duplicateIds(entries: { id: string }[], key: string): ConfigProblem[] {
  const firstIndex = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  entries.forEach((entry, i) => {
    const first = firstIndex.get(entry.id);
    if (first === undefined) firstIndex.set(entry.id, i);
    else
      problems.push({
        path: [key, i, "id"],
        message: `duplicate id "${entry.id}" (first used by ${key}[${first}])`,
      });
  });
  return problems;
}

/** Returns why a digest schedule is unusable, or null. */
export function checkCron(expression: string, tz: string): string | null {
  try {
    CronExpressionParser.parse(expression, { tz });
    return null;
  } catch (err) {
    return `"${expression}" is not a cron schedule: ${(err as Error).message}`;
  }
}
