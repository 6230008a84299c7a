/**
 * `suggestQuery` comes from src/rules/suggest.ts, written alongside this code. It is loaded
 * when first asked for, so the server runs (and says "not available") in a build without it.
 */
type Suggest = (text: string) => string | { query: string } | Promise<string | { query: string }>;

let loaded: Promise<Suggest | null> | undefined;

export async function suggestFromText(text: string): Promise<string | null> {
  loaded ??= import(/* @vite-ignore */ `../rules/${"suggest"}.ts`)
    .then((m: { suggestQuery?: Suggest }) => m.suggestQuery ?? null)
    .catch(() => null);
  const suggest = await loaded;
  if (!suggest) return null;
  const result = await suggest(text);
  return typeof result === "string" ? result : result.query;
}
