import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { SendContext } from "../../../src/channels/channel.ts";
import { DeliveryError } from "../../../src/channels/delivery-error.ts";
import { createWebhookChannel, type WebhookTarget } from "../../../src/channels/webhook.ts";
import { confirmNotice, opsDigest, tajiAlert } from "../../fixtures/alerts.ts";
import { onlyRequest, type Receiver, startReceiver, status } from "./http-receiver.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const UA = "newswatch/0.1.0 (+https://github.com/newswatch)";

let receiver: Receiver;
let channel: ReturnType<typeof createWebhookChannel>;

beforeEach(async () => {
  receiver = await startReceiver();
  channel = createWebhookChannel({ allowPrivateNetworks: true, userAgent: UA, timeoutMs: 2000 });
});

afterEach(async () => {
  await channel.close();
  await receiver.close();
});

function ctx(extra: Partial<SendContext> = {}): SendContext {
  return { signal: new AbortController().signal, ...extra };
}

function jsonTarget(extra: Partial<WebhookTarget> = {}): WebhookTarget {
  return { url: `${receiver.origin}/hook`, secret: SECRET, format: "json", ...extra };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const err = await promise.then(
    () => {
      throw new Error("expected the delivery to fail");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

function verified(req: { headers: Record<string, unknown>; body: string }): unknown {
  return new Webhook(SECRET).verify(req.body, {
    "webhook-id": String(req.headers["webhook-id"]),
    "webhook-timestamp": String(req.headers["webhook-timestamp"]),
    "webhook-signature": String(req.headers["webhook-signature"]),
  });
}

describe("json webhooks", () => {
  test("the Taji alert arrives as signed JSON that standardwebhooks verifies", async () => {
    receiver.reply(status(204));
    const receipt = await channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx());
    expect(receipt).toEqual({ channel: "webhook", detail: "HTTP 204" });

    const req = onlyRequest(receiver);
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/hook");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["user-agent"]).toBe(UA);
    expect(req.headers["webhook-id"]).toBe("a-ops-desk-iraq-base-attacks-3f9c2a");
    const payload = verified(req) as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: "alert",
      id: "a-ops-desk-iraq-base-attacks-3f9c2a",
      watchlist: { id: "iraq-base-attacks", title: "Rocket and drone attacks on bases in Iraq" },
      subscriber: "ops-desk",
      item: {
        id: "https://news.example.org/iraq/taji-rockets-2611",
        title: "Two Katyusha rockets hit Taji military base north of Baghdad",
        link: "https://news.example.org/iraq/taji-rockets-2611",
        published: "2026-11-24T21:40:00.000Z",
        feed: {
          id: "k24",
          title: "Kurdistan24 English",
          url: "https://www.kurdistan24.net/en/rss",
        },
      },
      createdAt: "2026-11-24T21:43:11.000Z",
    });
    expect((payload.item as { summary: string }).summary).toContain(
      "Two Katyusha rockets struck the Taji",
    );
    expect(payload.matched).toEqual(tajiAlert().matched);
    expect(payload.snippet).toEqual(tajiAlert().snippet);
    expect(payload.alsoReportedBy).toEqual(tajiAlert().alsoReportedBy);
  });

  test("a body altered in transit fails verification", async () => {
    await channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx());
    const req = onlyRequest(receiver);
    expect(() => verified({ ...req, body: req.body.replace("Taji", "Tajj") })).toThrow();
  });

  test("a retry after a 500 carries the same webhook-id and a fresh valid signature", async () => {
    receiver.reply(status(500, {}, "database is down"), status(200));
    const err = await failure(
      channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
    );
    expect(err.permanent).toBe(false);
    expect(err.message).toContain("HTTP 500: database is down");
    await channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx());

    const [first, second] = receiver.received;
    expect(first?.headers["webhook-id"]).toBe("a-ops-desk-iraq-base-attacks-3f9c2a");
    expect(second?.headers["webhook-id"]).toBe("a-ops-desk-iraq-base-attacks-3f9c2a");
    expect(second && verified(second)).toBeTruthy();
  });

  test("without a secret the body is sent unsigned, still with its webhook-id", async () => {
    await channel.send(
      { kind: "alert", alert: tajiAlert() },
      jsonTarget({ secret: undefined }),
      ctx(),
    );
    const req = onlyRequest(receiver);
    expect(req.headers["webhook-id"]).toBe("a-ops-desk-iraq-base-attacks-3f9c2a");
    expect(req.headers["webhook-signature"]).toBeUndefined();
  });

  test("a malformed secret is a permanent failure and nothing is sent", async () => {
    const err = await failure(
      channel.send(
        { kind: "alert", alert: tajiAlert() },
        jsonTarget({ secret: "whsec_not base64!" }),
        ctx(),
      ),
    );
    expect(err.permanent).toBe(true);
    expect(err.message).toMatch(/secret/);
    expect(receiver.received).toHaveLength(0);
  });

  test("a digest arrives as one signed body, grouped by watchlist, newest story first", async () => {
    await channel.send({ kind: "digest", digest: opsDigest() }, jsonTarget(), ctx());
    const payload = verified(onlyRequest(receiver)) as {
      type: string;
      id: string;
      sections: { watchlist: { id: string }; alerts: { id: string; item: { title: string } }[] }[];
    };
    expect(payload.type).toBe("digest");
    expect(payload.id).toBe("d-ops-desk-2026-11-25T04");
    expect(payload.sections.map((s) => s.watchlist.id)).toEqual([
      "iraq-base-attacks",
      "kurdistan-airports",
    ]);
    expect(payload.sections[0]?.alerts.map((a) => a.item.title)).toEqual([
      "Two Katyusha rockets hit Taji military base north of Baghdad",
      "Drone attack reported at Balad air base",
    ]);
  });

  test("a notice arrives with its subject, text and action", async () => {
    await channel.send({ kind: "notice", notice: confirmNotice() }, jsonTarget(), ctx());
    expect(verified(onlyRequest(receiver))).toMatchObject({
      type: "notice",
      id: "n-confirm-ops-desk-1",
      subject: "Confirm your newswatch subscription",
      action: {
        label: "Confirm subscription",
        url: "https://newswatch.example.org/confirm/tok123",
      },
    });
  });
});

