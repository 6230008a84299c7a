import { type Logger, pino } from "pino";

export type { Logger } from "pino";

/**
 * JSON lines by default (what log shippers want); human-readable when a person is
 * watching a terminal. NEWSWATCH_LOG_FORMAT=json|pretty and LOG_LEVEL override.
 */
// Synchronous writes: a CLI that exits right after its last line must not lose it.
export function createLogger(
  env: NodeJS.ProcessEnv = process.env,
  destination = process.stderr,
): Logger {
  const level = env.LOG_LEVEL ?? "info";
  const pretty = env.NEWSWATCH_LOG_FORMAT
    ? env.NEWSWATCH_LOG_FORMAT === "pretty"
    : Boolean(destination.isTTY);
  if (pretty) {
    return pino({
      level,
      base: undefined,
      transport: {
        target: "pino-pretty",
        options: { destination: 2, colorize: true, ignore: "pid,hostname" },
      },
    });
  }
  return pino({ level, base: { pid: process.pid } }, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = pino({ level: "silent" });
