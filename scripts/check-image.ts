/**
 * What can be checked of the Docker setup without a container engine: `npm run check:image`.
 * 1. The files the Dockerfile copies, and nothing else, go into an empty directory, where
 *    `npm ci --omit=dev` installs the production dependencies as the image build does.
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

function copyDockerfileSources(): string[] {
  const copied: string[] = [];
  for (const line of readFileSync(path.join(root, "Dockerfile"), "utf8").split("\n")) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] !== "COPY" || parts.some((p) => p.startsWith("--"))) continue;
    for (const source of parts.slice(1, -1)) {
      cpSync(path.join(root, source), path.join(dir, source), { recursive: true });
      copied.push(source);
    }
  }
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
  console.log(`copied ${copyDockerfileSources().join(", ")} into ${dir}`);
  execFileSync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund"], {
    cwd: dir,
    stdio: "inherit",
  });
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
