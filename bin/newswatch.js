#!/usr/bin/env node
// Runs the JavaScript that `npm run build` compiled into dist/ (`npm ci` builds it through the
// `prepare` script). In a checkout whose dist/ is missing or older than src/, it says so and runs
// the TypeScript sources through tsx instead, so an edit is never run stale; where tsx is not
// installed (a production install), it tells the user to build and stops.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const stamp = path.join(root, "dist/BUILT");
const SOURCE_DIRS = ["src", "workers"];

/** Newest modification time of the TypeScript sources beside dist/, 0 where there are none (an image). */
function newestSource() {
  let newest = 0;
  for (const dir of SOURCE_DIRS) {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs, { recursive: true })) {
      if (name.endsWith(".ts")) newest = Math.max(newest, statSync(path.join(abs, name)).mtimeMs);
    }
  }
  return newest;
}

/** Why dist/ cannot be run as it is, or null when it can. */
function buildProblem() {
  if (process.env.NEWSWATCH_RUNTIME === "source") return "NEWSWATCH_RUNTIME=source";
  if (!existsSync(stamp)) return "there is no build in dist/";
  if (statSync(stamp).mtimeMs < newestSource()) return "the build in dist/ is older than src/";
  return null;
}

/** The CLI's entry and the workers it is handed (nothing in src/ imports the workers/ folder). */
async function loadCli() {
  const problem = buildProblem();
  if (problem === null) {
    const { main, defaultIO } = await import("../dist/src/cli/main.js");
    const { startWorkers } = await import("../dist/workers/index.js");
    return { main, io: defaultIO(startWorkers) };
  }
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    process.stderr.write(`newswatch: ${problem}; run \`npm run build\` first.\n`);
    process.exit(2);
  }
  if (process.env.NEWSWATCH_RUNTIME !== "source") {
    process.stderr.write(
      `newswatch: ${problem}; running the sources through tsx (\`npm run build\` to stop this).\n`,
    );
  }
  register();
  const { main, defaultIO } = await import("../src/cli/main.ts");
  const { startWorkers } = await import("../workers/index.ts");
  return { main, io: defaultIO(startWorkers) };
}

/**
 * Resolves once everything written to `stream` so far has been handed to the OS. Writes to a
 * pipe are asynchronous on POSIX, so exiting with writes queued drops the tail of the output
 * whatever the reader's speed. A reader that went away (EPIPE, `| head`) needs no waiting for.
 */
function drained(stream) {
  return new Promise((resolve) => {
    stream.once("error", () => resolve());
    stream.write("", () => resolve());
  });
}

const { main, io } = await loadCli();
const code = await main(process.argv.slice(2), io);
await Promise.all([drained(process.stdout), drained(process.stderr)]);
// Exit explicitly: a command is done when main returns, whatever sockets or timers remain.
process.exit(code);
