import { wordTableGeneration } from "./analyze.ts";
import { analyzeDocument, type MatchDocument } from "./document.ts";

/** What a rule set's couldMatch needs of a document: its distinct word ids and folded feed. */
export interface Words {
  ids: Int32Array;
  feed: string;
}

/**
 * The distinct word ids of documents matched again and again, such as the stored recent items
 * a watchlist preview runs over at each pause in typing. With them a rule set rules out most
 * items at a glance (IndexedRuleSet.couldMatch) and only the rest are analysed and matched:
 * analysis is most of the cost of matching one query. A word id names the same word until the
 * word table is reset, so the cache empties itself then.
 */
export class DocumentWords {
  private generation = wordTableGeneration();
  private readonly byKey = new Map<string, Words>();

  /** The words of `doc`, analysed the first time `key` (which must name this content) is seen. */
  of(key: string, doc: MatchDocument): Words {
    if (this.generation !== wordTableGeneration()) {
      this.byKey.clear();
      this.generation = wordTableGeneration();
    }
    const cached = this.byKey.get(key);
    if (cached) return cached;
    const before = wordTableGeneration();
    const analysed = analyzeDocument(doc);
    const ids: number[] = [];
    for (const f of analysed.fields) {
      for (let i = 0; i < f.distinctCount; i++) ids.push(f.distinctId(i));
    }
    const words = { ids: Int32Array.from(ids), feed: analysed.feed };
    // A reset during this very analysis may have dropped some of these words: good for one
    // look now, not for keeping.
    if (wordTableGeneration() === before) this.byKey.set(key, words);
    return words;
  }

  /** Forgets every document not in `keys`, so memory follows the set of stored items. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.byKey.keys()) if (!keys.has(key)) this.byKey.delete(key);
  }

  get size(): number {
    return this.byKey.size;
  }
}
