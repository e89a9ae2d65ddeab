/**
 * The fuzzer's seed traces: the builder traces of `testdata/`, Go's
 * conformance cases turned into binary, the fuzz corpus and a few small real
 * traces of every format. All small, so that each input reads in
 * milliseconds.
 *
 * @module
 */

import { encodeBinary, parseText } from "../../src/wire/text.ts";
import { CORPUS_DIR } from "../helpers/corpus.ts";
import { batchCuts, makeInput, Seed } from "./mutate.ts";
import { conformanceCases } from "../helpers/corpus.ts";

const TESTDATA = decodeURIComponent(new URL("../../testdata", import.meta.url).pathname);

// Small real traces: a few KB each, every format version of the corpus.
const REAL = [
  "go1.11/user-task-region",
  "go1.19/user-task-region",
  "go1.21/user-task-region",
  "go1.22/annotations",
  "go1.22/wait-on-pipe",
  "go1.23/annotations",
  "go1.23/many-start-stop",
  "go1.25/annotations",
  "go1.25/wait-on-pipe",
  "go1.25/iter-pull",
  "go1.25/many-start-stop",
];

const MAX_SEED_BYTES = 16 << 10;

/**
 * Loads every seed that is there (the corpus ones are skipped when the
 * corpus is missing), in a fixed order.
 *
 * @example
 * ```ts
 * import { loadSeeds } from "./seeds.ts";
 * const seeds = loadSeeds();
 * console.assert(seeds.some((s) => s.name === "testdata/syscall-simple"));
 * ```
 */
export function loadSeeds(): Seed[] {
  const seeds: Seed[] = [];
  const add = (name: string, bytes: Uint8Array) => {
    if (bytes.length <= MAX_SEED_BYTES) seeds.push(new Seed(name, bytes));
  };
  for (const f of listDir(TESTDATA, ".trace")) {
    add(`testdata/${f.replace(/\.trace$/, "")}`, Deno.readFileSync(`${TESTDATA}/${f}`));
  }
  for (const c of conformanceCases()) {
    add(`conformance/${c.name}`, encodeBinary(parseText(c.trace)));
  }
  for (const f of listDir(`${CORPUS_DIR}/fuzz`, ".trace")) {
    add(`fuzz/${f}`, Deno.readFileSync(`${CORPUS_DIR}/fuzz/${f}`));
  }
  for (const r of REAL) {
    try {
      add(`real/${r}`, Deno.readFileSync(`${CORPUS_DIR}/real/${r}.trace`));
    } catch {
      // Corpus missing or trace renamed: fewer seeds.
    }
  }
  return seeds;
}

function listDir(dir: string, ext: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(ext)).sort();
  } catch {
    return [];
  }
}

/**
 * The inputs of a run, by number: first every seed cut at every batch
 * boundary (and a byte either side), then random mutations. Input `i` is
 * the same for the same seeds and run seed, whichever process builds it.
 *
 * @example
 * ```ts
 * import { Inputs, loadSeeds } from "./seeds.ts";
 * const inputs = new Inputs(loadSeeds(), 1);
 * console.assert(inputs.get(0).how.startsWith("cut "));
 * console.assert(inputs.get(inputs.cuts + 1).how === new Inputs(loadSeeds(), 1).get(inputs.cuts + 1).how);
 * ```
 */
export class Inputs {
  #cuts: { seed: number; cut: Uint8Array }[] = [];

  /**
   * @param seeds the seed traces
   * @param seed the run's seed
   */
  constructor(readonly seeds: readonly Seed[], readonly seed: number) {
    seeds.forEach((s, k) => {
      for (const cut of batchCuts(s)) this.#cuts.push({ seed: k, cut });
    });
  }

  /** Number of systematic cuts (the first inputs). */
  get cuts(): number {
    return this.#cuts.length;
  }

  /** Input number `i` and how it was made. */
  get(i: number): { bytes: Uint8Array; how: string } {
    if (i < this.#cuts.length) {
      const c = this.#cuts[i];
      return { bytes: c.cut, how: `cut ${this.seeds[c.seed].name} at ${c.cut.length}` };
    }
    return makeInput(this.seeds, this.seed, i);
  }
}
