import { afterEach, beforeEach, expect, test } from "vitest";
import { DEFAULT_FETCH_LIMITS, fetchFeed } from "../../../src/feeds/fetch.ts";
import { FetchError } from "../../../src/feeds/fetch-error.ts";
import { type Publisher, startPublisher } from "./publisher.ts";

const strict = {
  ...DEFAULT_FETCH_LIMITS,
  allowPrivateNetworks: false,
  userAgent: "newswatch-test",
};
let pub: Publisher;
beforeEach(async () => {
  pub = await startPublisher();
});
afterEach(async () => {
  await pub.close();
});

test("a feed at http://[::127.0.0.1]:PORT/ is filed blocked, not a connect error to retry", async () => {
  const port = new URL(pub.url("/feed")).port;
  for (const url of [
    `http://[::127.0.0.1]:${port}/feed`,
    `http://[64:ff9b::7f00:1]:${port}/feed`,
  ]) {
    const err = await fetchFeed({ url }, strict).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).category).toBe("blocked");
    expect((err as FetchError).retryable).toBe(false);
  }
  expect(pub.requests).toHaveLength(0);
});
