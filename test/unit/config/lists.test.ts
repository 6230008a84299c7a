import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseConfigText } from "../../../src/config/load.ts";
import { ConfigError } from "../../../src/config/problem.ts";
import {
  compileLists,
  SHIPPED_LISTS_DIR,
  shippedLists,
} from "../../../src/config/shipped-lists.ts";

function problems(yaml: string): string[] {
  try {
    parseConfigText(yaml, "newswatch.yaml");
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

const listsOf = (yaml: string) => parseConfigText(yaml, "newswatch.yaml").config.lists;

describe("shipped concept lists", () => {
  test("every shipped list parses and has a description, and the beat's lists are there", () => {
    const lists = shippedLists();
    for (const name of [
      "indirect_fire",
      "drones",
      "military_sites",
      "coalition",
      "iraq_sites",
      "iraq_places",
    ]) {
      expect(lists.get(name)?.description.length).toBeGreaterThan(20);
    }
    expect(lists.get("iraq_sites")?.entries).toEqual(
      expect.arrayContaining(["ain al asad", "ain al assad", "camp taji", "union iii", "k1"]),
    );
    expect(lists.get("drones")?.entries).toEqual(expect.arrayContaining(["shahed", "طائرة مسيرة"]));
  });

  test("a query uses a shipped list with no definition in the config", () => {
    const query = "@indirect_fire AND @iraq_sites";
    expect(problems(`watchlists:\n  - { id: w, title: W, query: "${query}" }\n`)).toEqual([]);
    expect(listsOf("{}\n").katyusha).toBeUndefined();
    expect(listsOf("{}\n").indirect_fire).toContain("katyusha");
  });

  test("a plain array replaces the shipped list; extend adds to it and remove takes out", () => {
    expect(listsOf("lists:\n  drones: [quadcopter]\n").drones).toEqual(["quadcopter"]);
    const extended = listsOf("lists:\n  iraq_sites: { extend: [camp cropper] }\n").iraq_sites;
    expect(extended).toContain("camp cropper");
    expect(extended).toContain("camp taji");
    const removed = listsOf("lists:\n  iraq_places: { remove: [balad] }\n").iraq_places;
    expect(removed).not.toContain("balad");
    expect(removed).toContain("baghdad");
  });

  test("extending a list that is not shipped, or removing what it lacks, names the list", () => {
    expect(problems("lists:\n  iraq_bases: { extend: [taji] }\n")).toEqual([
      expect.stringMatching(
        /^newswatch\.yaml: lists\.iraq_bases: no shipped list @iraq_bases to extend .*\(line 2\)$/,
      ),
    ]);
    expect(problems("lists:\n  drones: { remove: [kite] }\n")).toEqual([
      'newswatch.yaml: lists.drones.remove: "kite" is not an entry of the shipped list @drones (line 2)',
    ]);
  });

  test("an unknown list is a check error naming the closest known lists", () => {
    expect(problems('watchlists:\n  - { id: w, title: W, query: "rocket @iraq_site" }\n')).toEqual([
      "newswatch.yaml: watchlists[0].query: unknown list @iraq_site (did you mean @iraq_sites?) at column 8 (line 2)",
    ]);
    const far = problems('watchlists:\n  - { id: w, title: W, query: "rocket @iraq" }\n');
    expect(far[0]).toContain("did you mean @iraq_places, @iraq_sites?");
  });

  test("a list file that does not parse is refused with its path and line", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lists-"));
    writeFileSync(path.join(dir, "good.yaml"), "description: fine\nterms:\n  - en: [a]\n");
    writeFileSync(
      path.join(dir, "broken.yaml"),
      'description: x\nterms:\n  - en: [rocket\n  - note: "a" b\n',
    );
    expect(() => shippedLists(dir)).toThrow(
      /broken\.yaml: YAML syntax: .*\(line \d+, column \d+\)/,
    );
    writeFileSync(path.join(dir, "broken.yaml"), "description: x\nterms:\n  - { ar: [صاروخ] }\n");
    expect(() => shippedLists(dir)).toThrow(/broken\.yaml: terms\[0\]\.en: .*\(line 3\)/);
  });

  test("the build's compiled lists are what the YAML says, and a list edited after the build is read from its YAML", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lists-"));
    for (const f of ["drones.yaml", "indirect_fire.yaml"])
      cpSync(path.join(SHIPPED_LISTS_DIR, f), path.join(dir, f));
    const compiled = path.join(dir, "lists.json");
    compileLists(dir, compiled);
    const fromYaml = shippedLists(dir, path.join(dir, "none.json"));
    expect(shippedLists(dir, compiled)).toEqual(fromYaml);
    expect(fromYaml.get("drones")?.entries).toContain("shahed");

    // The compiled file is what is read while it is current...
    const data = JSON.parse(readFileSync(compiled, "utf8"));
    data.lists[0].entries.push("built-in marker");
    writeFileSync(compiled, JSON.stringify(data));
    expect(shippedLists(dir, compiled).get("drones")?.entries).toContain("built-in marker");

    // ...and a list file changed after it wins.
    const drones = path.join(dir, "drones.yaml");
    writeFileSync(drones, "description: edited\nterms:\n  - en: [kite]\n");
    const later = new Date(Date.now() + 60_000);
    utimesSync(drones, later, later);
    expect(shippedLists(dir, compiled).get("drones")?.entries).toEqual(["kite"]);
  });
});
