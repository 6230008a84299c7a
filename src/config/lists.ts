import { z } from "zod";
import { shippedListEntries } from "./shipped-lists.ts";

const entries = z.array(z.string().min(1)).min(1);

/**
 * A config list: a plain array defines the list, replacing a shipped list of the same name
 * whole; `{ extend, remove }` starts from the shipped list, adds `extend` and drops `remove`.
 */
export const configList = z.union([
  entries,
  z
    .strictObject({ extend: entries.optional(), remove: entries.optional() })
    .refine((v) => v.extend || v.remove, "give extend: [...] or remove: [...] (or both)"),
]);

export type ConfigList = z.infer<typeof configList>;

/** The lists a config's queries see: the shipped ones, then the config's replacements and edits. */
export function resolveLists(
  own: Record<string, ConfigList>,
  ctx: z.RefinementCtx,
  shipped: Record<string, string[]> = shippedListEntries(),
): Record<string, string[]> {
  const out: Record<string, string[]> = { ...shipped };
  for (const [name, list] of Object.entries(own)) {
    if (Array.isArray(list)) {
      out[name] = list;
      continue;
    }
    const base = shipped[name];
    if (!base) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: `no shipped list @${name} to extend or remove from (shipped: ${Object.keys(shipped).join(", ")}); a plain array defines a new list`,
      });
      continue;
    }
    const removed = new Set(list.remove ?? []);
    for (const entry of removed) {
      if (!base.includes(entry)) {
        ctx.addIssue({
          code: "custom",
          path: [name, "remove"],
          message: `"${entry}" is not an entry of the shipped list @${name}`,
        });
      }
    }
    const kept = base.filter((e) => !removed.has(e));
    out[name] = [...new Set([...kept, ...(list.extend ?? [])])];
  }
  return out;
}
