import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { silentLogger } from "../../src/log.ts";
import { AppContext } from "../../src/runtime/context.ts";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface Sink {
  child: ChildProcess;
  info: Record<string, unknown>;
  /** Sends a message and resolves with the child's next reply. */
  ask<T>(message: unknown): Promise<T>;
  close(): void;
}

/** Starts bench/lib/sink-server.ts in `mode` as a child process. */
export async function startSink(
  mode: "webhook" | "smtp" | "feeds",
  args: string[] = [],
): Promise<Sink> {
  const child = fork(path.join(import.meta.dirname, "sink-server.ts"), [mode, ...args], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once("message", (m) => resolve(m as Record<string, unknown>));
    child.once("exit", (code) => reject(new Error(`${mode} sink exited with ${code}`)));
  });
  return {
    child,
    info,
    ask: <T>(message: unknown) =>
      new Promise<T>((resolve) => {
        child.once("message", (m) => resolve(m as T));
        child.send(message as object);
      }),
    close: () => child.kill(),
  };
}

/** Writes a config to a temp dir and opens an in-process AppContext on it. */
export async function openContext(yaml: string): Promise<{ ctx: AppContext; dir: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "newswatch-bench-"));
  const file = path.join(dir, "newswatch.yaml");
  await writeFile(file, yaml);
  const loaded = await loadConfig(file, {}, dir);
  return { ctx: await AppContext.create(loaded, silentLogger, dir), dir };
}

export function benchPrefix(name: string): string {
  return `nwbench-${name}-${process.pid}`;
}

/** Deletes every key of a benchmark's prefix (the tests' helper). */
export { dropPrefix } from "../../test/helpers/redis.ts";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/** Peak resident memory of a process (Linux VmHWM), in MB. */
export function peakRssMb(pid: number = process.pid): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return Number.NaN;
  }
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`benchmark step timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** `--key=value` flags for sizes, so the benches can run small while developing. */
export function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
