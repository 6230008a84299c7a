import { expect, test } from "vitest";
import { subjectOf } from "../../src/store/feedback.ts";
import { tajiAlert } from "../fixtures/alerts.ts";
import type { Story } from "../fixtures/stories/wire.ts";
import { useCliWorld } from "../helpers/cli-world.ts";
import { DRILL_STORIES, USEFUL_STORIES } from "../integration/http/feedback-world.ts";

const YAML = `
watchlists:
  - id: iraq-base-attacks
    title: Rocket and drone attacks on bases in Iraq
    query: 'rocket OR rockets OR drone'
  - id: quiet
    title: Nobody votes here
    query: 'kurdistan'
subscribers:
  - { id: ops-desk, email: ops@example.org, watchlists: [iraq-base-attacks] }
`;

const world = useCliWorld("suggest-votes", YAML);

/** Records a reader's vote on an alert about `story`, as the feedback page's POST does. */
async function voted(story: Story, vote: "useful" | "not-relevant", n: number) {
  const alert = tajiAlert({
    id: `a-vote-${n}`,
    item: { ...tajiAlert().item, title: story.title, text: story.text, link: `https://x/${n}` },
  });
  await world.ctx.stores.feedback.record(subjectOf(alert), vote, new Date());
}

test("suggest --watchlist builds a query from the useful alerts and excludes the words of the not-relevant ones", async () => {
  let n = 0;
  for (const s of USEFUL_STORIES) await voted(s, "useful", n++);
  for (const s of DRILL_STORIES) await voted(s, "not-relevant", n++);
  const r = await world.cli("suggest", "--watchlist", "iraq-base-attacks");
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  const [query] = r.stdout.split("\n");
  expect(query).toMatch(/ -drill/);
  expect(query).toMatch(/base/i);
  expect(r.stdout).toContain("from 2 alerts marked useful and 2 marked not relevant:");
  expect(r.stdout).toContain("  -drill: in 2 of 2 not relevant, 0 of 2 useful");
});

test("suggest --watchlist says so when nobody has marked an alert useful, or the watchlist is unknown", async () => {
  const none = await world.cli("suggest", "--watchlist", "quiet");
  expect(none.code).toBe(1);
  expect(none.stderr).toContain('watchlist quiet: no alert marked "Useful" yet');
  const unknown = await world.cli("suggest", "--watchlist", "nope");
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('unknown watchlist "nope" (known: iraq-base-attacks, quiet)');
});
