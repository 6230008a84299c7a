const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/**
 * Escapes text for HTML element content and quoted attributes (pages, email, Matrix). It
 * leaves "/" and "=" alone, so links stay readable in "view source" and in mail clients that
 * show the raw href; attribute values must therefore be quoted. Nothing (null, undefined) is "".
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}
