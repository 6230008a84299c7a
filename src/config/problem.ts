/** One thing wrong with a config file, located by its key path (and line when known). */
export interface ConfigProblem {
  path: (string | number)[];
  message: string;
}

/** Renders a key path the way people write it: watchlists[2].query. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(top level)";
}

/** The config was refused; `problems` are ready-to-print lines `FILE: path: what is wrong`. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}
