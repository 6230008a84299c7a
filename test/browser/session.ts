import type { AddressInfo } from "node:net";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { startWeb, type WebHarness } from "../integration/http/web-harness.ts";
import { launchChromium } from "./chromium.ts";

export interface BrowserSession {
  /** The web harness listening on a loopback port, and the origin to browse it at. */
  web(opts?: Omit<Parameters<typeof startWeb>[0], "listen">): Promise<{
    web: WebHarness;
    origin: string;
  }>;
  /** A page in a fresh browser context (cookies, timezone) of its own. */
  page(options?: BrowserContextOptions): Promise<Page>;
  /** Anything else the test starts (a feed server), closed after it too. */
  track<T extends { close(): Promise<unknown> }>(thing: T): T;
}

/**
 * One Chromium per test file; per test, whatever the test started (web harness, browser
 * contexts, servers) is closed after it, last started first. Call it inside the describe that
 * skips without Chromium, so nothing is launched then.
 */
export function useBrowserSession(): BrowserSession {
  let browser: Browser;
  const started: { close(): Promise<unknown> }[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());
  afterEach(async () => {
    for (const thing of started.splice(0).reverse()) await thing.close();
  });
  const track = <T extends { close(): Promise<unknown> }>(thing: T): T => {
    started.push(thing);
    return thing;
  };
  return {
    track,
    async web(opts = {}) {
      const web = track(await startWeb({ ...opts, listen: true }));
      const { port } = web.app.server.address() as AddressInfo;
      return { web, origin: `http://127.0.0.1:${port}` };
    },
    async page(options = {}) {
      return track(await browser.newContext(options)).newPage();
    },
  };
}
