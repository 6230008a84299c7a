import { ConfigError } from "../config/problem.ts";
import type { StartWorkers } from "../queue/worker-roles.ts";
import { VERSION } from "../runtime/version.ts";
import { type CliIO, type Command, EXIT, UsageError } from "./command.ts";

/**
 * Every subcommand, loaded only when run: `newswatch scheduler` never loads the HTTP server,
 * the parser or the rule compiler that other commands need. `--help` lists them in this order.
 */
const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  start: () => import("./commands/start.ts"),
  scheduler: () => import("./commands/scheduler.ts"),
  worker: () => import("./commands/worker.ts"),
  "run-once": () => import("./commands/run-once.ts"),
  check: () => import("./commands/check.ts"),
  feeds: () => import("./commands/feeds.ts"),
  "import-opml": () => import("./commands/import-opml.ts"),
  match: () => import("./commands/match.ts"),
  suggest: () => import("./commands/suggest.ts"),
  subscribers: () => import("./commands/subscribers.ts"),
  digest: () => import("./commands/digest.ts"),
  deliveries: () => import("./commands/deliveries.ts"),
  retry: () => import("./commands/retry.ts"),
  demo: () => import("./commands/demo.ts"),
};

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

async function help(): Promise<string> {
  const commands = await Promise.all(
    Object.values(COMMANDS).map(async (load) => (await load()).default),
  );
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `newswatch ${VERSION}: news-alert monitoring daemon\n\nusage: newswatch <command> [options]\n\n${lines.join("\n")}\n\nRun \`newswatch <command> --help\` for a command's options.\n`;
}

/** Runs one command and returns its exit code: 0 ok, 1 something failed, 2 usage or config error. */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(await help());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr.write(`newswatch: unknown command "${name}"\n\n${await help()}`);
    return EXIT.usage;
  }
  const command = (await load()).default;
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
