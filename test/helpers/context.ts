import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseConfigText } from "../../src/config/load.ts";
import { silentLogger } from "../../src/log.ts";
import { AppContext } from "../../src/runtime/context.ts";
import { REDIS_URL } from "./redis.ts";

/** An AppContext on a test's own Redis prefix, from config YAML (file name "test.yaml"). */
export async function testContext(yaml: string, prefix: string, cwd?: string): Promise<AppContext> {
  const dir = cwd ?? (await mkdtemp(path.join(tmpdir(), "newswatch-ctx-")));
  const loaded = parseConfigText(yaml, "test.yaml", { REDIS_URL, NEWSWATCH_PREFIX: prefix });
  return AppContext.create({ ...loaded, file: path.join(dir, "test.yaml") }, silentLogger, dir);
}
