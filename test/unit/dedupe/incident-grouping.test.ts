import { describe, expect, test } from "vitest";
import { qualityGrouping } from "../../../bench/quality-grouping.ts";
import { groupReports } from "../../../src/dedupe/group-reports.ts";
import { signatureOf } from "../../../src/dedupe/incident-signature.ts";
import { builtInVocabulary } from "../../../src/dedupe/incident-vocabulary.ts";

const at = (iso: string) => Date.parse(iso);
const vocabulary = builtInVocabulary();

function sameStory(...reports: { title: string; text: string; at: number }[]): boolean {
  const grouped = groupReports(reports.map((r, i) => ({ id: String(i), ...r })));
  return new Set(grouped.values()).size === 1;
}

describe("incident grouping", () => {
  test("an English flash and an Arabic report of the Taji rockets are one incident", () => {
    expect(
      sameStory(
        {
          title: "Two Katyusha rockets hit Taji base north of Baghdad",
          text: "",
          at: at("2026-11-24T21:40:00Z"),
        },
        {
          title: "استهداف قاعدة التاجي بصواريخ",
          text: "سقوط صاروخين داخل القاعدة",
          at: at("2026-11-24T22:10:00Z"),
        },
      ),
    ).toBe(true);
  });

  test("a rocket drill at Taji and rockets hitting Taji the same morning are two events", () => {
    expect(
      sameStory(
        {
          title: "Two Katyusha rockets hit Taji base north of Baghdad",
          text: "The rockets struck the base at dawn, officials in Iraq said.",
          at: at("2026-11-24T06:00:00Z"),
        },
        {
          title: "Iraqi army holds rocket drill at Taji base",
          text: "The live-fire drill near Baghdad was a planned exercise.",
          at: at("2026-11-24T08:00:00Z"),
        },
      ),
    ).toBe(false);
    expect(
      sameStory(
        {
          title: "Iraqi army holds rocket drill at Taji base",
          text: "",
          at: at("2026-11-24T08:00:00Z"),
        },
        { title: "تمرين بالصواريخ في قاعدة التاجي", text: "", at: at("2026-11-24T09:00:00Z") },
      ),
    ).toBe(true);
  });

  test("two attacks on the same base two days apart stay two incidents", () => {
    expect(
      sameStory(
        { title: "Rockets hit Taji base", text: "", at: at("2026-11-24T21:40:00Z") },
        { title: "Rockets hit Taji base again", text: "", at: at("2026-11-26T22:00:00Z") },
      ),
    ).toBe(false);
  });

  test("stories sharing a place but not an event stay apart", () => {
    expect(
      sameStory(
        { title: "Rocket lands near Baghdad airport", text: "", at: at("2026-11-02T23:50:00Z") },
        {
          title: "Baghdad airport resumes normal flights after runway upgrade",
          text: "",
          at: at("2026-11-03T02:00:00Z"),
        },
      ),
    ).toBe(false);
  });

  test("the same night's attacks on two different sites stay apart", () => {
    expect(
      sameStory(
        {
          title: "Mortar rounds land in Baghdad's Green Zone",
          text: "",
          at: at("2026-11-02T20:10:00Z"),
        },
        { title: "Rocket lands near Baghdad airport", text: "", at: at("2026-11-02T23:50:00Z") },
      ),
    ).toBe(false);
  });

  test("figures and claims are read from English and Arabic reports", () => {
    const en = signatureOf(
      {
        title: "Group claims Taji attack",
        text: "A faction claimed responsibility for the strike of three rockets, which killed two and wounded 5 people.",
        at: 0,
      },
      vocabulary,
    );
    expect(en.facts).toEqual({ claimed: true, projectiles: 3, killed: 2, wounded: 5 });
    const ar = signatureOf({ title: "مقتل ثلاثة مدنيين بانفجار", text: "", at: 0 }, vocabulary);
    expect(ar.facts.killed).toBe(3);
    const denied = signatureOf(
      { title: "Rockets hit base", text: "No group has claimed responsibility.", at: 0 },
      vocabulary,
    );
    expect(denied.facts.claimed).toBeUndefined();
  });

  test("the labelled set meets the precision and recall targets", async () => {
    const quality = await qualityGrouping({ log: () => {} });
    expect(quality.incidents).toBeGreaterThanOrEqual(15);
    expect(quality.precision).toBeGreaterThanOrEqual(0.9);
    expect(quality.recall).toBeGreaterThanOrEqual(0.8);
  });
});
