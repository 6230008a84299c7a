// The rules stage: query language, matcher, explanations. Other modules import from here only.
export type { Token } from "./analyze.ts";
export { analyze } from "./analyze.ts";
export type { Field } from "./ast.ts";
export { checkQuery } from "./check.ts";
export type { MatchDocument } from "./document.ts";
export { DocumentWords } from "./document-words.ts";
export { QueryError } from "./errors.ts";
export { LIMITS } from "./parser.ts";
export type { IndexStats, RuleMatch, RuleProblem, RuleSet, RuleSpec } from "./ruleset.ts";
export { compileRules, IndexedRuleSet } from "./ruleset.ts";
export { buildSnippet } from "./snippet.ts";
export { suggestQuery } from "./suggest.ts";
