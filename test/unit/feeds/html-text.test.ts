import { describe, expect, test } from "vitest";
import { htmlToText } from "../../../src/feeds/normalize.ts";

describe("htmlToText", () => {
  test("strips tags and keeps words in separate blocks apart", () => {
    expect(htmlToText("<p>Baghdad</p><p>Taji</p><ul><li>one</li><li>two</li></ul>")).toBe(
      "Baghdad Taji one two",
    );
  });

  test("inline tags do not split words", () => {
    expect(htmlToText("Kat<b>yusha</b> rockets")).toBe("Katyusha rockets");
  });

  test("drops script, style and comments entirely", () => {
    expect(
      htmlToText(
        "<style>p{color:red}</style>Hello<script>var a = '<p>x</p>';</script><!-- hidden --> world",
      ),
    ).toBe("Hello world");
  });

  test("decodes named, decimal and hex references once", () => {
    expect(htmlToText("caf&eacute; &ndash; &#8220;quoted&#x201D; &amp;amp; &hellip;")).toBe(
      "café – “quoted” &amp; …",
    );
  });

  test("reads C1 numeric references as windows-1252, as browsers do", () => {
    expect(htmlToText("&#150; and &#147;this&#148;")).toBe("– and “this”");
  });

  test("turns impossible code points into the replacement character", () => {
    expect(htmlToText("a&#0;b&#xD800;c&#1114112;d")).toBe("a\ufffdb\ufffdc\ufffdd");
  });

  test("leaves unknown references and lone ampersands as written", () => {
    expect(htmlToText("AT&T &bogus; R&D")).toBe("AT&T &bogus; R&D");
  });

  test("an encoded tag is shown as text, not stripped", () => {
    expect(htmlToText("use &lt;b&gt; for bold")).toBe("use <b> for bold");
  });

  test("comparison signs that are not tags survive", () => {
    expect(htmlToText("x < y and y > z")).toBe("x < y and y > z");
  });

  test("collapses whitespace, including no-break spaces", () => {
    expect(htmlToText("  a\n\t b&nbsp;&nbsp;c\u00a0 ")).toBe("a b c");
  });
});
