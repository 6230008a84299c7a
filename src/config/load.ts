import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Document, isNode, LineCounter, parseDocument } from "yaml";
import { checkContent } from "./content-checks.ts";
import { ConfigError, type ConfigProblem, formatPath } from "./problem.ts";
import { withoutRefused } from "./salvage.ts";
import { type Config, configSchema } from "./schema.ts";
import { shippedLists } from "./shipped-lists.ts";
import { decodeUtf8 } from "./utf8.ts";
import { crossCheck } from "./validate.ts";

export const DEFAULT_CONFIG_PATH = "config/newswatch.yaml";

/** A validated config and where it came from. */
export interface LoadedConfig {
  file: string;
  config: Config;
  /** Non-fatal remarks (e.g. how an ambiguous query is read), as `FILE: path: text` lines. */
  warnings: string[];
}

/** The config file a command should read: --config, else NEWSWATCH_CONFIG, else the default. */
export function resolveConfigPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): string {
  return path.resolve(cwd, flag ?? env.NEWSWATCH_CONFIG ?? DEFAULT_CONFIG_PATH);
}

/**
 * Reads, validates and cross-checks a config file. Nothing runs on an invalid config:
 * every problem is collected and thrown at once as a ConfigError.
 */
export async function loadConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<LoadedConfig> {
  // Problems name the file as the user would write it: relative inside the working directory.
  const shown = path.relative(cwd, file).startsWith("..") ? file : path.relative(cwd, file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file (use --config FILE or NEWSWATCH_CONFIG)"
        : (code ?? (err as Error).message);
    throw new ConfigError([`${shown}: cannot read config: ${reason}`]);
  }
  const text = decodeUtf8(bytes, shown);
  if (typeof text !== "string") throw new ConfigError([text.problem]);
  return { ...parseConfigText(text, shown, env), file };
}

/** The same as loadConfig for text already in memory (the web editor validates with it). */
export function parseConfigText(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = {},
): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        const where = at ? ` (line ${at.line}, column ${at.col})` : "";
        const message = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
        return `${file}: YAML syntax: ${message}${where}`;
      }),
    );
  }
  // The shipped concept lists first: a list file that does not parse stops everything here,
  // with its own path and line, before the config's queries are read against it.
  shippedLists();
  const raw = applyEnvOverrides(documentValue(doc, file), env);
  const parsed = configSchema.safeParse(raw);
  const locate = (problem: ConfigProblem) => formatProblem(file, problem, doc, lineCounter);
  if (!parsed.success) {
    const shape = parsed.error.issues.map((issue) => ({
      path: issue.path as (string | number)[],
      message: issue.message,
    }));
    throw new ConfigError([...shape, ...checksOfTheRest(raw, shape)].map(locate));
  }
  const config = parsed.data;
  const content = checkContent(config);
  const problems = [...crossCheck(config), ...content.problems];
  if (problems.length > 0) throw new ConfigError(problems.map(locate));
  return { file, config, warnings: content.warnings.map(locate) };
}

// yaml expands aliases when it builds values; past this many it stops with a ReferenceError
// ("excessive alias count"), the defence against a billion-laughs file. A real config needs few.
const MAX_ALIAS_COUNT = 100;

function documentValue(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (err) {
    const reason = (err as Error).message.split("\n")[0] ?? "";
    const shown = /alias/i.test(reason)
      ? `more than ${MAX_ALIAS_COUNT} alias expansions (${reason})`
      : reason;
    throw new ConfigError([`${file}: YAML: ${shown}`]);
  }
}

/**
 * The cross and content checks of a file whose shape was refused, run on what the schema
 * accepted (see withoutRefused): settings dropped first, then whole entries stood in for.
 * Nothing when even that does not parse: the shape problems come first then.
 */
function checksOfTheRest(raw: unknown, shape: ConfigProblem[]): ConfigProblem[] {
  for (const entireEntries of [false, true]) {
    const rest = withoutRefused(
      raw,
      shape.map((p) => p.path),
      entireEntries,
    );
    const parsed = configSchema.safeParse(rest.raw);
    if (!parsed.success) continue;
    const found = [...crossCheck(parsed.data), ...checkContent(parsed.data).problems];
    return found.filter((p) => !rest.isStandIn(p));
  }
  return [];
}

/** REDIS_URL, NEWSWATCH_PREFIX and SMTP_URL override the file, so one file serves every environment. */
function applyEnvOverrides(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const out = { ...(raw as Record<string, unknown>) };
  const section = (key: string) => ({
    ...((out[key] as Record<string, unknown> | undefined) ?? {}),
  });
  if (env.REDIS_URL || env.NEWSWATCH_PREFIX) {
    const redis = section("redis");
    if (env.REDIS_URL) redis.url = env.REDIS_URL;
    if (env.NEWSWATCH_PREFIX) redis.prefix = env.NEWSWATCH_PREFIX;
    out.redis = redis;
  }
  if (env.SMTP_URL) out.email = { ...section("email"), smtp: env.SMTP_URL };
  if (env.NEWSWATCH_ADMIN_TOKEN)
    out.http = { ...section("http"), adminToken: env.NEWSWATCH_ADMIN_TOKEN };
  if (env.NEWSWATCH_HTTP_HOST) out.http = { ...section("http"), host: env.NEWSWATCH_HTTP_HOST };
  return out;
}

function formatProblem(
  file: string,
  problem: ConfigProblem,
  doc: Document,
  lines: LineCounter,
): string {
  return `${file}: ${formatPath(problem.path)}: ${problem.message}${lineSuffix(problem.path, doc, lines)}`;
}

/** Finds the line of the deepest existing node on the path (a missing key points at its parent). */
function lineSuffix(keyPath: (string | number)[], doc: Document, lines: LineCounter): string {
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const node = doc.getIn(keyPath.slice(0, depth), true);
    if (isNode(node) && node.range) return ` (line ${lines.linePos(node.range[0]).line})`;
  }
  return "";
}
