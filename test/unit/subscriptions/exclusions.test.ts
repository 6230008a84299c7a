import { describe, expect, test } from "vitest";
import type { FeedbackVote } from "../../../src/store/feedback.ts";
import { proposeExclusions, withExclusion } from "../../../src/subscriptions/exclusions.ts";
import { recentItem } from "../../integration/http/recent-fixtures.ts";

const now = Date.parse("2026-12-01T12:00:00Z");
let n = 0;
function voted(vote: FeedbackVote["vote"], title: string, text = ""): FeedbackVote {
  n++;
  return {
    alertId: `a${n}`,
    watchlistId: "w",
    subscriberId: "s",
    title,
    link: `https://news.example/${n}`,
    feed: { id: "wire", title: "Wire" },
    published: null,
    alertAt: new Date(now).toISOString(),
    text,
    vote,
    votedAt: new Date(now).toISOString(),
  };
}

const watchlist = { query: "rocket AND base", stemming: true };

describe("exclusions proposed from votes", () => {
  test("word forms join as the query's stemming joins them, and the preview counts what the exclusion removes", () => {
    const votes = [
      voted("not-relevant", "Rocket drills at the base", "Drilling went on all day."),
      voted("not-relevant", "Base rocket drill ends", "The drill was planned."),
      voted("not-relevant", "Rocket base drilled in storm"),
      voted("useful", "Rocket hits base", "Two rockets struck the base."),
    ];
    const recent = [
      recentItem(1, "Rocket drill at northern base", "", now, 0),
      recentItem(2, "Rockets strike base", "", now, 1),
      recentItem(3, "Drill season opens", "Schools reopen after the holiday.", now, 1),
    ];
    const [first] = proposeExclusions(votes, watchlist, {}, recent, now);
    expect(first).toEqual({
      term: "drill",
      notRelevant: 3,
      useful: 0,
      removes: 1,
      examples: ["Rocket drill at northern base"],
    });
  });

  test("Arabic words are normalised and light-stemmed like an Arabic query", () => {
    const votes = [
      voted("not-relevant", "صاروخ قاعدة المناورة"),
      voted("not-relevant", "صاروخ قاعدة مناورات"),
      voted("useful", "صاروخ قاعدة هجوم"),
    ];
    const proposals = proposeExclusions(
      votes,
      { query: "صاروخ قاعدة", stemming: true },
      {},
      [],
      now,
    );
    expect(proposals.map((p) => p.notRelevant)).toEqual([2]);
    expect(proposals[0]?.term).toMatch(/مناور/);
  });

  test("a word in the useful items too, a word of the query, or a single not-relevant vote proposes nothing", () => {
    const votes = [
      voted("not-relevant", "Rocket base drill"),
      voted("not-relevant", "Rocket base drill"),
      voted("useful", "Rocket base drill alert"),
      voted("useful", "Rocket base attack"),
    ];
    expect(proposeExclusions(votes, watchlist, {}, [], now)).toEqual([]);
    expect(proposeExclusions(votes.slice(0, 1), watchlist, {}, [], now)).toEqual([]);
  });

  test("an exclusion added to a query with OR applies to all of it", () => {
    expect(withExclusion("rocket OR drone", "drill")).toBe("(rocket OR drone) -drill");
    expect(withExclusion("rocket base", "drill")).toBe("rocket base -drill");
  });
});
