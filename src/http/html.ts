import { escapeHtml } from "../html-escape.ts";
/** Escapes text for HTML element content and quoted attributes. */
export const esc = escapeHtml;

/** Marks a string as already-safe HTML, built from escaped parts. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template that escapes every interpolation unless it is Html (or an array of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return esc(value);
}

/**
 * Pages ship no third-party code and no inline script: the CSP allows only this origin's
 * own scripts and styles, so an item title that slipped past escaping still could not run.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · newswatch</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<header class="top"><a href="/" class="brand">newswatch</a></header>
<main>
${body}
</main>
</body>
</html>`.value;
}
