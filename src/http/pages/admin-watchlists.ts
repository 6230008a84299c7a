import type { FastifyInstance } from "fastify";
import { stringify } from "yaml";
import type { WatchlistConfig } from "../../config/schema.ts";
import { checkQuery } from "../../rules/index.ts";
import { RECENT_WINDOW_MS } from "../../store/recent-items.ts";
import { withExclusion } from "../../subscriptions/exclusions.ts";
import type { FeedbackReport } from "../../subscriptions/feedback-report.ts";
import { type Preview, previewQuery } from "../../subscriptions/preview.ts";
import type { FieldErrors } from "../../subscriptions/validate.ts";
import { checkWatchlist } from "../../subscriptions/watchlist-store.ts";
import { barChart } from "../chart.ts";
import { type Html, html } from "../html.ts";
import { seeOther } from "../reply.ts";
import { reasonTree, suggestFromText } from "../suggest.ts";
import { knownWatchlists, reloadWatchlists, type WebDeps, watchlistFeedback } from "../web-deps.ts";
import { type AdminSession, csrfField, requireAdmin, sendAdminPage } from "./admin-shell.ts";
import { safeLink } from "./delivery-rows.ts";
import { renderFeedback } from "./feedback-section.ts";

interface EditorValues {
  id: string;
  title: string;
  description: string;
  query: string;
  stemming: boolean;
  article: string;
}

const EMPTY: EditorValues = {
  id: "",
  title: "",
  description: "",
  query: "",
  stemming: true,
  article: "",
};

/** The preview as HTML: the no-JavaScript path; editor.js draws the same from the JSON API. */
export function renderPreview(preview: Preview): Html {
  if (preview.error) return html`<p class="muted">Fix the query to see a preview.</p>`;
  return html`<p><strong id="preview-total">${preview.total}</strong> matching item${preview.total === 1 ? "" : "s"} in the last 7 days.</p>
${barChart(
  preview.perDay.map((d) => ({ label: d.day, value: d.count })),
  { title: "Matches per day, last 7 days" },
)}
<ul class="day-counts">${preview.perDay.map((d) => html`<li><span>${d.day.slice(5)}</span> <strong>${d.count}</strong></li>`)}</ul>
<ol class="hits">${preview.items.map(
    (hit) =>
      html`<li><p class="hit-title" dir="auto">${safeLink(hit.link, hit.title)}</p><p class="hit-meta"><span dir="auto">${hit.feed.title}</span> · ${hit.discoveredAt.slice(0, 16).replace("T", " ")} UTC</p><p class="snippet" dir="auto">${hit.snippet.map((s) => (s.hit ? html`<mark>${s.text}</mark>` : html`${s.text}`))}</p></li>`,
  )}</ol>`;
}

/**
 * Where a query error sits in the textarea: the parser counts columns from the start of the
 * whole query, the box shows lines. editor.js has the same function.
 */
export function errorPlace(
  query: string,
  column: number,
): { line: number; col: number; text: string } {
  const at = Math.min(Math.max(0, column - 1), query.length);
  const start = query.lastIndexOf("\n", at - 1) + 1;
  const end = query.indexOf("\n", start);
  const text = query.slice(start, end < 0 ? query.length : end).replace(/\r$/, "");
  const line = query.slice(0, start).split("\n").length;
  return { line, col: at - start + 1, text };
}

function queryError(message: string | undefined, column: number | undefined, query: string): Html {
  if (!message) return html``;
  let caret: Html | string = "";
  let where = "";
  if (column) {
    const place = errorPlace(query, column);
    // Tabs stay tabs under the line, so the caret lines up however wide the browser draws them.
    const pad = place.text.slice(0, place.col - 1).replace(/[^\t]/g, " ");
    caret = html`<pre class="caret" aria-hidden="true">${place.text}\n${pad}^</pre>`;
    if (query.includes("\n")) where = ` (line ${place.line}, column ${place.col})`;
  }
  return html`<p class="field-error" id="query-error" role="alert" data-column="${column ?? ""}">${message}${where}</p>${caret}`;
}

