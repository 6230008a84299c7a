import { readFileSync } from "node:fs";
import { decodeBody } from "../../../src/feeds/decode.ts";
import { type ParsedFeed, parseFeed } from "../../../src/feeds/parse.ts";

const dir = new URL("../../fixtures/feeds/", import.meta.url);

/** The raw bytes of a fixture feed, as a server would send them. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, dir));
}

/** A fixture decoded (with an optional Content-Type) and parsed. */
export function parseFixture(name: string, contentType: string | null = null): Promise<ParsedFeed> {
  return parseFeed(decodeBody(fixtureBytes(name), contentType), contentType ? { contentType } : {});
}
