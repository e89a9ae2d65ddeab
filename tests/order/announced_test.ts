// The state a generation announces (its statuses and active ranges) is
// where a parallel read's later workers start from; the main thread takes
// their events only if it equals the true state before the generation. On a
// real trace of 20 generations, syscalls by the million and Ps stolen across
// boundaries, it must equal it everywhere, or two threads would order
// generations twice. And where it cannot (a region open across
// the boundary) the comparison must say so.
import assert from "node:assert/strict";
import { GenerationSplitter } from "../../src/wire/generation.ts";
import { WireGoStatus, WireProcStatus } from "../../src/wire/spec.ts";
import { Engine } from "../../src/order/engine.ts";
import { Ordering } from "../../src/order/rules.ts";
import {
  inertDifference,
  type OrderingSnapshot,
  snapshotOrdering,
} from "../../src/order/snapshot.ts";
import { announcedState } from "../../src/order/announced.ts";
import { EV_SYNC } from "../../src/events/kinds.ts";
import { readTraceBytes } from "../../src/reader/reader.ts";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { regionAcrossTrace } from "../helpers/region_trace.ts";

interface Boundary {
  gen: number;
  truth: OrderingSnapshot;
  announced: OrderingSnapshot;
}

/** Per generation after the first: the true state before it and the one it announces. */
function boundaries(bytes: Uint8Array, version: number): Boundary[] {
  const sp = new GenerationSplitter(version, 16);
  sp.push(bytes.subarray(16));
  sp.finish();
  const o = new Ordering(version);
  const e = new Engine(version, sp, o);
  // One step at a time: at a Sync nothing of its generation is ordered yet.
  e.batching = false;
  const out: Boundary[] = [];
  let first = 0;
  for (let ev = e.next(); ev !== null; ev = e.next()) {
    if (typeof ev === "symbol") throw new Error("the splitter wants more input");
    if (ev.type !== EV_SYNC || ev.tables === null || e.gen === null) continue;
    if (first === 0) first = e.gen.gen;
    else {
      out.push({
        gen: e.gen.gen,
        truth: snapshotOrdering(o),
        announced: announcedState(e.gen, first),
      });
    }
  }
  return out;
}

Deno.test("announced state: equals the true state at every boundary of workmix-20s", async () => {
  if (!corpusAvailable()) return;
  const bytes = await readTraceBytes(`${CORPUS_DIR}/perf/workmix-20s.go1.25.trace.gz`);
  const all = boundaries(bytes, 25);
  assert.equal(all.length, 19);
  const misses = all.filter((b) => inertDifference(b.truth, b.announced, b.gen) === null);
  assert.deepEqual(misses.map((b) => b.gen), []);
  // Among them, boundaries with a P abandoned in a syscall: announced as still
  // in it, on the thread that held it (once not the one its first steal names).
  const abandoned = all.filter((b) => b.announced.ps.some((p) => p[1] === WireProcStatus.Syscall));
  assert.ok(abandoned.length >= 3, `${abandoned.length} boundaries with a P in a syscall`);
  // Counters of earlier generations are not compared; everything else is.
  for (const b of all) assert.equal(inertDifference(b.truth, b.announced) === null, true);
});

Deno.test("announced state: a region open across the boundary is not announced, and the states differ", () => {
  const [second, third] = boundaries(regionAcrossTrace(3, 1, 3), 22);
  // Before generation 2 the region is open: the goroutine entries differ.
  assert.deepEqual(second.truth.gs[0][4], [[0, "long"]]);
  assert.deepEqual(second.announced.gs[0][4], []);
  assert.equal(inertDifference(second.truth, second.announced, second.gen), null);
  assert.equal(inertDifference(third.truth, third.announced, third.gen), null);
  // The thread, its P and goroutine, and the statuses are what the truth says.
  assert.deepEqual(second.announced.ms, second.truth.ms);
  assert.deepEqual(second.announced.ps.map((p) => p[1]), second.truth.ps.map((p) => p[1]));
});

Deno.test("announced state: only counters of earlier generations are left out of the comparison", () => {
  const state = (seqGen: number, seq: number): OrderingSnapshot => ({
    gs: [[1, WireGoStatus.Runnable, seqGen, seq, [], []]],
    ps: [[0, WireProcStatus.Idle, seqGen, seq, []]],
    ms: [],
    tasks: [],
    gcSeq: 0,
    gcState: 1,
    initialGen: 1,
  });
  // Before generation 6, counters of generation 5 and 0 are alike to every rule.
  assert.notEqual(inertDifference(state(5, 7), state(0, 0), 6), null);
  // Counters of the generation about to be ordered are compared.
  assert.equal(inertDifference(state(6, 7), state(6, 8), 6), null);
  assert.equal(inertDifference(state(6, 7), state(0, 0), 6), null);
  // Without a generation, everything is compared.
  assert.equal(inertDifference(state(5, 7), state(0, 0)), null);
});
