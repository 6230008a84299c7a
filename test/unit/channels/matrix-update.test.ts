import { expect, test } from "vitest";
import { matrixContent } from "../../../src/channels/matrix-content.ts";
import type { StoryUpdate } from "../../../src/model/outgoing.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";

const ctx = { signal: new AbortController().signal, timezone: "UTC" };

test("a story update reaches a Matrix room as a message saying what changed and who carried it", () => {
  const first = tajiAlert();
  const report = tajiAlert({
    item: { ...first.item, id: "wire-b-1", title: "Five rockets hit Taji base", link: null },
  });
  const update: StoryUpdate = {
    id: "u-taji-2",
    alertId: first.id,
    storyId: "s-taji",
    storyTitle: first.item.title,
    alert: report,
    changes: ["5 rockets (earlier: 2)"],
    outlets: [
      { feedId: "wire-a", feedTitle: "Wire A", title: first.item.title, link: first.item.link },
      { feedId: report.item.feed.id, feedTitle: "Wire B", title: report.item.title, link: null },
    ],
    outletCount: 2,
  };
  const content = matrixContent({ kind: "update", update }, ctx);
  expect(content.msgtype).toBe("m.text");
  expect(content.body).toContain("Five rockets hit Taji base");
  expect(content.body).toContain("Update: 5 rockets (earlier: 2).");
  expect(content.body).toContain("Wire A, Wire B (2 independent outlets)");
  expect(content.formatted_body).toContain("Update: 5 rockets (earlier: 2).");
});
