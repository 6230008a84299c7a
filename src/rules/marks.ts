/**
 * Presence marks: a small integer per word, stem and rule prefix, and a byte per integer in
 * one typed array saying in which fields it occurs in the item being matched (its stamp). Rules test presence by index into this array, so checking hundreds of candidates
 * touches contiguous memory instead of chasing one object per word: at 100,000 rules that
 * memory traffic, not computation, is what matching costs.
 */
export interface Mark {
  readonly id: number;
  /** Referenced by a compiled rule: survives cache resets so the reference stays live. */
  pinned: boolean;
}

/**
 * Per mark id, two ints side by side: the number of items it occurred in since it was created
 * (document frequency, for index covers), and for a word its stem's mark id.
 */
const ITEMS = 0;
const STEM = 1;
let records = new Int32Array(2 << 16);
/**
 * Per mark id, the fields it occurs in in the current item (0: absent), and the ids set, to
 * clear them at the next item. One byte a mark, apart from the records: the presence tests of
 * matching (hundreds per item at 100,000 rules, at random ids) then read a table of ~100 KB
 * that stays in the CPU cache, where a 16-byte record per id (presence in it) spread them
 * over megabytes.
 */
let present = new Uint8Array(1 << 16);
let presentIds = new Int32Array(1 << 10);
let presentCount = 0;
let itemsMarked = 0;
let nextId = 1;
const free: number[] = [];
const pending: number[] = [];

export function newMarkId(): number {
  const id = free.pop() ?? nextId++;
  if (2 * id >= records.length) {
    const bigger = new Int32Array(records.length * 2);
    bigger.set(records);
    records = bigger;
  }
  if (id >= present.length) {
    const bigger = new Uint8Array(present.length * 2);
    bigger.set(present);
    present = bigger;
  }
  records.fill(0, 2 * id, 2 * id + 2);
  present[id] = 0;
  return id;
}

/** Every id handed out so far is below this: per-id arrays of this size can take any of them. */
export function markIdLimit(): number {
  return nextId;
}

/** Records the stem mark of a word's mark. */
export function setStemOf(id: number, stemId: number): void {
  records[2 * id + STEM] = stemId;
}

/** The mark id of the stem of the word with this id. */
export function stemIdOf(id: number): number {
  return records[2 * id + STEM] as number;
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
  for (let k = 0; k < presentCount; k++) present[presentIds[k] as number] = 0;
  presentCount = 0;
  itemsMarked++;
  stamp++;
  if (stamp === 0x7fffffff) stamp = 1;
  return stamp;
}

/** Records that the mark occurs in a field (bit) of the item with this stamp, the current one. */
export function note(id: number, itemStamp: number, bit: number): void {
  if (itemStamp !== stamp) return;
  const fields = present[id] as number;
  if (fields === 0) {
    if (presentCount === presentIds.length) {
      const bigger = new Int32Array(presentIds.length * 2);
      bigger.set(presentIds);
      presentIds = bigger;
    }
    presentIds[presentCount++] = id;
    records[2 * id + ITEMS] = (records[2 * id + ITEMS] as number) + 1;
  }
  present[id] = fields | bit;
}

/**
 * Share of the items marked so far that contained the mark, or null before enough items were
 * seen to say (a daemon just started: the index then falls back to guessing from word length).
 */
export function itemShare(id: number): number | null {
  if (itemsMarked < MIN_ITEMS_FOR_STATS) return null;
  return ((records[2 * id + ITEMS] as number) + 0.5) / itemsMarked;
}

const MIN_ITEMS_FOR_STATS = 1000;

/** Field bits the mark occurs in, in the item with this stamp (0: absent). */
export function fieldsOf(id: number, itemStamp: number): number {
  return itemStamp === stamp ? (present[id] as number) : 0;
}

export function isPresent(id: number, itemStamp: number): boolean {
  return itemStamp === stamp && present[id] !== 0;
}
