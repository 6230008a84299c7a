import { ConfigError } from "../config/problem.ts";
import type { StartWorkers } from "../queue/worker-roles.ts";
import { VERSION } from "../runtime/version.ts";
import { type CliIO, type Command, EXIT, UsageError } from "./command.ts";
import check from "./commands/check.ts";
import deliveries from "./commands/deliveries.ts";
import demo from "./commands/demo.ts";
import digest from "./commands/digest.ts";
import feeds from "./commands/feeds.ts";
import importOpml from "./commands/import-opml.ts";
import match from "./commands/match.ts";
import retry from "./commands/retry.ts";
import runOnce from "./commands/run-once.ts";
import scheduler from "./commands/scheduler.ts";
import start from "./commands/start.ts";
import subscribers from "./commands/subscribers.ts";
import suggest from "./commands/suggest.ts";
import worker from "./commands/worker.ts";

/** Every subcommand; `newswatch --help` lists them in this order. */
const COMMANDS: Command[] = [
  start,
  scheduler,
  worker,
  runOnce,
  check,
  feeds,
  importOpml,
  match,
  suggest,
  subscribers,
  digest,
  deliveries,
  retry,
  demo,
];

/** The process's own streams and environment; `startWorkers` is the entry point's worker runner. */
export function defaultIO(startWorkers?: StartWorkers): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    ...(startWorkers ? { startWorkers } : {}),
  };
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `newswatch ${VERSION}: news-alert monitoring daemon\n\nusage: newswatch <command> [options]\n\n${lines.join("\n")}\n\nRun \`newswatch <command> --help\` for a command's options.\n`;
}

/** Runs one command and returns its exit code: 0 ok, 1 something failed, 2 usage or config error. */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(help());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`newswatch: unknown command "${name}"\n\n${help()}`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`usage: ${command.usage}\n\n${command.summary}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`newswatch ${name}: ${err.message}\nusage: ${command.usage}\n`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.problems.join("\n")}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`newswatch ${name}: ${(err as Error).stack ?? err}\n`);
    return EXIT.failed;
  }
}
