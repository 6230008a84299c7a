// Watchlist editor, progressive enhancement: the form works without this script (Preview
// and Save buttons post it). With it, the query is highlighted and checked as you type,
// the error points at its column, the preview follows the query, and Suggest fills it in.
// Everything from the server is put in the page with textContent, never as HTML.
(() => {
  const form = document.getElementById("editor");
  const query = document.getElementById("query");
  if (!form || !query) return;
  const stemming = form.querySelector('input[name="stemming"]');
  const highlight = document.getElementById("query-highlight");
  const status = document.getElementById("query-status");
  const preview = document.getElementById("preview");
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";
  // From here on the highlighted copy is what the eye reads; the textarea's own text is transparent.
  document.getElementById("query-box")?.classList.add("enhanced");
  const fitHeight = () => {
    query.style.height = "auto";
    query.style.height = `${query.scrollHeight + 2}px`;
  };

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(c);
    return node;
  };

  const post = async (path, body) => {
    const res = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    if (!res.ok && res.status !== 400) throw new Error(`${res.status}`);
    return res.json();
  };

  // Display-only tokenizer: the server's parser decides what is valid.
  const tokens = (text) => {
    const out = [];
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (/\s/.test(c)) {
        let j = i;
        while (j < text.length && /\s/.test(text[j])) j++;
        out.push({ from: i, to: j, kind: "" });
        i = j;
      } else if (c === "(" || c === ")" || c === ",") {
        out.push({ from: i, to: i + 1, kind: "paren" });
        i++;
      } else if (c === '"') {
        const close = text.indexOf('"', i + 1);
        let j = close < 0 ? text.length : close + 1;
        if (text[j] === "*") j++;
        out.push({ from: i, to: j, kind: "phrase" });
        i = j;
      } else if (c === "-" && i + 1 < text.length && !/\s/.test(text[i + 1])) {
        out.push({ from: i, to: i + 1, kind: "op" });
        i++;
      } else {
        let j = i;
        while (j < text.length && !/[\s()",]/.test(text[j])) j++;
        const word = text.slice(i, j);
        const kind = /^(AND|OR|NOT|NEAR|NEAR\/\d+)$/.test(word)
          ? "op"
          : word.startsWith("@")
            ? "list"
            : /^[A-Za-z]+:/.test(word)
              ? "field"
              : "";
        out.push({ from: i, to: j, kind });
        i = j;
      }
    }
    return out;
  };

  const drawHighlight = (text, errorColumn) => {
    highlight.textContent = "";
    const at = errorColumn ? errorColumn - 1 : -1;
    for (const t of tokens(text)) {
      for (const [from, to, mark] of at >= t.from && at < t.to
        ? [
            [t.from, at, false],
            [at, at + 1, true],
            [at + 1, t.to, false],
          ]
        : [[t.from, t.to, false]]) {
        if (from >= to) continue;
        const cls = [t.kind ? `tok-${t.kind}` : "", mark ? "tok-error" : ""].join(" ").trim();
        highlight.append(
          cls ? el("span", { class: cls }, text.slice(from, to)) : text.slice(from, to),
        );
      }
    }
    if (at >= text.length) highlight.append(el("span", { class: "tok-error" }, " "));
    // A trailing newline needs a character after it to take up its line.
    highlight.append("\n");
    fitHeight();
  };

  // The parser counts columns from the start of the whole query; the box shows lines.
  // Same as errorPlace in admin-watchlists.ts.
  const errorPlace = (text, column) => {
    const at = Math.min(Math.max(0, column - 1), text.length);
    const start = text.lastIndexOf("\n", at - 1) + 1;
    const end = text.indexOf("\n", start);
    const lineText = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, "");
    const line = text.slice(0, start).split("\n").length;
    return { line, col: at - start + 1, text: lineText };
  };

  const drawStatus = (result, text) => {
    status.textContent = "";
    if (result.error) {
      query.setAttribute("aria-invalid", "true");
      const place = errorPlace(text, result.error.column);
      const where = text.includes("\n") ? ` (line ${place.line}, column ${place.col})` : "";
      const pad = place.text.slice(0, place.col - 1).replace(/[^\t]/g, " ");
      status.append(
        el(
          "p",
          { class: "field-error", id: "query-error", "data-column": String(result.error.column) },
          `${result.error.message}${where}`,
        ),
        el("pre", { class: "caret", "aria-hidden": "true" }, `${place.text}\n${pad}^`),
      );
    } else {
      query.removeAttribute("aria-invalid");
      for (const w of result.warnings ?? [])
        status.append(el("p", { class: "hint" }, `Note: ${w}`));
    }
  };

  const chart = (perDay) => {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    const max = Math.max(1, ...perDay.map((d) => d.count));
    svg.setAttribute("viewBox", `0 0 ${perDay.length * 10} 60`);
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("class", "chart");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Matches per day, last 7 days");
    perDay.forEach((d, i) => {
      const h = d.count === 0 ? 0 : Math.max(1.5, (d.count / max) * 58);
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", String(i * 10 + 1));
      rect.setAttribute("y", String(60 - h));
      rect.setAttribute("width", "8");
      rect.setAttribute("height", String(h));
      const title = document.createElementNS(ns, "title");
      title.textContent = `${d.day}: ${d.count}`;
      rect.append(title);
      svg.append(rect);
    });
    return svg;
  };

  const link = (url, text) =>
    url && /^https?:\/\//i.test(url)
      ? el("a", { href: url, rel: "noopener noreferrer" }, text)
      : text;

  const drawPreview = (p) => {
    preview.textContent = "";
    if (p.error) {
      preview.append(el("p", { class: "muted" }, "Fix the query to see a preview."));
      return;
    }
    preview.append(
      el(
        "p",
        {},
        el("strong", { id: "preview-total" }, String(p.total)),
        ` matching item${p.total === 1 ? "" : "s"} in the last 7 days.`,
      ),
      chart(p.perDay),
      el(
        "ul",
        { class: "day-counts" },
        ...p.perDay.map((d) =>
          el("li", {}, el("span", {}, d.day.slice(5)), " ", el("strong", {}, String(d.count))),
        ),
      ),
      el(
        "ol",
        { class: "hits" },
        ...p.items.map((hit) =>
          el(
            "li",
            {},
            el("p", { class: "hit-title", dir: "auto" }, link(hit.link, hit.title)),
            el(
              "p",
              { class: "hit-meta" },
              el("span", { dir: "auto" }, hit.feed.title),
              ` · ${hit.discoveredAt.slice(0, 16).replace("T", " ")} UTC`,
            ),
            el(
              "p",
              { class: "snippet", dir: "auto" },
              ...hit.snippet.map((s) => (s.hit ? el("mark", {}, s.text) : s.text)),
            ),
          ),
        ),
      ),
    );
  };

  let checkTimer;
  let previewTimer;
  let latest = 0;
  const onChange = () => {
    const text = query.value;
    drawHighlight(text);
    clearTimeout(checkTimer);
    clearTimeout(previewTimer);
    const ticket = ++latest;
    checkTimer = setTimeout(async () => {
      try {
        const result = await post("/api/watchlists/check", {
          query: text,
          stemming: stemming?.checked ?? true,
        });
        if (ticket !== latest) return;
        drawHighlight(text, result.error?.column);
        drawStatus(result, text);
        if (result.error || text.trim() === "") return;
        previewTimer = setTimeout(async () => {
          const p = await post("/api/watchlists/preview", {
            query: text,
            stemming: stemming?.checked ?? true,
          });
          if (ticket === latest) drawPreview(p);
        }, 250);
      } catch {
        status.textContent =
          "Could not check the query (signed out?). The Preview button still works.";
      }
    }, 150);
  };
  query.addEventListener("input", onChange);
  stemming?.addEventListener("change", onChange);
  drawHighlight(query.value);

  const suggestButton = document.getElementById("suggest-button");
  const article = document.getElementById("article");
  const suggestStatus = document.getElementById("suggest-status");
  const suggestReasons = document.getElementById("suggest-reasons");
  // The reasons as the server page lists them: headings, their indented lines nested beneath.
  const drawReasons = (reasons) => {
    suggestReasons.textContent = "";
    if (!reasons?.length) return;
    const list = el("ul", { class: "reasons" });
    let last;
    for (const line of reasons) {
      if (line.startsWith("  ") && last) {
        let sub = last.querySelector("ul");
        if (!sub) {
          sub = el("ul");
          last.append(sub);
        }
        sub.append(el("li", {}, line.trim()));
      } else {
        last = el("li", {}, line);
        list.append(last);
      }
    }
    suggestReasons.append(el("p", { class: "hint" }, "Why:"), list);
  };
  suggestButton?.addEventListener("click", async (event) => {
    event.preventDefault();
    suggestStatus.textContent = "Suggesting…";
    drawReasons([]);
    try {
      const res = await fetch("/api/watchlists/suggest", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ text: article.value }),
      });
      const body = await res.json();
      if (!res.ok) {
        suggestStatus.textContent = body.error ?? "No suggestion.";
        return;
      }
      query.value = body.query;
      suggestStatus.textContent = "Suggested a query; adjust it and save.";
      drawReasons(body.reasons);
      onChange();
      query.focus();
    } catch {
      suggestStatus.textContent = "No suggestion.";
    }
  });
})();
