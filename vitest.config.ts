import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // End-to-end tests spawn CLI processes (a second or two of start-up each on a busy 2-core CI
    // machine): a generous limit keeps a slow machine from failing a correct test.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration and e2e tests share one Redis and spawn processes; two cores do not gain
    // from more parallel files than this.
    maxWorkers: 2,
    // expect.poll waits 1 s by default: a browser page that renders its queue cards from an API
    // call needed longer than that on a loaded CI machine (a red run with a correct page).
    expect: { poll: { timeout: 15_000 } },
  },
});
