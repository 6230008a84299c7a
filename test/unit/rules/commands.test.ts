import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import type { CliIO } from "../../../src/cli/command.ts";
import match from "../../../src/cli/commands/match.ts";
import suggest from "../../../src/cli/commands/suggest.ts";
import { shippedListEntries } from "../../../src/config/shipped-lists.ts";
import { compileRules } from "../../../src/rules/index.ts";

function fakeIO(stdin: string, tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = { write: (s: string) => out.push(s), isTTY: tty };
  const io: CliIO = {
    stdout,
    stderr: { write: (s: string) => err.push(s) },
    stdin: Readable.from([Buffer.from(stdin)]),
    env: {},
    cwd: "/",
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

const ARTICLE =
  "Two Katyusha rockets hit Taji base\nThe rockets struck near the Green Zone in Baghdad.";

const RSS = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Wire</title><link>https://news.example/</link>
<item><guid>a1</guid><title>Rockets hit Taji base</title><link>https://news.example/a1</link>
<description>Two rockets struck the base at dawn.</description></item>
<item><guid>a2</guid><title>Markets calm</title><link>https://news.example/a2</link>
<description>Stocks were flat.</description></item>
</channel></rss>`;

describe("newswatch match", () => {
  test("prints the matching item with its hits marked, and exits 0", async () => {
    const t = fakeIO(ARTICLE);
    expect(await match.run(["--query", 'rocket* AND "green zone"', "-"], t.io)).toBe(0);
    expect(t.out()).toContain("-: [query] Two Katyusha rockets hit Taji base");
    expect(t.out()).toContain("The «rockets» struck near the «Green Zone» in Baghdad.");
  });

  test("on a terminal the hits are bold instead of marked", async () => {
    const t = fakeIO(ARTICLE, true);
    await match.run(["-q", "baghdad", "-"], t.io);
    expect(t.out()).toContain("\x1b[1mBaghdad\x1b[22m");
    expect(t.out()).not.toContain("«");
  });

  test("--json prints one object a line per matching item of a feed", async () => {
    const t = fakeIO(RSS);
    expect(await match.run(["--json", "-q", "rocket taji", "-"], t.io)).toBe(0);
    const lines = t
      .out()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      watchlist: "query",
      itemId: "a1",
      title: "Rockets hit Taji base",
      link: "https://news.example/a1",
    });
    expect(lines[0].matched).toContainEqual({
      field: "title",
      term: "taji",
      text: "Taji",
      start: 12,
      end: 16,
    });
  });

  test("exits 1 when nothing matches, like grep", async () => {
    const t = fakeIO(ARTICLE);
    expect(await match.run(["-q", "drone", "-"], t.io)).toBe(1);
    expect(t.out()).toBe("");
  });

  test("a bad query exits 2 and names the column", async () => {
    const t = fakeIO(ARTICLE);
    expect(await match.run(["-q", "(rocket OR drone", "-"], t.io)).toBe(2);
    expect(t.err()).toBe("--query: expected ')' at column 17\n");
  });

  test("--no-stem matches words only as written", async () => {
    expect(await match.run(["-q", "rocket", "-"], fakeIO(ARTICLE).io)).toBe(0);
    expect(await match.run(["--no-stem", "-q", "rocket", "-"], fakeIO(ARTICLE).io)).toBe(1);
  });

  test("an unreadable file is reported and the exit status is 2", async () => {
    const t = fakeIO("");
    expect(await match.run(["-q", "rocket", "/nonexistent/feed.xml"], t.io)).toBe(2);
    expect(t.err()).toContain("/nonexistent/feed.xml: ");
  });
});

describe("newswatch suggest", () => {
  test("prints a query and why each part was chosen", async () => {
    const t = fakeIO(ARTICLE);
    expect(await suggest.run(["-"], t.io)).toBe(0);
    const [query, , why, ...reasons] = t.out().trim().split("\n");
    // What happened AND what was hit AND where, in concepts (issue 11 replaced the keywords).
    expect(query).toMatch(/^\(@indirect_fire OR @drones\) AND \(@iraq_sites OR .*\) AND /);
    expect(why).toBe("why:");
    expect(reasons).toContain('    @iraq_sites: "taji", "taji base", "green zone" in the example');
    expect(reasons.length).toBeGreaterThan(2);
  });

  test("reads the first item of a feed", async () => {
    const t = fakeIO(RSS);
    expect(await suggest.run(["-"], t.io)).toBe(0);
    expect(t.out().split("\n")[0]).toContain("@indirect_fire");
    expect(t.out()).toContain('@iraq_sites: "taji"');
  });

  test("on an HTML page, reads the article, not the site's menus, sidebars and footer", async () => {
    const t = fakeIO(NEWS_PAGE);
    expect(await suggest.run(["-"], t.io)).toBe(0);
    const out = t.out();
    expect(out.split("\n")[0]).toMatch(/^\(@indirect_fire OR @drones\) AND .*@iraq_places/);
    expect(out).toContain('@iraq_places: "erbil" in the example');
    // Nothing from the furniture, and no "name" made of the menu's last word and the headline.
    for (const word of ["sports", "weather", "celebrity", "privacy", "newsletter", "planet"])
      expect(out.toLowerCase()).not.toContain(word);
  });

  test("several examples and a --not report: the query matches each example and not the report", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "suggest-"));
    const write = async (name: string, text: string) => {
      await writeFile(path.join(dir, name), text);
      return name;
    };
    const a = await write("a.txt", ARTICLE);
    const b = await write(
      "b.txt",
      "Drone hits Erbil airport\nA drone struck near US forces at the airport.",
    );
    const c = await write(
      "c.txt",
      "US troops fire rocket salute at Baghdad base\nThe ceremony marked Independence Day.",
    );
    const t = fakeIO("");
    t.io.cwd = dir;
    expect(await suggest.run([a, b, "--not", c], t.io)).toBe(0);
    const [query] = t.out().split("\n");
    const { ruleSet } = compileRules([{ id: "s", query: query as string }], shippedListEntries());
    const asDoc = (text: string) => {
      const [title, ...rest] = text.split("\n");
      return {
        feedId: "f",
        title: title as string,
        content: rest.join(" "),
        author: "",
        categories: [],
      };
    };
    expect(ruleSet.match(asDoc(ARTICLE))).toHaveLength(1);
    expect(
      ruleSet.match(
        asDoc("Drone hits Erbil airport\nA drone struck near US forces at the airport."),
      ),
    ).toHaveLength(1);
    expect(
      ruleSet.match(
        asDoc(
          "US troops fire rocket salute at Baghdad base\nThe ceremony marked Independence Day.",
        ),
      ),
    ).toHaveLength(0);
    expect(t.out()).toMatch(
      / -\w+: in "US troops fire rocket salute at Baghdad base", in no example/,
    );
    expect(t.out()).not.toContain("could not separate");
  });

  test("an example with no usable words is refused with exit 2", async () => {
    const t = fakeIO("The and of\nit is to be");
    expect(await suggest.run(["-"], t.io)).toBe(2);
    expect(t.err()).toBe("-: no usable words: the text has no key words to watch for\n");
  });

  test("on an HTML page, a name never runs across a heading, paragraph or list item", async () => {
    const page = `<!doctype html><html><body><article>
<h2>Protest in Basra Province</h2><p>Green Zone closed after Basra protest. Protesters marched
in Basra Province again.</p><ul><li>Baghdad</li><li>Green Zone</li></ul></article></body></html>`;
    const t = fakeIO(page);
    expect(await suggest.run(["-"], t.io)).toBe(0);
    const out = t.out();
    // The heading's "Basra Province" and the paragraph's "Green Zone" are two names, not one.
    expect(out).toContain('"basra province"');
    expect(out).not.toContain('"basra province green"');
    expect(out).not.toContain('"baghdad green zone"');
  });
});

const NEWS_PAGE = `<!doctype html>
<html><head><title>Drone strike on convoy in Erbil | The Daily Planet</title>
<script>var related = "Celebrity Chef";</script><style>nav { color: red }</style></head>
<body>
<header><a href="/">The Daily Planet</a><form action="/search"><input name="q"> Search</form></header>
<nav><ul><li>Home</li><li>World</li><li>Sports</li><li>Weather</li></ul></nav>
<main><article>
<header><h1>Drone strike on convoy in Erbil</h1><p>Kurdistan officials blame militia</p></header>
<p>A drone struck a convoy near Erbil airport on Monday. Officials in Kurdistan said the drone
was shot down after the strike.</p>
<p>The Erbil governor condemned the drones. Another convoy was turned back.</p>
</article></main>
<aside><h2>Most read</h2><ul><li>Celebrity Chef Opens Restaurant</li><li>Weather Warning Issued</li></ul></aside>
<form><label>Newsletter</label> <input type="email"> Sign Up</form>
<footer>Contact Us Privacy Policy The Daily Planet</footer>
<script>track("Sports Weather")</script>
</body></html>`;

describe("standard input in a legacy encoding", () => {
  test("bytes that are not UTF-8 on standard input are named with their offset", async () => {
    const bytes = Buffer.concat([
      Buffer.from("Rockets hit "),
      Buffer.from([0xde, 0xc7]),
      Buffer.from(" base"),
    ]);
    const err: string[] = [];
    const io: CliIO = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s) },
      stdin: Readable.from([bytes]),
      env: {},
      cwd: "/",
    };
    expect(await match.run(["-q", "rocket", "-"], io)).toBe(0);
    expect(err.join("")).toContain("warning: standard input: not valid UTF-8 at byte 12;");
  });
});
