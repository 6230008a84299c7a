/**
 * What can be checked of the Docker setup without a container engine: `npm run check:image`.
 * 1. What the Dockerfile's last stage copies, and nothing else, goes into an empty directory:
 *    dist/ as `npm run build` makes it, and the production dependencies as the deps stage
 *    installs them (`npm ci --omit=dev --ignore-scripts`). No src/ and no tsx: the image runs
 *    the build.
 * 2. Every service of docker-compose.yml built from that image is started from there with its
 *    own command and environment (Redis on 127.0.0.1 instead of the `redis` service, a fresh
 *    key prefix, HTTP on loopback only).
 * 3. The HTTP service must answer /healthz and /readyz; then every process gets SIGTERM and
 *    must exit 0.
 * The image itself, the network between services and Mailpit are not exercised.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { dropPrefix, REDIS_URL, uniquePrefix } from "../test/helpers/redis.ts";

interface Service {
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
}

const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "newswatch-image-"));
const prefix = uniquePrefix("image");
const children: { name: string; child: ChildProcess; output: string[] }[] = [];

/** The COPY lines of the Dockerfile's last stage (the image): the stage each copies from, and its sources. */
function finalStageCopies(): { from: string | null; sources: string[] }[] {
  const lines = readFileSync(path.join(root, "Dockerfile"), "utf8").split("\n");
  const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l.trim()));
  return lines
    .slice(lastFrom + 1)
    .map((l) => l.trim().split(/\s+/))
    .filter((parts) => parts[0] === "COPY")
    .map((parts) => {
      const flags = parts.slice(1).filter((p) => p.startsWith("--"));
      const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length) ?? null;
      return { from, sources: parts.slice(1 + flags.length, -1) };
    });
}

/**
 * Puts into `dir` what the image holds: files copied from the context as they are, dist/ as the
 * build stage makes it (`npm run build` here), node_modules as the deps stage installs it.
 */
function assembleImage(): string[] {
  const copied: string[] = [];
  for (const { from, sources } of finalStageCopies()) {
    for (const source of sources) {
      const relative = source.replace(/^\/app\//, "");
      if (from === "deps") continue; // installed below with the same npm ci flags
      if (from === "build") execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
      cpSync(path.join(root, relative), path.join(dir, relative), { recursive: true });
      copied.push(from ? `${relative} (from ${from})` : relative);
    }
  }
  // The deps stage installs from the lock file; the image itself keeps only package.json.
  const lock = path.join(dir, "package-lock.json");
  cpSync(path.join(root, "package-lock.json"), lock);
  execFileSync("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: dir,
    stdio: "inherit",
  });
  rmSync(lock);
  return copied;
}

function startService(name: string, service: Service): void {
  const env = {
    ...process.env,
    ...service.environment,
    REDIS_URL,
    NEWSWATCH_PREFIX: prefix,
    NEWSWATCH_HTTP_HOST: "127.0.0.1",
    NODE_ENV: "production",
    NEWSWATCH_LOG_FORMAT: "json",
  };
  // The compose file names the config by its path inside the image, /app/config/....
  const args = (service.command ?? ["start"]).map((a) => a.replace(/^\/app\//, `${dir}/`));
  const child = spawn(process.execPath, ["bin/newswatch.js", ...args], { cwd: dir, env });
  const output: string[] = [];
  child.stdout.on("data", (c: Buffer) => output.push(c.toString()));
  child.stderr.on("data", (c: Buffer) => output.push(c.toString()));
  children.push({ name, child, output });
  console.log(`started ${name}: newswatch ${args.join(" ")}`);
}

async function waitForHttp(url: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      last = `${res.status} ${await res.text()}`;
      if (res.ok) return last;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 2xx within ${timeoutMs} ms (last: ${last})`);
}

const exitCode = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

let failed = false;
try {
  console.log(`assembled ${assembleImage().join(", ")} into ${dir}`);
  const compose = parse(readFileSync(path.join(root, "docker-compose.yml"), "utf8")) as {
    services: Record<string, Service>;
  };
  for (const [name, service] of Object.entries(compose.services)) {
    if (service.build !== undefined) startService(name, service);
  }
  const config = parse(readFileSync(path.join(root, "config/newswatch.yaml"), "utf8"));
  const port = (config?.http?.port as number | undefined) ?? 8787;
  for (const probe of ["healthz", "readyz"]) {
    console.log(`/${probe}: ${await waitForHttp(`http://127.0.0.1:${port}/${probe}`, 30_000)}`);
  }
  for (const { child } of children) child.kill("SIGTERM");
  for (const { name, child, output } of children) {
    const code = await exitCode(child);
    console.log(`${name} exited ${code} after SIGTERM`);
    if (code !== 0) {
      failed = true;
      console.error(output.join("").slice(-3000));
    }
  }
} catch (err) {
  failed = true;
  console.error((err as Error).message);
  for (const { name, output } of children)
    console.error(`--- ${name}\n${output.join("").slice(-2000)}`);
} finally {
  for (const { child } of children) if (child.exitCode === null) child.kill("SIGKILL");
  await dropPrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
}
console.log(failed ? "check:image FAILED" : "check:image ok");
process.exit(failed ? 1 : 0);
