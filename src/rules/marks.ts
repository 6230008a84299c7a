/**
 * Presence marks: a small integer per word, stem and rule prefix, and two typed arrays saying
 * whether it occurs in the item being matched (its stamp) and in which fields. Rules test
 * presence by index into these arrays, so checking hundreds of candidates touches a few
 * contiguous arrays instead of chasing one object per word: at 100,000 rules that memory
 * traffic, not computation, is what matching costs.
 */
export interface Mark {
  readonly id: number;
  /** Referenced by a compiled rule: survives cache resets so the reference stays live. */
  pinned: boolean;
}

let seen = new Uint32Array(1 << 16);
let fields = new Uint8Array(1 << 16);
/** Items the mark occurred in since it was created: document frequency, for index covers. */
let items = new Uint32Array(1 << 16);
let itemsMarked = 0;
let nextId = 1;
const free: number[] = [];
const pending: number[] = [];

export function newMarkId(): number {
  const id = free.pop() ?? nextId++;
  if (id >= seen.length) {
    const bigger = new Uint32Array(seen.length * 2);
    bigger.set(seen);
    seen = bigger;
    const biggerFields = new Uint8Array(fields.length * 2);
    biggerFields.set(fields);
    fields = biggerFields;
    const biggerItems = new Uint32Array(items.length * 2);
    biggerItems.set(items);
    items = biggerItems;
  }
  seen[id] = 0;
  fields[id] = 0;
  items[id] = 0;
  return id;
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
    free.push(...pending.splice(0));
    generation++;
  }
  itemsMarked++;
  stamp++;
  if (stamp === 0xffffffff) {
    seen.fill(0);
    stamp = 1;
  }
  return stamp;
}

/** Records that the mark occurs in a field (bit) of the item with this stamp. */
export function note(id: number, itemStamp: number, bit: number): void {
  if (seen[id] === itemStamp) fields[id] = (fields[id] as number) | bit;
  else {
    seen[id] = itemStamp;
    fields[id] = bit;
    items[id] = (items[id] as number) + 1;
  }
}

/**
 * Share of the items marked so far that contained the mark, or null before enough items were
 * seen to say (a daemon just started: the index then falls back to guessing from word length).
 */
export function itemShare(id: number): number | null {
  if (itemsMarked < MIN_ITEMS_FOR_STATS) return null;
  return ((items[id] as number) + 0.5) / itemsMarked;
}

const MIN_ITEMS_FOR_STATS = 1000;

/** Field bits the mark occurs in, in the item with this stamp (0: absent). */
export function fieldsOf(id: number, itemStamp: number): number {
  return seen[id] === itemStamp ? (fields[id] as number) : 0;
}

export function isPresent(id: number, itemStamp: number): boolean {
  return seen[id] === itemStamp;
}
