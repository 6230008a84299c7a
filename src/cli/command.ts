import type { StartWorkers } from "../queue/worker-roles.ts";

/** Where a command writes and what it reads from its environment; injectable for tests. */
export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Runs BullMQ workers in this process; provided by the entry point (bin/newswatch.js passes
   * workers/index.ts), since nothing in src/ imports the workers/ folder.
   */
  startWorkers?: StartWorkers;
}

/** Exit codes shared by every command (grep-like where it makes sense). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** One `newswatch <name>` subcommand, in its own file under src/cli/commands/. */
export interface Command {
  name: string;
  /** One line for `newswatch --help`. */
  summary: string;
  /** Full usage text for `newswatch <name> --help`. */
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Raised for bad flags or arguments: reported on stderr with the usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
