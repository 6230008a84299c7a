#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a clean clone works after `npm ci`
// with no build step and the CLI can never be older than the code beside it.
import { register } from "tsx/esm/api";

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

register();
const { main } = await import("../src/cli/main.ts");
const code = await main(process.argv.slice(2));
await Promise.all([drained(process.stdout), drained(process.stderr)]);
// Exit explicitly: a command is done when main returns, whatever sockets or timers remain.
process.exit(code);
