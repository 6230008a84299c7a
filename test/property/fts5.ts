import type { Leaf, Near, Node } from "../../src/rules/ast.ts";
import { DEFAULT_FIELDS, FIELD_BIT } from "../../src/rules/ast.ts";

/**
 * Writes one of our parsed queries in FTS5 syntax, for a table with columns (title, content).
 * Only the shared subset is supported: terms, phrases, prefixes, NEAR, AND/OR/NOT and
 * title:/content: scopes. Leaves are written from their text as typed, so FTS5 runs its own
 * tokenizer on them, exactly as it would for a user.
 */
export function toFts5(node: Node): string {
  switch (node.kind) {
    case "leaf":
      return scoped(node.fields, phrase(node));
    case "near":
      return scoped(node.fields, near(node));
    case "or":
      return `(${node.children.map(toFts5).join(" OR ")})`;
    case "and": {
      const positive = node.children.filter((c) => c.kind !== "not").map(toFts5);
      const negative = node.children.filter((c) => c.kind === "not").map((c) => toFts5(c.child));
      return `(${positive.join(" AND ")}${negative.map((n) => ` NOT ${n}`).join("")})`;
    }
    case "not":
      throw new Error("a NOT outside an AND has no FTS5 form");
  }
}

function phrase(leaf: Leaf): string {
  if (leaf.feed) throw new Error("feed: has no FTS5 form");
  const prefix = leaf.parts.at(-1)?.prefix ?? false;
  let body = leaf.text;
  if (body.startsWith('"')) body = body.slice(1, body.lastIndexOf('"'));
  else if (prefix) body = body.slice(0, -1);
  return `"${body.replaceAll('"', '""')}"${prefix ? "*" : ""}`;
}

function near(n: Near): string {
  const members = n.members.map((alts) => {
    if (alts.length !== 1) throw new Error("lists inside NEAR have no FTS5 form");
    return phrase(alts[0] as Leaf);
  });
  return `NEAR(${members.join(" ")}, ${n.distance})`;
}

function scoped(fields: number, expr: string): string {
  if (fields === DEFAULT_FIELDS) return expr;
  if (fields === FIELD_BIT.title) return `title : ${expr}`;
  if (fields === FIELD_BIT.content) return `content : ${expr}`;
  throw new Error("only title and content exist in the FTS5 table");
}
