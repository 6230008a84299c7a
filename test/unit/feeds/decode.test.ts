import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { decodeBody, decodeText, detectEncoding } from "../../../src/feeds/decode.ts";

const xml = (enc: string) => `<?xml version="1.0" encoding="${enc}"?><rss/>`;

describe("charset precedence", () => {
  test("a byte order mark beats both the header and the declaration", () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${xml("windows-1256")}é`),
    ]);
    expect(detectEncoding(bytes, "text/xml; charset=iso-8859-1")).toBe("utf-8");
    expect(decodeBody(bytes, "text/xml; charset=iso-8859-1").endsWith("é")).toBe(true);
  });

  test("the Content-Type charset beats the XML declaration", () => {
    expect(
      detectEncoding(Buffer.from(xml("utf-8")), 'application/rss+xml; charset="windows-1256"'),
    ).toBe("windows-1256");
  });

  test("the XML declaration is used when the header has no charset", () => {
    expect(detectEncoding(Buffer.from(xml("windows-1256")), "application/rss+xml")).toBe(
      "windows-1256",
    );
  });

  test("an unknown label falls through to the next rule", () => {
    expect(detectEncoding(Buffer.from(xml("windows-1256")), "text/xml; charset=klingon")).toBe(
      "windows-1256",
    );
    expect(detectEncoding(Buffer.from(xml("bogus")), null)).toBe("utf-8");
  });

  test("ISO-8859-1 is read as windows-1252, so curly quotes survive a wrong label", () => {
    const bytes = iconv.encode("“quoted” – café", "windows-1252");
    expect(decodeBody(bytes, "text/xml; charset=ISO-8859-1")).toBe("“quoted” – café");
  });

  test("UTF-16 without a BOM is recognised from the declaration's bytes", () => {
    expect(decodeBody(iconv.encode(xml("utf-16"), "utf-16le"), null)).toBe(xml("utf-16"));
    expect(decodeBody(iconv.encode(xml("utf-16"), "utf-16be"), null)).toBe(xml("utf-16"));
  });

  test("undeclared bytes are UTF-8", () => {
    expect(decodeBody(Buffer.from("<rss>أخبار</rss>"), null)).toBe("<rss>أخبار</rss>");
  });
});

describe("HTML pages and invalid UTF-8", () => {
  const arabicPage = (meta: string) =>
    iconv.encode(
      `<!doctype html><html><head>${meta}</head><body>قاعدة</body></html>`,
      "windows-1256",
    );

  test("an HTML page's <meta charset> or http-equiv Content-Type names its encoding", () => {
    expect(decodeBody(arabicPage('<meta charset="windows-1256">'), null)).toContain("قاعدة");
    const equiv = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">';
    expect(detectEncoding(arabicPage(equiv), null)).toBe("windows-1256");
  });

  test("the Content-Type header still beats the page's <meta>", () => {
    const bytes = Buffer.from('<html><head><meta charset="windows-1256"></head>é</html>');
    expect(detectEncoding(bytes, "text/html; charset=utf-8")).toBe("utf-8");
  });

  test("a feed quoting an HTML <meta> near its start is not re-labelled by it", () => {
    const feed = Buffer.from('<rss><channel><description><![CDATA[<meta charset="koi8-r">]]>');
    expect(detectEncoding(feed, null)).toBe("utf-8");
  });

  test("decodeText says where UTF-8 text has bytes that are not UTF-8, and how many runs", () => {
    const bytes = Buffer.concat([
      Buffer.from("<rss>ok "),
      iconv.encode("قاعدة", "windows-1256"),
      Buffer.from(" é "),
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate: not UTF-8 (RFC 3629)
    ]);
    expect(decodeText(bytes, null).invalid).toEqual({ offset: 8, count: 2 });
    expect(decodeText(Buffer.from("<rss>قاعدة é 😀</rss>"), null).invalid).toBeNull();
  });

  test("text in a declared legacy encoding is never reported as invalid UTF-8", () => {
    const decoded = decodeText(arabicPage('<meta charset="windows-1256">'), null);
    expect(decoded).toMatchObject({ encoding: "windows-1256", invalid: null });
  });
});
