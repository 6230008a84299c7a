/**
 * Presence marks: a small integer per word, stem and rule prefix, and a record per integer in
 * one typed array saying whether it occurs in the item being matched (its stamp) and in which
 * fields. Rules test presence by index into this array, so checking hundreds of candidates
 * touches contiguous memory instead of chasing one object per word: at 100,000 rules that
 * memory traffic, not computation, is what matching costs.
 */
export interface Mark {
  readonly id: number;
  /** Referenced by a compiled rule: survives cache resets so the reference stays live. */
  pinned: boolean;
}

/**
 * One record of four ints per mark id, side by side so that touching a mark costs one cache
 * line, not one per array: the stamp of the last item it occurred in, the fields it occurred
 * in there, the number of items it occurred in since it was created (document frequency, for
 * index covers), and for a word its stem's mark id.
 */
const SEEN = 0;
const FIELDS = 1;
const ITEMS = 2;
const STEM = 3;
let records = new Int32Array(4 << 16);
let itemsMarked = 0;
let nextId = 1;
const free: number[] = [];
const pending: number[] = [];

export function newMarkId(): number {
  const id = free.pop() ?? nextId++;
  if (4 * id >= records.length) {
    const bigger = new Int32Array(records.length * 2);
    bigger.set(records);
    records = bigger;
  }
  records.fill(0, 4 * id, 4 * id + 4);
  return id;
}

/** Every id handed out so far is below this: per-id arrays of this size can take any of them. */
export function markIdLimit(): number {
  return nextId;
}

/** Records the stem mark of a word's mark. */
export function setStemOf(id: number, stemId: number): void {
  records[4 * id + STEM] = stemId;
}

/** The mark id of the stem of the word with this id. */
export function stemIdOf(id: number): number {
  return records[4 * id + STEM] as number;
}

/**
 * Ids no longer referenced. They are reused only from the next item on: a reset in the middle
 * of analysing an item must not give one id to two words of that item.
 */
export function releaseMarkIds(ids: Iterable<number>): void {
  for (const id of ids) pending.push(id);
}

let stamp = 0;
let generation = 0;

/** Changes whenever released ids become free for reuse: memos keyed by id must then go. */
export function idGeneration(): number {
  return generation;
}

/** Starts a new item: returns its stamp; earlier marks no longer count as present. */
export function nextStamp(): number {
  if (pending.length > 0) {
    // One at a time: a cache reset frees hundreds of thousands of ids, too many to spread
    // into one call's arguments (that overflowed the stack).
    for (const id of pending) free.push(id);
    pending.length = 0;
    generation++;
  }
  itemsMarked++;
  stamp++;
  if (stamp === 0x7fffffff) {
    for (let k = SEEN; k < records.length; k += 4) records[k] = 0;
    stamp = 1;
  }
  return stamp;
}

/** Records that the mark occurs in a field (bit) of the item with this stamp. */
export function note(id: number, itemStamp: number, bit: number): void {
  const k = 4 * id;
  if (records[k + SEEN] === itemStamp) records[k + FIELDS] = (records[k + FIELDS] as number) | bit;
  else {
    records[k + SEEN] = itemStamp;
    records[k + FIELDS] = bit;
    records[k + ITEMS] = (records[k + ITEMS] as number) + 1;
  }
}

/**
 * Share of the items marked so far that contained the mark, or null before enough items were
 * seen to say (a daemon just started: the index then falls back to guessing from word length).
 */
export function itemShare(id: number): number | null {
  if (itemsMarked < MIN_ITEMS_FOR_STATS) return null;
  return ((records[4 * id + ITEMS] as number) + 0.5) / itemsMarked;
}

const MIN_ITEMS_FOR_STATS = 1000;

/** Field bits the mark occurs in, in the item with this stamp (0: absent). */
export function fieldsOf(id: number, itemStamp: number): number {
  const k = 4 * id;
  return records[k + SEEN] === itemStamp ? (records[k + FIELDS] as number) : 0;
}

export function isPresent(id: number, itemStamp: number): boolean {
  return records[4 * id + SEEN] === itemStamp;
}
