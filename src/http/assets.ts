import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
};

const FILES = ["app.css", "timezone.js", "editor.js"];

/**
 * The pages' own CSS and scripts, read once at start-up and served by the daemon (no CDN;
 * the CSP allows nothing else). A fixed list: no path from a request reaches the disk.
 */
export function registerAssets(app: FastifyInstance): void {
  const assets = new Map(
    FILES.map((name) => [name, readFileSync(new URL(`./assets/${name}`, import.meta.url))]),
  );
  app.get<{ Params: { name: string } }>("/assets/:name", async (req, reply) => {
    const body = assets.get(req.params.name);
    if (!body) return reply.code(404).send("not found");
    const ext = req.params.name.split(".").pop() ?? "";
    return reply
      .header("content-type", TYPES[ext] ?? "application/octet-stream")
      .header("cache-control", "public, max-age=300")
      .header("x-content-type-options", "nosniff")
      .send(body);
  });
}
