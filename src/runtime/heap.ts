import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * How far V8 lets the old generation grow past the live heap of the last full collection
 * before it collects again. V8 picks 1.1–4× by itself, and 4× on a machine with memory to
 * spare; at 1.5× the bench:pipeline workers stayed near 200 MB between polls instead of
 * climbing to 400, for no measurable CPU (12.7–14.6 s per worker against 12.5 s).
 */
const HEAP_GROWING_PERCENT = 50;

/**
 * Sizes a long-running command's heap by what it holds rather than by the machine. Measured
 * (bench:pipeline, 10,000 rules, 1,000 feeds): a worker keeps 35–60 MB alive, yet peaked at
 * 400+ MB RSS. V8 starts from an old-generation limit derived from the heap limit (4 GB on a
 * 24 GB machine), so after the config load its old space climbed from 100 to 296 MB with no
 * full collection: the parse's garbage (the YAML library builds a 50 MB syntax tree and a
 * 25 MB document for a 1 MB file) and every parsed feed promoted while awaiting Redis stayed
 * resident, and later limits grow up to 4× the live size. One full collection once the config
 * is loaded (about 60 ms for that config: 108 MB down to 32 MB) frees the parse's garbage
 * before the first poll and makes V8 set its limit from the live heap, and the growing factor
 * keeps it there. The `gc` function comes from a new context because the flag cannot be set
 * on the running one; it is withdrawn again so no other code gets it.
 */
export function keepHeapNearLiveSize(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  setFlagsFromString("--expose-gc");
  const collect = runInNewContext("gc") as () => void;
  setFlagsFromString("--no-expose-gc");
  collect();
}