describe("how receiver answers are treated", () => {
  test("410 Gone is permanent and disables the endpoint", async () => {
    receiver.reply(status(410));
    const err = await failure(
      channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
    );
    expect(err.permanent).toBe(true);
    expect(err.targetAction).toBe("disable");
  });

  test("429 with Retry-After in seconds is retried no sooner than asked", async () => {
    receiver.reply(status(429, { "retry-after": "120" }));
    const err = await failure(
      channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
    );
    expect(err.permanent).toBe(false);
    expect(err.retryAfterMs).toBe(120_000);
  });

  test("503 with Retry-After as an HTTP date is retried after that date", async () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    receiver.reply(status(503, { "retry-after": at }));
    const err = await failure(
      channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
    );
    expect(err.permanent).toBe(false);
    expect(err.retryAfterMs).toBeGreaterThan(85_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  test("408 is retried; 400 and 404 are not", async () => {
    receiver.reply(status(408), status(400), status(404));
    const e408 = await failure(
      channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
    );
    const e400 = await failure(
      channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
    );
    const e404 = await failure(
      channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
    );
    expect([e408.permanent, e400.permanent, e404.permanent]).toEqual([false, true, true]);
    expect(e400.targetAction).toBeUndefined();
  });

  test("a 302 is a permanent failure and its Location is never requested", async () => {
    receiver.reply(status(302, { location: `${receiver.origin}/elsewhere` }));
    const err = await failure(
      channel.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
    );
    expect(err.permanent).toBe(true);
    expect(err.message).toContain(`${receiver.origin}/elsewhere`);
    expect(receiver.received.map((r) => r.path)).toEqual(["/hook"]);
  });

  test("a receiver slower than the timeout is cut off and retried later", async () => {
    receiver.reply(() => {}); // never answers
    const slow = createWebhookChannel({
      allowPrivateNetworks: true,
      userAgent: UA,
      timeoutMs: 300,
    });
    const started = Date.now();
    try {
      const err = await failure(
        slow.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
      );
      expect(err.permanent).toBe(false);
      expect(err.message).toMatch(/300 ms/);
      expect(Date.now() - started).toBeLessThan(5000); // without the timeout it never ends
    } finally {
      await slow.close();
    }
  });

  test("a receiver that answers 200 but never finishes its body is cut off too", async () => {
    receiver.reply((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("still thinking");
    });
    const slow = createWebhookChannel({
      allowPrivateNetworks: true,
      userAgent: UA,
      timeoutMs: 300,
    });
    try {
      const err = await failure(
        slow.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
      );
      expect(err.permanent).toBe(false);
      expect(err.message).toMatch(/300 ms/);
    } finally {
      await slow.close();
    }
  });

  test("a delivery whose job is aborted stops at once and is retried later", async () => {
    receiver.reply(() => {}); // never answers
    const abort = new AbortController();
    const pending = channel.send(
      { kind: "alert", alert: tajiAlert() },
      jsonTarget(),
      ctx({ signal: abort.signal }),
    );
    setTimeout(() => abort.abort(new Error("worker shutting down")), 50);
    const started = Date.now();
    const err = await failure(pending);
    expect(Date.now() - started).toBeLessThan(1900); // before the channel's own 2 s timeout
    expect(err.permanent).toBe(false);
    expect(err.message).toContain("worker shutting down");
  });

  test("a refused connection is retried", async () => {
    const port = receiver.port;
    await receiver.close();
    const err = await failure(
      channel.send(
        { kind: "alert", alert: tajiAlert() },
        jsonTarget({ url: `http://127.0.0.1:${port}/hook` }),
        ctx(),
      ),
    );
    expect(err.permanent).toBe(false);
    expect(err.message).toMatch(/ECONNREFUSED/);
    receiver = await startReceiver(); // for afterEach
  });
});

describe("private network guard", () => {
  test("a loopback IP is refused before connecting when private networks are not allowed", async () => {
    const guarded = createWebhookChannel({ allowPrivateNetworks: false, userAgent: UA });
    try {
      const err = await failure(
        guarded.send({ kind: "alert", alert: tajiAlert() }, jsonTarget(), ctx()),
      );
      expect(err.permanent).toBe(true);
      expect(err.message).toMatch(/private or reserved/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });

  test("a name that resolves to loopback is refused too", async () => {
    const guarded = createWebhookChannel({ allowPrivateNetworks: false, userAgent: UA });
    try {
      const target = jsonTarget({ url: `http://localhost:${receiver.port}/hook` });
      const err = await failure(guarded.send({ kind: "alert", alert: tajiAlert() }, target, ctx()));
      expect(err.permanent).toBe(true);
      expect(err.message).toMatch(/localhost resolves to/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });
});

describe("chat and push presets", () => {
  test("slack gets text plus mrkdwn blocks, hits in bold and markup escaped", async () => {
    const base = tajiAlert();
    const alert = tajiAlert({ item: { ...base.item, title: "Rockets <!channel> & <script>" } });
    await channel.send(
      { kind: "alert", alert },
      { url: `${receiver.origin}/services/T0/B0/x`, format: "slack" },
      ctx(),
    );
    const req = onlyRequest(receiver);
    expect(req.path).toBe("/services/T0/B0/x");
    expect(req.headers["webhook-signature"]).toBeUndefined();
    const body = JSON.parse(req.body) as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string } }[];
    };
    expect(body.text).toBe(
      "[Rocket and drone attacks on bases in Iraq] Rockets &lt;!channel&gt; &amp; &lt;script&gt;",
    );
    const sections = body.blocks.filter((b) => b.type === "section").map((b) => b.text?.text ?? "");
    const main = sections.join("\n");
    expect(main).toContain(
      "*<https://news.example.org/iraq/taji-rockets-2611|Rockets &lt;!channel&gt; &amp; &lt;script&gt;>*",
    );
    expect(main).toContain("Two *Katyusha* *rockets* struck the *Taji* military *base*");
    expect(main).not.toContain("<!channel>");
    for (const b of body.blocks) if (b.text) expect(b.text.type).toBe("mrkdwn");
  });

  test("discord gets an embed with the story, and mentions are switched off", async () => {
    const base = tajiAlert();
    const alert = tajiAlert({
      item: { ...base.item, title: "@everyone Two Katyusha rockets hit Taji" },
    });
    await channel.send(
      { kind: "alert", alert },
      { url: `${receiver.origin}/api/webhooks/1/abc`, format: "discord" },
      ctx(),
    );
    const body = JSON.parse(onlyRequest(receiver).body) as {
      allowed_mentions: { parse: string[] };
      embeds: {
        title: string;
        url: string;
        description: string;
        timestamp: string;
        fields: { value: string }[];
      }[];
    };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toHaveLength(1);
    const embed = body.embeds[0];
    expect(embed?.title).toBe("@everyone Two Katyusha rockets hit Taji");
    expect(embed?.url).toBe("https://news.example.org/iraq/taji-rockets-2611");
    expect(embed?.timestamp).toBe("2026-11-24T21:40:00.000Z");
    expect(embed?.description).toContain(
      "Two **Katyusha** **rockets** struck the **Taji** military **base**",
    );
    expect(embed?.fields[0]?.value).toBe("katyusha, rockets, base, taji, baghdad");
  });

  test("discord digests stay within Discord's 6000-character message limit", async () => {
    const many = opsDigest();
    const first = many.sections[0];
    if (!first) throw new Error("fixture changed");
    first.alerts = Array.from({ length: 120 }, (_, i) =>
      tajiAlert({
        id: `a-${i}`,
        item: { ...tajiAlert().item, title: `Story ${i} ${"x".repeat(150)}` },
      }),
    );
    await channel.send(
      { kind: "digest", digest: many },
      { url: `${receiver.origin}/api/webhooks/1/abc`, format: "discord" },
      ctx(),
    );
    const body = JSON.parse(onlyRequest(receiver).body) as {
      embeds: { title: string; description: string }[];
    };
    const total = body.embeds.reduce((n, e) => n + e.title.length + e.description.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    expect(body.embeds[0]?.description).toMatch(/and \d+ more$/);
  });

  test("ntfy gets a JSON publish to the server root naming the topic from the URL", async () => {
    await channel.send(
      { kind: "alert", alert: tajiAlert() },
      { url: `${receiver.origin}/newswatch-ops`, format: "ntfy" },
      ctx({ timezone: "Asia/Baghdad" }),
    );
    const req = onlyRequest(receiver);
    expect(req.path).toBe("/");
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      topic: "newswatch-ops",
      title: "Rocket and drone attacks on bases in Iraq",
      click: "https://news.example.org/iraq/taji-rockets-2611",
    });
    expect(body.message).toContain("Two Katyusha rockets hit Taji military base north of Baghdad");
    expect(body.message).toContain("25 Nov 2026, 00:40 (Asia/Baghdad)");
    expect(body.message).toContain("«Katyusha»");
  });

  test("an ntfy notice carries its action as a view button", async () => {
    await channel.send(
      { kind: "notice", notice: confirmNotice() },
      { url: `${receiver.origin}/ops`, format: "ntfy" },
      ctx(),
    );
    expect(JSON.parse(onlyRequest(receiver).body)).toMatchObject({
      topic: "ops",
      title: "Confirm your newswatch subscription",
      click: "https://newswatch.example.org/confirm/tok123",
      actions: [
        {
          action: "view",
          label: "Confirm subscription",
          url: "https://newswatch.example.org/confirm/tok123",
        },
      ],
    });
  });
});
