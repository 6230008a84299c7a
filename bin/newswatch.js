#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a clean clone works after `npm ci`
// with no build step and the CLI can never be older than the code beside it.
import { register } from "tsx/esm/api";

register();
const { main, defaultIO } = await import("../src/cli/main.ts");
// The workers are handed to the CLI here: nothing in src/ imports the workers/ folder.
const { startWorkers } = await import("../workers/index.ts");
const code = await main(process.argv.slice(2), defaultIO(startWorkers));
// Exit explicitly: a command is done when main returns, whatever sockets or timers remain.
process.exit(code);
