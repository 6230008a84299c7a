import type { MatchDocument } from "../../src/rules/index.ts";

/** An item as the rules see it, from a title and an optional body. */
export const doc = (title: string, content = ""): MatchDocument => ({
  feedId: "f",
  title,
  content,
  author: "",
  categories: [],
});
