import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type MustacheModule from "mustache";
import { escapeHtml } from "../html-escape.ts";
import { PACKAGE_ROOT } from "../package-root.ts";

export const TEMPLATE_NAMES = ["alert", "digest", "notice"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The shipped templates; an operator's `templatesDir` overrides them one file at a time. */
export const DEFAULT_TEMPLATES_DIR = path.join(PACKAGE_ROOT, "config", "templates");

/** Raised at start-up for a template that cannot be read or parsed: names the file and the problem. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "TemplateError";
  }
}

interface Pair {
  html: string;
  text: string;
}

export interface EmailTemplates {
  /** Which file each template came from, for logs and `newswatch check`. */
  readonly sources: Record<`${TemplateName}.${"html" | "txt"}`, string>;
  render(name: TemplateName, view: object): { html: string; text: string };
}

/**
 * Loads the six email templates once, preferring `<templatesDir>/<name>.<html|txt>.mustache`
 * and falling back to the shipped default for each file that is not there. Every template is
 * parsed here so a broken override fails at start-up with its file name, not on the first alert.
 */
export function loadEmailTemplates(templatesDir?: string): EmailTemplates {
  // Required here, not at import: only a process that sends or checks email needs it.
  const Mustache = createRequire(import.meta.url)("mustache") as typeof MustacheModule;
  const sources = {} as EmailTemplates["sources"];
  const pairs = {} as Record<TemplateName, Pair>;
  for (const name of TEMPLATE_NAMES) {
    const pair: Pair = { html: "", text: "" };
    for (const ext of ["html", "txt"] as const) {
      const file = `${name}.${ext}.mustache`;
      const override = templatesDir ? path.join(templatesDir, file) : undefined;
      const chosen =
        override && existsSync(override) ? override : path.join(DEFAULT_TEMPLATES_DIR, file);
      let source: string;
      try {
        source = readFileSync(chosen, "utf8");
        Mustache.parse(source);
      } catch (err) {
        throw new TemplateError(chosen, err instanceof Error ? err.message : String(err));
      }
      sources[`${name}.${ext}`] = chosen;
      if (ext === "html") pair.html = source;
      else pair.text = source;
    }
    pairs[name] = pair;
  }
  return {
    sources,
    render(name, view) {
      const pair = pairs[name];
      return {
        // {{ }} escaping is what protects the HTML part from feed content.
        html: Mustache.render(pair.html, view, {}, { escape: escapeHtml }),
        // The text part is not HTML: escaping would show "&amp;" to the reader.
        text: Mustache.render(pair.text, view, {}, { escape: (s: string) => s }),
      };
    },
  };
}
