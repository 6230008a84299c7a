import type { FastifyInstance } from "fastify";
import { FetchError } from "../feeds/fetch-error.ts";
import type { Logger } from "../log.ts";
import type { WebSubStore } from "../store/websub-store.ts";
import { validHubSignature } from "../websub/signature.ts";
import { tokenMatches, verifyIntent } from "../websub/subscription.ts";

export interface WebSubRouteDeps {
  store: WebSubStore;
  /** Processes a pushed body whose signature was checked. */
  onPush(feedId: string, body: Buffer, contentType: string | undefined): Promise<void>;
  maxBodyBytes: number;
  log: Logger;
  now(): number;
}

/**
 * The WebSub callback, `/websub/:feedId/:token` (W3C WebSub §5.3 and §7): GET answers the hub's
 * verification of intent, POST receives pushed content. Bodies are read raw, since the
 * signature is an HMAC of the exact bytes.
 */
export async function registerWebSubRoutes(
  app: FastifyInstance,
  deps: WebSubRouteDeps,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: deps.maxBodyBytes },
      (_req, body, done) => done(null, body),
    );

    scope.get<{
      Params: { feedId: string; token: string };
      Querystring: Record<string, string | undefined>;
    }>("/websub/:feedId/:token", async (req, reply) => {
      const q = req.query;
      const answer = await verifyIntent(
        req.params.feedId,
        req.params.token,
        {
          mode: q["hub.mode"],
          topic: q["hub.topic"],
          challenge: q["hub.challenge"],
          leaseSeconds: q["hub.lease_seconds"],
          reason: q["hub.reason"],
        },
        deps,
      );
      return reply.code(answer.status).type("text/plain; charset=utf-8").send(answer.body);
    });

    scope.post<{ Params: { feedId: string; token: string } }>(
      "/websub/:feedId/:token",
      async (req, reply) => {
        const { feedId } = req.params;
        const sub = await deps.store.get(feedId);
        if (!sub || !tokenMatches(sub, req.params.token))
          return reply.code(404).type("text/plain").send("no such subscription");
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const signature = req.headers["x-hub-signature"];
        // §8 lets a subscriber acknowledge a bad signature with a 2xx and drop it; a 403 says
        // the same to an honest hub's logs, and a forger learns nothing from either.
        if (
          !validHubSignature(
            body,
            typeof signature === "string" ? signature : undefined,
            sub.secret,
          )
        ) {
          deps.log.warn({ feedId }, "WebSub push refused: the signature does not match");
          return reply.code(403).type("text/plain").send("signature does not match");
        }
        try {
          await deps.onPush(feedId, body, req.headers["content-type"]);
        } catch (err) {
          // A body that is no feed cannot get better by the hub sending it again.
          if (!(err instanceof FetchError)) throw err;
          deps.log.warn({ feedId, err: err.message }, "pushed content is not a feed");
          await deps.store.update(feedId, { error: `pushed content refused: ${err.message}` });
        }
        return reply.code(202).send();
      },
    );
  });
}
