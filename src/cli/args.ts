import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./command.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs with errors turned into UsageError (exit 2) and --help understood everywhere. */
export function parseFlags<O extends Options>(
  argv: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The --config option every command that reads the config accepts. */
export const CONFIG_OPTION = { config: { type: "string", short: "c" } } as const;
