import type { ConfigProblem } from "./problem.ts";

type Raw = Record<string, unknown>;
type Path = (string | number)[];

const ENTRY_LISTS = ["feeds", "watchlists", "subscribers"] as const;

/** Stand-ins for an entry the schema refused: valid, neutral, and keeping the entry's id. */
const PLACEHOLDER: Record<(typeof ENTRY_LISTS)[number], (id: string, raw: Raw) => Raw> = {
  feeds: (id) => ({ id, url: "https://placeholder.invalid/feed" }),
  watchlists: (id) => ({ id, title: id, query: "placeholder" }),
  subscribers: (id, raw) => ({
    id,
    email: "placeholder@example.org",
    watchlists: Array.isArray(raw.watchlists) ? raw.watchlists : [],
  }),
};

/**
 * A copy of a raw config with what its schema refused taken out, so that the checks needing a
 * well-formed file (duplicate ids, unknown watchlists, queries, addresses) can run on the rest
 * and `check` reports every problem in one go instead of in two rounds. A refused setting is
 * dropped, so its default applies. A feed, watchlist or subscriber with a refused part becomes
 * a neutral stand-in with its id (references to it still resolve); problems found inside a
 * stand-in are not the user's and are left out by `isStandIn`.
 */
export function withoutRefused(
  raw: unknown,
  refused: Path[],
  entireEntries: boolean,
): { raw: unknown; isStandIn(problem: ConfigProblem): boolean } {
  const copy = structuredClone(raw) as Raw;
  const standIns = new Set<string>();
  for (const path of refused) {
    const list = ENTRY_LISTS.find((l) => l === path[0]);
    const entries = list ? copy[list] : undefined;
    if (list && entireEntries && Array.isArray(entries) && typeof path[1] === "number") {
      const entry = (entries[path[1]] ?? {}) as Raw;
      const id = typeof entry.id === "string" ? entry.id : `entry-${path[1]}`;
      entries[path[1]] = PLACEHOLDER[list](id, entry);
      standIns.add(`${list}.${path[1]}`);
    } else {
      dropAt(copy, path);
    }
  }
  return {
    raw: copy,
    isStandIn: (p) => standIns.has(`${String(p.path[0])}.${String(p.path[1])}`),
  };
}

function dropAt(root: Raw, path: Path): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== "object" || node === null) return;
    node = (node as Raw)[key as string];
  }
  const last = path[path.length - 1];
  if (typeof node === "object" && node !== null && last !== undefined) {
    delete (node as Raw)[last as string];
  }
}
