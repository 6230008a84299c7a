import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * How far V8 lets the old generation grow past the live heap of the last full collection
 * before it collects again. V8 picks 1.1–4× by itself, and 4× on a machine with memory to
 * spare; 1.5× held the bench:pipeline workers under 200 MB with no loss of throughput.
 */
const HEAP_GROWING_PERCENT = 50;

/**
 * Sizes a long-running command's heap by what it holds rather than by the machine. Measured
 * (bench:pipeline, 10,000 rules, 1,000 feeds): a worker keeps 35–60 MB alive, yet peaked at
 * 400+ MB RSS. V8 runs its first full collection only when the old generation reaches half
 * of the heap limit (2 GB on a 24 GB machine), so the garbage of the config load (the YAML
 * library builds a 50 MB syntax tree and a 25 MB document for a 1 MB file) and every parsed
 * feed promoted while awaiting Redis stayed resident, and after that the limit grew 4× the
 * live size. One full collection now (a few ms: the heap holds only the loaded modules)
 * makes V8 set its limit from the live heap from the start, and the growing factor keeps it
 * there. The `gc` function comes from a new context because the flag cannot be set on the
 * running one; it is withdrawn again so no other code gets it.
 */
export function keepHeapNearLiveSize(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  setFlagsFromString("--expose-gc");
  const collect = runInNewContext("gc") as () => void;
  setFlagsFromString("--no-expose-gc");
  collect();
}
