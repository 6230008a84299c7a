import { timingSafeEqual } from "node:crypto";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Queues } from "../queue/queues.ts";

export const ADMIN_QUEUES_PATH = "/admin/queues";

/** True when the request carries `Authorization: Bearer <token>` with the admin token. */
export function hasAdminBearer(req: FastifyRequest, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const wanted = Buffer.from(token);
  // Constant time, so the token cannot be guessed a byte at a time from response timings.
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * The BullMQ dashboard (bull-board) at /admin/queues. It can retry, promote and delete jobs,
 * so it is mounted only when `http.adminToken` is set and answers 401 without it. Any other
 * admin session check (a cookie from the web pages) can be passed as `isAdmin`.
 */
export async function registerAdminQueues(
  app: FastifyInstance,
  opts: {
    queues: Queues;
    adminToken: string | undefined;
    isAdmin?(req: FastifyRequest): boolean | Promise<boolean>;
  },
): Promise<void> {
  const token = opts.adminToken;
  if (!token) return;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: [opts.queues.poll, opts.queues.deliver, opts.queues.email, opts.queues.digest].map(
      (q) => new BullMQAdapter(q),
    ),
    // @bull-board/fastify pins its own copy of @bull-board/api: same shape, distinct types.
    serverAdapter: serverAdapter as unknown as Parameters<
      typeof createBullBoard
    >[0]["serverAdapter"],
  });
  await app.register(async (scope) => {
    scope.addHook("onRequest", async (req, reply) => {
      if (hasAdminBearer(req, token)) return;
      if (opts.isAdmin && (await opts.isAdmin(req))) return;
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="newswatch admin"')
        .type("text/plain")
        .send("admin token required\n");
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: ADMIN_QUEUES_PATH });
  });
}
