import { expect, test } from "vitest";
import { FetchError } from "../../../src/feeds/fetch-error.ts";
import { parseFeed } from "../../../src/feeds/parse.ts";

const XXE = `<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&secret;</title></channel></rss>`;

test("a DOCTYPE inside a comment before the real one does not hide its entity declarations", async () => {
  const body = `<?xml version="1.0"?>\n<!-- <!DOCTYPE decoy> -->\n${XXE}`;
  const err = await parseFeed(body).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(FetchError);
  expect((err as FetchError).message).toContain("declares XML entities");
});

test("a decoy with an empty internal subset does not hide the real one either", async () => {
  const body = `<!-- <!DOCTYPE decoy [ ]> -->\n${XXE}`;
  await expect(parseFeed(body)).rejects.toThrow("declares XML entities");
});

test("a feed whose comment mentions a DOCTYPE, and that declares no entities, still parses", async () => {
  const feed = await parseFeed(
    '<!-- <!DOCTYPE rss [ see the spec ]> -->\n<!DOCTYPE rss>\n<rss version="2.0"><channel><title>Wire</title></channel></rss>',
  );
  expect(feed.title).toBe("Wire");
});
