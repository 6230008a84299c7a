import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";

/*
 * `newswatch match` and `suggest` on files saved in legacy encodings, read the way the fetcher
 * reads a feed: the byte order mark, the XML declaration, the HTML page's <meta charset>, and
 * else UTF-8 with a warning naming the file and the first bad byte.
 */

const TITLE = "صاروخان يسقطان قرب قاعدة التاجي";
const TEXT = "سقط صاروخان من نوع كاتيوشا داخل القاعدة شمال بغداد.";

const rss = (declaration: string) => `${declaration}
<rss version="2.0"><channel><title>أخبار العراق</title><link>https://enc.example.org/</link>
<item><guid>enc-1</guid><title>${TITLE}</title><link>https://enc.example.org/1</link>
<description>${TEXT}</description></item>
</channel></rss>
`;

const page = (meta: string) => `<!doctype html>
<html lang="ar" dir="rtl"><head>${meta}<title>أخبار</title></head>
<body><article><h1>${TITLE}</h1><p>${TEXT}</p></article></body></html>
`;

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-decoding-"));
  const cp1256 = (s: string) => iconv.encode(s, "windows-1256");
  await writeFile(
    file("declared.xml"),
    cp1256(rss('<?xml version="1.0" encoding="windows-1256"?>')),
  );
  await writeFile(file("meta.html"), cp1256(page('<meta charset="windows-1256">')));
  await writeFile(
    file("http-equiv.html"),
    cp1256(page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">')),
  );
  await writeFile(
    file("utf16.txt"),
    iconv.encode(`${TITLE}\n${TEXT}`, "utf-16le", { addBOM: true }),
  );
  await writeFile(file("undeclared.txt"), cp1256(`${TITLE}\n${TEXT}`));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("newswatch match reads files as the fetcher decodes feeds", () => {
  test("a windows-1256 feed named in its XML declaration matches an Arabic query", async () => {
    const r = await runCli(["match", "-q", "صاروخ AND التاجي", file("declared.xml")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`[query] ${TITLE}`);
    expect(r.stdout).toContain("سقط «صاروخان» من نوع");
  });

  test("an HTML page in windows-1256 is read by its <meta charset> or http-equiv", async () => {
    for (const name of ["meta.html", "http-equiv.html"]) {
      const r = await runCli(["match", "--json", "-q", "كاتيوشا", file(name)]);
      expect({ name, stderr: r.stderr, code: r.code }).toEqual({ name, stderr: "", code: 0 });
      const line = JSON.parse(r.stdout.trim().split("\n")[0] as string);
      expect(line.title).toBe(TITLE);
      expect(line.matched[0].text).toBe("كاتيوشا");
    }
  });

  test("a UTF-16 file with a byte order mark matches", async () => {
    const r = await runCli(["match", "-q", "أربيل OR تاجي", file("utf16.txt")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("«التاجي»");
  });

  test("undeclared bytes that are not UTF-8 are named on stderr, file and byte offset", async () => {
    const r = await runCli(["match", "-q", "صاروخ", file("undeclared.txt")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`warning: ${file("undeclared.txt")}: not valid UTF-8 at byte 0`);
    expect(r.stderr).toContain('encoding="windows-1256"');
  });
});

describe("newswatch suggest reads files the same way", () => {
  test("a windows-1256 feed gives a query built from its Arabic words", async () => {
    const r = await runCli(["suggest", file("declared.xml")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // suggest maps the example to concept lists and quotes the example's words as the reason.
    const query = r.stdout.split("\n")[0] as string;
    expect(query).toContain("@indirect_fire");
    expect(r.stdout).toMatch(/"[\u0621-\u064a]{3,}"/);
    expect(r.stdout).not.toContain("\ufffd");
  });

  test("undeclared legacy bytes get the same warning", async () => {
    const r = await runCli(["suggest", file("undeclared.txt")]);
    expect(r.stderr).toContain(`${file("undeclared.txt")}: not valid UTF-8 at byte 0`);
  });
});