/** Why each part of a suggested query was chosen (editor.js draws the same list). */
function renderReasons(reasons: string[]): Html {
  return html`<p class="hint">Why:</p><ul class="reasons">${reasonTree(reasons).map(
    (r) =>
      html`<li>${r.text}${r.children.length ? html`<ul>${r.children.map((c) => html`<li>${c}</li>`)}</ul>` : ""}</li>`,
  )}</ul>`;
}

/** Watchlists: the list, the editor with live check and preview, suggest, save. */
export function registerWatchlistPages(app: FastifyInstance, deps: WebDeps) {
  const { ctx } = deps;

  const editor = async (
    s: AdminSession,
    values: EditorValues,
    opts: {
      editing: boolean;
      errors?: FieldErrors;
      column?: number;
      preview?: Preview;
      notice?: string;
      /** Why the suggested query has each of its parts. */
      reasons?: string[];
      /** Reader votes on this watchlist's alerts (an existing watchlist only). */
      feedback?: FeedbackReport;
    },
  ) => {
    const errors = opts.errors ?? {};
    // The notes `newswatch check` prints (OR mixed with implicit AND, and how it is read), on
    // every render: without JavaScript they show after Preview and on the page Save leads to.
    const warnings =
      errors.query || values.query.trim() === ""
        ? []
        : checkQuery(values.query, ctx.snapshot().config.lists, { stemming: values.stemming })
            .warnings;
    const err = (f: string) =>
      errors[f] && f !== "query"
        ? html`<p class="field-error" id="${f}-error">${errors[f]}</p>`
        : "";
    return html`<h1>${opts.editing ? html`Edit watchlist <code>${values.id}</code>` : "New watchlist"}</h1>
${opts.notice ? html`<p class="notice" role="status">${opts.notice}</p>` : ""}
<form method="post" action="/admin/watchlists" id="editor" novalidate>
${csrfField(s)}
${opts.editing ? html`<input type="hidden" name="editing" value="${values.id}">` : ""}
<div class="field"><label for="id">Id</label>
<input id="id" name="id" value="${values.id}" required pattern="[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}"${opts.editing ? html` readonly` : ""} aria-describedby="id-hint">
<p class="hint" id="id-hint">Letters, digits, '.', '_' or '-'. Used in links and logs; cannot change later.</p>${err("id")}</div>
<div class="field"><label for="title">Title</label><input id="title" name="title" value="${values.title}" required>${err("title")}</div>
<div class="field"><label for="description">Description <span class="hint">(shown on the subscribe page)</span></label><input id="description" name="description" value="${values.description}"></div>
<div class="field"><label for="query">Query</label>
<div class="query-box" id="query-box"><div id="query-highlight" class="highlight" aria-hidden="true"></div><textarea id="query" name="query" rows="4" spellcheck="false" autocomplete="off" required aria-describedby="query-help query-status">${values.query}</textarea></div>
<div id="query-status" aria-live="polite">${queryError(errors.query, opts.column, values.query)}${warnings.map((w) => html`<p class="hint">Note: ${w}</p>`)}</div>
<p class="hint" id="query-help">Words, "exact phrases", OR, AND, NOT or -word, NEAR(a b, 5), title:word, prefix*, @list.</p></div>
<label class="check"><input type="checkbox" name="stemming" value="on"${values.stemming ? html` checked` : ""}> <span>Match word forms (stemming: attack matches attacks, attacked)</span></label>
<div class="buttons"><button type="submit" name="action" value="preview" class="secondary">Preview</button> <button type="submit" name="action" value="save">Save watchlist</button></div>
<details class="suggest"${values.article ? html` open` : ""}><summary>Suggest a query from an article</summary>
<label for="article">Paste an article's text</label>
<textarea id="article" name="article" rows="5" dir="auto">${values.article}</textarea>
<button type="submit" name="action" value="suggest" class="secondary" id="suggest-button">Suggest a query</button>
<p id="suggest-status" aria-live="polite"></p>
<div id="suggest-reasons">${opts.reasons ? renderReasons(opts.reasons) : ""}</div>
</details>
</form>
<section aria-labelledby="preview-heading"><h2 id="preview-heading">Preview: the last 7 days</h2>
<div id="preview">${opts.preview ? renderPreview(opts.preview) : html`<p class="muted">Write a query to see what it would have matched.</p>`}</div></section>
${opts.feedback ? renderFeedback(opts.feedback, true) : ""}
<script src="/assets/editor.js"></script>`;
  };

  const previewOf = async (query: string, stemming: boolean) => {
    const now = deps.now();
    return previewQuery(
      query,
      { stemming, lists: ctx.snapshot().config.lists, now },
      await ctx.stores.recent.list(now - RECENT_WINDOW_MS),
    );
  };

  app.get("/admin/watchlists", async (req, reply) => {
    const s = requireAdmin(deps, req, reply);
    if (!s) return reply;
    const all = await knownWatchlists(deps);
    const yamlOf = (w: WatchlistConfig) =>
      stringify([
        {
          id: w.id,
          title: w.title,
          ...(w.description ? { description: w.description } : {}),
          query: w.query,
          ...(w.stemming ? {} : { stemming: false }),
        },
      ]);
    return sendAdminPage(
      reply,
      s,
      "/admin/watchlists",
      "Watchlists",
      html`<h1>Watchlists</h1>
<p><a href="/admin/watchlists/new" class="button">New watchlist</a></p>
<table class="rows"><thead><tr><th scope="col">Watchlist</th><th scope="col">Query</th><th scope="col">Where</th></tr></thead><tbody>
${all.map(
  (w) =>
    html`<tr><td><strong>${w.title}</strong><br><code>${w.id}</code></td><td><code class="q">${w.query}</code></td><td>${
      w.readOnly
        ? html`config file (read-only)<details><summary>YAML</summary><pre>${yamlOf(w)}</pre></details><a href="/admin/watchlists/${encodeURIComponent(w.id)}/feedback">Feedback</a>`
        : html`<a href="/admin/watchlists/${encodeURIComponent(w.id)}/edit">Edit</a>`
    }</td></tr>`,
)}
</tbody></table>`,
    );
  });

  app.get("/admin/watchlists/new", async (req, reply) => {
    const s = requireAdmin(deps, req, reply);
    if (!s) return reply;
    return sendAdminPage(
      reply,
      s,
      "/admin/watchlists",
      "New watchlist",
      await editor(s, EMPTY, { editing: false }),
    );
  });

  app.get<{ Params: { id: string }; Querystring: { saved?: string } }>(
    "/admin/watchlists/:id/edit",
    async (req, reply) => {
      const s = requireAdmin(deps, req, reply);
      if (!s) return reply;
      const w = await deps.watchlists.get(req.params.id);
      if (!w) return seeOther(reply, "/admin/watchlists");
      const values = {
        id: w.id,
        title: w.title,
        description: w.description ?? "",
        query: w.query,
        stemming: w.stemming,
        article: "",
      };
      return sendAdminPage(
        reply,
        s,
        "/admin/watchlists",
        "Edit watchlist",
        await editor(s, values, {
          editing: true,
          preview: await previewOf(w.query, w.stemming),
          feedback: await watchlistFeedback(deps, w),
          notice: req.query.saved
            ? "Saved. New items are matched with this query from the next poll."
            : undefined,
        }),
      );
    },
  );

  app.get<{ Params: { id: string } }>("/admin/watchlists/:id/feedback", async (req, reply) => {
    const s = requireAdmin(deps, req, reply);
    if (!s) return reply;
    const w = (await knownWatchlists(deps)).find((k) => k.id === req.params.id);
    if (!w) return seeOther(reply, "/admin/watchlists");
    if (!w.readOnly)
      return seeOther(reply, `/admin/watchlists/${encodeURIComponent(w.id)}/edit#feedback`);
    return sendAdminPage(
      reply,
      s,
      "/admin/watchlists",
      "Watchlist feedback",
      html`<h1>Feedback on <code>${w.id}</code></h1>
<p>${w.title}. Defined in the config file: add exclusions there, as <code>-word</code> at the end of its query.</p>
<p><code class="q">${w.query}</code></p>
${renderFeedback(await watchlistFeedback(deps, w), false)}`,
    );
  });

  app.post<{ Body: Record<string, unknown> }>("/admin/watchlists", async (req, reply) => {
    const s = requireAdmin(deps, req, reply);
    if (!s) return reply;
    const body = req.body ?? {};
    if (!deps.auth.allowsForm(req, body._csrf))
      return reply.code(403).send("The form expired: reload the page.");
    const text = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
    const values: EditorValues = {
      id: text("id").trim(),
      title: text("title").trim(),
      description: text("description").trim(),
      query: text("query"),
      stemming: body.stemming === "on",
      article: text("article"),
    };
    const existing = (await knownWatchlists(deps)).find((w) => w.id === values.id);
    // Only the edit page carries `editing` (its id): the "New watchlist" form must not replace
    // a watchlist that happens to have the same id, as POST /api/watchlists answers 409.
    const editing = existing !== undefined && !existing.readOnly && text("editing") === values.id;
    // The votes are about the saved watchlist, so they show on every render of its editor.
    const saved = editing ? existing : undefined;
    const feedback = saved ? await watchlistFeedback(deps, saved) : undefined;
    const page = async (status: number, opts: Parameters<typeof editor>[2]) =>
      sendAdminPage(
        reply,
        s,
        "/admin/watchlists",
        "Watchlist",
        await editor(s, values, { feedback, ...opts }),
        status,
      );

    if (typeof body.exclude === "string" && /^[\p{L}\p{N}]+$/u.test(body.exclude)) {
      values.query = withExclusion(values.query, body.exclude);
      const preview = await previewOf(values.query, values.stemming);
      return page(200, {
        editing,
        preview,
        notice: `Added -${body.exclude} to the query; check the preview and save.`,
      });
    }

    if (body.action === "suggest") {
      const recent = await ctx.stores.recent.list(deps.now() - RECENT_WINDOW_MS);
      const suggestion = values.article.trim()
        ? suggestFromText(
            values.article,
            ctx.snapshot().config.lists,
            recent.map((r) => ({ title: r.item.title, text: r.item.text })),
          )
        : null;
      if (suggestion?.query) values.query = suggestion.query;
      return page(200, {
        editing,
        preview: suggestion?.query ? await previewOf(values.query, values.stemming) : undefined,
        reasons: suggestion?.query ? suggestion.reasons : undefined,
        notice: !suggestion
          ? "No suggestion: paste an article's text first."
          : suggestion.query
            ? "Suggested a query from the article; adjust it and save. Why each part was chosen is under the Suggest button."
            : `No suggestion: ${suggestion.reasons.join("; ")}.`,
      });
    }
    const check = checkWatchlist(
      {
        id: values.id,
        title: values.title,
        query: values.query,
        stemming: values.stemming,
        ...(values.description ? { description: values.description } : {}),
      },
      ctx.snapshot().config.lists,
    );
    if (body.action !== "save") {
      const preview = await previewOf(values.query, values.stemming);
      return page(200, {
        editing,
        preview,
        errors: preview.error ? { query: preview.error.message } : {},
        column: preview.error?.column,
      });
    }
    if (!check.ok) return page(422, { editing, errors: check.errors, column: check.column });
    if (existing?.readOnly)
      return page(409, {
        editing,
        errors: { id: "this id belongs to a config-file watchlist; choose another" },
      });
    if (existing && !editing)
      return page(409, {
        editing,
        errors: { id: "a watchlist with this id exists; choose another id or edit that one" },
      });
    await deps.watchlists.put(check.value);
    await reloadWatchlists(deps);
    ctx.log.info({ watchlistId: check.value.id }, "watchlist saved from the editor");
    return seeOther(reply, `/admin/watchlists/${encodeURIComponent(check.value.id)}/edit?saved=1`);
  });
}
