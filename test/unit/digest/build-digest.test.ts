import { expect, test } from "vitest";
import { buildDigest } from "../../../src/digest/build-digest.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";

const opts = {
  digestId: "d1",
  subscriberId: "desk",
  periodLabel: "p",
  timezone: "UTC",
  watchlistOrder: ["second", "first"],
};

test("a digest groups by watchlist in the subscriber's order, newest first, one entry per story with every other source", () => {
  const base = tajiAlert();
  const older = tajiAlert({
    id: "old",
    watchlist: { id: "first", title: "First" },
    item: { ...base.item, published: "2026-11-20T10:00:00Z" },
  });
  const newer = tajiAlert({
    id: "new",
    watchlist: { id: "first", title: "First" },
    item: { ...base.item, published: "2026-11-25T10:00:00Z" },
  });
  const copy = tajiAlert({
    id: "new",
    watchlist: { id: "first", title: "First" },
    item: {
      ...base.item,
      feed: { id: "tigris", title: "Tigris Wire", url: "https://tigris.example.org/rss" },
    },
  });
  const other = tajiAlert({ id: "x", watchlist: { id: "second", title: "Second" } });
  const digest = buildDigest([older, newer, copy, other], opts);
  expect(digest?.sections.map((s) => s.watchlist.id)).toEqual(["second", "first"]);
  expect(digest?.sections[1]?.alerts.map((a) => a.id)).toEqual(["new", "old"]);
  expect(digest?.sections[1]?.alerts[0]?.alsoReportedBy.map((s) => s.feedTitle)).toContain(
    "Tigris Wire",
  );
});

test("nothing pending makes no digest", () => {
  expect(buildDigest([], opts)).toBeNull();
});
