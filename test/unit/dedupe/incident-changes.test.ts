import { expect, test } from "vitest";
import { learn, NOTHING_KNOWN, whatChanged } from "../../../src/dedupe/incident-changes.ts";
import { signatureOf } from "../../../src/dedupe/incident-signature.ts";
import { builtInVocabulary } from "../../../src/dedupe/incident-vocabulary.ts";

const vocabulary = builtInVocabulary();
const report = (title: string, text = "") => signatureOf({ title, text, at: 0 }, vocabulary);

test("a report repeating the story says nothing new; new figures, a claim and a new site are news", () => {
  const first = report("Two Katyusha rockets hit Taji base north of Baghdad", "Nobody was hurt.");
  const known = learn(NOTHING_KNOWN, first);
  expect(
    whatChanged(known, report("Rockets strike base north of Baghdad", "Two rockets landed.")),
  ).toEqual([]);
  expect(
    whatChanged(
      known,
      report("Three rockets hit Taji; group claims responsibility", "Three killed."),
    ),
  ).toEqual(["3 killed", "3 rockets, missiles or drones (earlier: 2)", "responsibility claimed"]);
  expect(whatChanged(known, report("Rockets also hit Balad air base"))).toEqual([
    "new place: balad",
  ]);
});

test("the first report of a story changes nothing", () => {
  expect(whatChanged(NOTHING_KNOWN, report("Rockets hit Taji base"))).toEqual([]);
});
