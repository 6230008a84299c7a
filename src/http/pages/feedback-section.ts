import type { FeedbackReport } from "../../subscriptions/feedback-report.ts";
import { type Html, html } from "../html.ts";
import { safeLink } from "./delivery-rows.ts";

const percent = (p: number) => `${Math.round(p * 100)}%`;

/**
 * The editor's view of relevance votes: precision over 30 days, what readers found not
 * relevant, and proposed `-term` exclusions with what each would remove. On the editable
 * page each proposal is a button of the editor's form (`form="editor"`), so it works
 * without JavaScript: the query gets the exclusion and the preview follows.
 */
export function renderFeedback(report: FeedbackReport, editable: boolean): Html {
  const { useful, notRelevant } = report.counts;
  const bad = report.votes.filter((v) => v.vote === "not-relevant");
  return html`<section aria-labelledby="feedback-heading" id="feedback"><h2 id="feedback-heading">Reader feedback: the last 30 days</h2>
${
  report.precision === null
    ? html`<p class="muted">No votes yet. Every alert carries "Useful" and "Not relevant" links.</p>`
    : html`<p>Precision <strong id="feedback-precision">${percent(report.precision)}</strong>: ${useful} useful, ${notRelevant} not relevant.</p>`
}
${
  bad.length === 0
    ? ""
    : html`<h3>Not relevant</h3><ul class="not-relevant">${bad.map(
        (v) =>
          html`<li dir="auto">${safeLink(v.link, v.title || "(untitled)")} <span class="hint">${v.feed.title} · ${v.alertAt.slice(0, 10)}</span></li>`,
      )}</ul>`
}
${
  report.proposedExclusions.length === 0
    ? ""
    : html`<h3>Proposed exclusions</h3>
<p class="hint">Words common in the not-relevant items and rare in the useful ones. "Removes" is how many of the last 7 days' matches the exclusion would drop.</p>
<table class="rows" id="exclusions"><thead><tr><th scope="col">Exclude</th><th scope="col">Not relevant</th><th scope="col">Useful</th><th scope="col">Removes</th>${editable ? html`<th scope="col"></th>` : ""}</tr></thead><tbody>
${report.proposedExclusions.map(
  (p) =>
    html`<tr><td><code dir="auto">-${p.term}</code></td><td>${p.notRelevant}</td><td>${p.useful}</td><td>${p.removes}${
      p.examples.length
        ? html`<ul class="hint">${p.examples.map((t) => html`<li dir="auto">${t}</li>`)}</ul>`
        : ""
    }</td>${editable ? html`<td><button type="submit" form="editor" name="exclude" value="${p.term}" class="secondary">Add -${p.term}</button></td>` : ""}</tr>`,
)}
</tbody></table>`
}
</section>`;
}
