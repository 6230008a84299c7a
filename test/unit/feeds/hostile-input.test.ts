import { describe, expect, test } from "vitest";
import { htmlToText } from "../../../src/feeds/normalize.ts";
import { parseFeed } from "../../../src/feeds/parse.ts";

// A poll worker must never spend minutes on one body: every pass over feed text is linear,
// so a few megabytes of unclosed constructs cost milliseconds, not hours. The bounds are ten
// times what a loaded machine needs: a quadratic pass over 250,000 units would take minutes.
const N = 250_000;
const rss = '<rss version="2.0"><channel><title>x</title>';

async function timed(fn: () => unknown): Promise<number> {
  const started = performance.now();
  try {
    await fn();
  } catch {
    // failing is fine; hanging is not
  }
  return performance.now() - started;
}

describe("hostile input is handled in linear time", () => {
  test.each([
    ["unclosed <script> tags", "<script>"],
    ["unclosed comments", "<!--"],
    ["unclosed CDATA", "<![CDATA["],
    ["tags that never close", "<p"],
  ])("htmlToText on %s", async (_label, unit) => {
    expect(await timed(() => htmlToText(unit.repeat(N)))).toBeLessThan(5000);
  });

  test.each([
    ["unclosed comments", `${rss}${"<!--".repeat(N)}`],
    ["unclosed CDATA", `${rss}${"<![CDATA[".repeat(N)}`],
    ["processing instructions", "<?".repeat(N)],
    ["DOCTYPE openers", "<!DOCTYPE x [".repeat(N)],
    ["start tags without an end", "<rss".repeat(N)],
    ["unclosed descriptions", `${rss}${"<description><p>".repeat(N / 4)}`],
    ["unclosed Atom xhtml content", `<feed>${'<content type="xhtml">'.repeat(N / 8)}`],
    ["bare ampersands", `${rss}<item><title>${"&".repeat(N * 4)}</title></item></channel></rss>`],
  ])("parseFeed on %s", async (_label, body) => {
    expect(await timed(() => parseFeed(body))).toBeLessThan(15_000);
  });
});
