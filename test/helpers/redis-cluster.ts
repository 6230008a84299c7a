import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface LocalCluster {
  /**
   * A node that does NOT hold the keys of this hash tag: what a user puts in redis.url, chosen
   * so that a client unaware of the cluster is answered MOVED instead of working by luck.
   */
  urlAwayFrom(hashTag: string): string;
  stop(): Promise<void>;
}

export const haveRedisServer =
  spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0 &&
  spawnSync("redis-cli", ["--version"], { stdio: "ignore" }).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Three masters on loopback, slots shared out by `redis-cli --cluster create`, no disk. */
export async function startLocalCluster(): Promise<LocalCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), "newswatch-cluster-"));
  const ports = [await freePort(), await freePort(), await freePort()];
  for (const port of ports) {
    const started = spawnSync("redis-server", [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--daemonize",
      "yes",
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      `nodes-${port}.conf`,
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
    ]);
    if (started.status !== 0) throw new Error(`redis-server on ${port}: ${started.stderr}`);
  }
  const stop = async () => {
    for (const port of ports) spawnSync("redis-cli", ["-p", String(port), "shutdown", "nosave"]);
    await rm(dir, { recursive: true, force: true });
  };
  const nodes = ports.map((p) => `127.0.0.1:${p}`);
  for (let tries = 0; ; tries++) {
    const made = spawnSync("redis-cli", ["--cluster", "create", ...nodes, "--cluster-yes"]);
    if (made.status === 0) break;
    if (tries > 20) {
      await stop();
      throw new Error(`redis-cli --cluster create: ${made.stdout}${made.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  for (let tries = 0; tries < 100; tries++) {
    const info = spawnSync("redis-cli", ["-p", String(ports[0]), "cluster", "info"]).stdout;
    if (String(info).includes("cluster_state:ok")) return { urlAwayFrom: awayFrom(ports), stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error("the local Redis Cluster did not reach cluster_state:ok");
}

function awayFrom(ports: number[]) {
  return (hashTag: string): string => {
    for (const port of ports) {
      const reply = spawnSync("redis-cli", ["-p", String(port), "get", `{${hashTag}}:probe`]);
      if (String(reply.stdout).includes("MOVED")) return `redis://127.0.0.1:${port}`;
    }
    throw new Error(`every node claims {${hashTag}}: not a cluster`);
  };
}
