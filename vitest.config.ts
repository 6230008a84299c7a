import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration and e2e tests share one Redis and spawn processes; two cores do not gain
    // from more parallel files than this.
    maxWorkers: 2,
  },
});
