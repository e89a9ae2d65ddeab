// The parallel read gives exactly the sequential read: every event's text,
// and the same error (code and message) at the same point.
import assert from "node:assert/strict";
import { type Event, ParallelReader, Reader, readTraceBytes, TraceError } from "../../mod.ts";
import { TraceBuilder } from "../../src/wire/builder.ts";
import { WireGoStatus, WireProcStatus } from "../../src/wire/spec.ts";
import { appendUvarint } from "../../src/wire/uvarint.ts";
import { readBatch } from "../../src/wire/batch.ts";
import { headerLength, readHeader } from "../../src/wire/header.ts";
import { pingPongTrace } from "../../benches/synthetic.ts";
import { CORPUS_DIR, corpusAvailable, eventFields, traceFiles } from "../helpers/corpus.ts";
import { loadSeeds } from "../fuzz/seeds.ts";
import { createHash } from "node:crypto";
import { regionAcrossTrace } from "../helpers/region_trace.ts";

interface Outcome {
  events: string[];
  error: string;
}

// An event's text, or for big traces the numbers it is made of (its text is
// a function of them and the generation's tables, which both reads share).
type Show = (ev: Event) => string;
const text: Show = (ev) => ev.toString();
const fields: Show = eventFields;

function sequential(bytes: Uint8Array, show: Show = text): Outcome {
  const events: string[] = [];
  try {
    const r = Reader.fromBytes(bytes);
    for (let ev = r.readEvent(); ev; ev = r.readEvent()) events.push(show(ev));
  } catch (e) {
    return { events, error: describe(e) };
  }
  return { events, error: "" };
}

// Three ways to take the parallel read's events: arrays of Event objects
// from workers that post their events in blocks of 7 as they order (so that
// many generations are handed out in part before their worker's result,
// and a failure comes after some blocks) and, when their run comes later,
// wait for the main thread after a few of them, a scan through one reused object
// (shown at once, as scan requires), and a scan of a read whose first run of
// generations the main thread orders.
type Way = "arrays" | "scan" | "main run";

async function parallel(
  bytes: Uint8Array,
  workers: number,
  show: Show = text,
  way: Way = "arrays",
): Promise<Outcome & { r?: ParallelReader }> {
  const events: string[] = [];
  let r: ParallelReader | undefined;
  try {
    r = ParallelReader.fromBytes(bytes, {
      workers,
      mainRun: way === "main run",
      blockEvents: way === "arrays" ? 7 : undefined,
      // The later runs' workers then wait for the main thread, often.
      aheadEvents: way === "arrays" ? 20 : undefined,
    });
    if (way !== "arrays") {
      const n = await r.scan((ev) => events.push(show(ev)));
      assert.equal(n, events.length, "scan's count");
    } else for await (const batch of r) for (const ev of batch) events.push(show(ev));
  } catch (e) {
    return { events, error: describe(e), r };
  }
  return { events, error: "", r };
}

function describe(e: unknown): string {
  assert.ok(e instanceof TraceError, `not a TraceError: ${e}`);
  return `${e.code}: ${e.message}`;
}

async function same(name: string, bytes: Uint8Array, workers: number): Promise<ParallelReader> {
  const show = bytes.length > 300_000 ? fields : text;
  const want = sequential(bytes, show);
  let r: ParallelReader | undefined;
  for (const way of ["arrays", "scan", "main run"] as const) {
    const got = await parallel(bytes, workers, show, way);
    const n = Math.max(want.events.length, got.events.length);
    for (let i = 0; i < n; i++) {
      if (want.events[i] !== got.events[i]) {
        assert.fail(
          `${name} (${workers} workers, ${way}): event ${i} differs\nwant ${want.events[i]}\ngot  ${
            got.events[i]
          }`,
        );
      }
    }
    assert.equal(got.error, want.error, `${name} (${workers} workers, ${way}): outcome`);
    r ??= got.r;
  }
  return r!;
}

const TESTDATA = decodeURIComponent(new URL("../../testdata", import.meta.url).pathname);

Deno.test("parallel: every testdata trace, with 2 workers and with more workers than generations", async () => {
  const list = traceFiles(TESTDATA);
  assert.ok(list.length > 20);
  for (const f of list) {
    const bytes = Deno.readFileSync(f);
    await same(f, bytes, 2);
    await same(f, bytes, 8);
  }
});

Deno.test("parallel: every real go1.22-go1.25 trace of the corpus", async () => {
  if (!corpusAvailable()) return console.warn("parallel: corpus missing, real traces skipped");
  for (const v of ["go1.22", "go1.23", "go1.25"]) {
    for (const f of traceFiles(`${CORPUS_DIR}/real/${v}`)) await same(f, Deno.readFileSync(f), 2);
  }
});

/** Batch starts of a trace, for cuts. */
function batchStarts(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let off = headerLength(readHeader(bytes));
  for (;;) {
    const r = readBatch(bytes, off, 0, true);
    if (r.kind !== "batch") return out;
    out.push(off);
    off = r.end;
  }
}

/** A one-generation trace followed by copies of its generation as generations 2 and 3. */
function repeated(bytes: Uint8Array, copies: number): Uint8Array {
  const parts: number[] = [...bytes];
  const starts = batchStarts(bytes);
  for (let gen = 2; gen <= copies + 1; gen++) {
    for (let k = 0; k < starts.length; k++) {
      const start = starts[k];
      const end = k + 1 < starts.length ? starts[k + 1] : bytes.length;
      let p = start + 1;
      while (bytes[p] >= 0x80) p++; // the generation uvarint
      parts.push(bytes[start]);
      appendUvarint(parts, gen);
      for (let i = p + 1; i < end; i++) parts.push(bytes[i]);
    }
  }
  return Uint8Array.from(parts);
}

Deno.test("parallel: truncated corpus traces (a generation repeated, cut at four points)", async () => {
  if (!corpusAvailable()) return console.warn("parallel: corpus missing, truncations skipped");
  for (const f of traceFiles(`${CORPUS_DIR}/real/go1.25`)) {
    const whole = repeated(Deno.readFileSync(f), 2);
    if (whole.length > 200_000) continue; // the big ones take long and add nothing
    const starts = batchStarts(whole);
    const cuts = [0.3, 0.6, 0.9].map((x) => Math.floor(16 + x * (whole.length - 16)));
    cuts.push(starts[starts.length - 1]);
    await same(`${f} repeated`, whole, 2);
    for (const cut of cuts) await same(`${f} cut at ${cut}`, whole.subarray(0, cut), 2);
  }
});

Deno.test("parallel: the fuzz seeds", async () => {
  const seeds = loadSeeds();
  assert.ok(seeds.length > 50);
  for (const s of seeds) await same(s.name, s.bytes, 3);
});

Deno.test("parallel: a synthetic trace of many generations is read on the workers alone", async () => {
  const bytes = pingPongTrace(12, 3000);
  for (const w of [1, 2, 3, 20]) {
    const r = await same("ping-pong", bytes, w);
    assert.deepEqual(r.stats.onMainThread, [], `${w} workers`);
    assert.equal(r.stats.sequential, false);
  }
});

Deno.test("parallel: with mainRun the main thread orders the first run, the workers the rest", async () => {
  const bytes = pingPongTrace(12, 3000);
  const want = sequential(bytes, fields);
  for (const w of [2, 3]) {
    const r = ParallelReader.fromBytes(bytes, { workers: w, mainRun: true });
    const got: string[] = [];
    await r.scan((ev) => got.push(fields(ev)));
    assert.deepEqual(got, want.events, `${w} threads`);
    // The first run (about 1/w of the 12 generations) on the main thread, no fallbacks.
    assert.ok(
      r.stats.mainRun.length >= 2 && r.stats.mainRun.length <= 12 / w + 1,
      `${r.stats.mainRun}`,
    );
    assert.deepEqual(r.stats.mainRun, r.stats.generations.slice(0, r.stats.mainRun.length));
    assert.deepEqual(r.stats.onMainThread, []);
    assert.equal(r.stats.sequential, false);
  }
  // The main thread alone is the sequential read.
  const alone = ParallelReader.fromBytes(bytes, { workers: 1, mainRun: true });
  assert.equal(await alone.scan(() => {}), want.events.length);
  assert.equal(alone.stats.sequential, true);
});

/** A builder trace of `n` generations: G 1 runs, blocks, is woken and runs again in each. */
function builderTrace(n: number): Uint8Array {
  const t = new TraceBuilder(22);
  const stack = [{ pc: 0x10, func: "main.main", file: "main.go", line: 3 }];
  for (let gen = 1; gen <= n; gen++) {
    const g = t.generation(gen);
    const b = g.batch(0, gen * 1000).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running });
    if (gen === 1) b.event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running });
    else {
      b.event("GoStatus", { g: 1, m: -1, gstatus: WireGoStatus.Waiting })
        .event("GoUnblock", { g: 1, g_seq: 1, stack })
        .event("GoStart", { g: 1, g_seq: 2 });
    }
    b.event("GoBlock", { reason_string: "sleep", stack });
  }
  return t.toBytes();
}

Deno.test("parallel: a builder trace of many generations", async () => {
  const bytes = builderTrace(30);
  assert.equal(sequential(bytes).error, "");
  for (const w of [2, 5, 40]) {
    const r = await same("builder", bytes, w);
    assert.deepEqual(r.stats.onMainThread, []);
  }
});

Deno.test("parallel: a generation that depends on the one before is ordered again on the main thread", async () => {
  // Its third generation's order depends on what the second left (the state
  // the second worker's first generation announces differs from the true one).
  const bytes = Deno.readFileSync(`${TESTDATA}/demo.trace`);
  const r = await same("demo", bytes, 2);
  assert.ok(r.stats.onMainThread.length > 0, "no fallback");
  assert.ok(r.stats.reasons[0].length > 0);
});

Deno.test("parallel: workmix-20s on 4 workers gives the sequential read's events, none ordered twice", async () => {
  if (!corpusAvailable()) return console.warn("parallel: corpus missing, workmix skipped");
  const bytes = await readTraceBytes(`${CORPUS_DIR}/perf/workmix-20s.go1.25.trace.gz`);
  // Too many events to keep as text: each read's fields, hashed.
  const digest = async (scan: (fn: (ev: Event) => void) => Promise<number>) => {
    const h = createHash("sha256");
    const n = await scan((ev) => h.update(fields(ev)));
    return `${n} ${h.digest("hex")}`;
  };
  const want = await digest((fn) => Reader.fromBytes(bytes).scan(fn));
  // Three later runs, each starting from the state its first generation
  // announces; one starts at generation 17, whose P abandoned in a syscall
  // its first steal names on another thread than the one that held it.
  const r = ParallelReader.fromBytes(bytes, { workers: 4 });
  assert.equal(await digest((fn) => r.scan(fn)), want);
  assert.deepEqual(r.stats.onMainThread, []);
  assert.equal(r.stats.generations.length, 20);
});

Deno.test("parallel: a region open across a boundary sends that generation to the main thread", async () => {
  const bytes = regionAcrossTrace(4, 2, 3);
  assert.equal(sequential(bytes).error, "");
  // A worker per generation: generation 3's starts without the region.
  const r = await same("region", bytes, 4);
  assert.deepEqual(r.stats.onMainThread, [3]);
  assert.deepEqual(r.stats.reasons, ["the worker's state before it differs"]);
});

Deno.test("parallel: a broken generation in the middle gives the sequential error", async () => {
  const bytes = builderTrace(8);
  // Break generation 5's GoStatus: Waiting becomes Running, inconsistent with generation 4.
  const text = new TextDecoder().decode(bytes);
  assert.ok(text.length > 0);
  const t = new TraceBuilder(22);
  const stack = [{ pc: 0x10, func: "main.main", file: "main.go", line: 3 }];
  for (let gen = 1; gen <= 8; gen++) {
    const b = t.generation(gen).batch(0, gen * 1000)
      .event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running });
    b.event("GoStatus", {
      g: 1,
      m: 0,
      gstatus: gen === 5 ? WireGoStatus.Waiting : WireGoStatus.Running,
    });
    b.event("GoStop", { reason_string: "yield", stack }).event("GoStart", { g: 1, g_seq: 1 });
  }
  const broken = t.toBytes();
  const want = sequential(broken);
  assert.match(want.error, /inconsistent status/);
  for (const w of [2, 4]) await same("broken", broken, w);
});

Deno.test("parallel: old-format traces are read sequentially, one generation on a worker", async () => {
  const one = Deno.readFileSync(`${TESTDATA}/syscall-simple.trace`);
  // The worker orders it and streams its events (same() checks them).
  const r = await same("one generation", one, 1);
  assert.equal(r.stats.sequential, false);
  assert.deepEqual(r.stats.onMainThread, []);
  assert.ok(r.stats.workerMs[0] >= 0);
  // With the main thread taking the first run, that run is all of it.
  const own = ParallelReader.fromBytes(one, { workers: 2, mainRun: true });
  let n = 0;
  await own.scan(() => n++);
  assert.equal(n, sequential(one).events.length);
  assert.equal(own.stats.sequential, true);
  if (!corpusAvailable()) return console.warn("parallel: corpus missing, old format skipped");
  const old = traceFiles(`${CORPUS_DIR}/real/go1.21`)[0];
  assert.equal((await same(old, Deno.readFileSync(old), 2)).stats.sequential, true);
});

Deno.test("parallel: a bad header throws what the Reader throws", () => {
  assert.throws(
    () => ParallelReader.fromBytes(new TextEncoder().encode("not a trace")),
    (e: unknown) => e instanceof TraceError && e.code === "bad-header",
  );
});

/** `bytes` copied into shared memory, a few bytes into it (the workers read it in place). */
function shared(bytes: Uint8Array): Uint8Array {
  const s = new Uint8Array(new SharedArrayBuffer(bytes.length + 8), 5, bytes.length);
  s.set(bytes);
  return s;
}

Deno.test("parallel: a trace in shared memory is read in place, with the same events and errors", async () => {
  const many = pingPongTrace(12, 3000);
  for (const w of [1, 3]) {
    const r = await same("ping-pong, shared", shared(many), w);
    assert.deepEqual(r.stats.onMainThread, [], `${w} workers`);
    assert.equal(r.stats.sequential, false);
  }
  // Cut in the middle of a generation: the same events, then the same error.
  await same("ping-pong, shared and cut", shared(many.subarray(0, many.length >> 1)), 2);
  // A trace of several generations, one of them ordered again on the main thread.
  await same("demo.trace, shared", shared(Deno.readFileSync(`${TESTDATA}/demo.trace`)), 2);
});

Deno.test("parallel: odd block and ahead counts (NaN, Infinity, 0) read what the sequential read reads", async () => {
  const bytes = pingPongTrace(6, 2000);
  const want = sequential(bytes).events.length;
  for (
    const o of [
      { aheadEvents: NaN },
      { aheadEvents: Infinity },
      { aheadEvents: 0 },
      { blockEvents: Infinity, aheadEvents: 1 },
      { blockEvents: NaN },
    ]
  ) {
    let n = 0;
    await ParallelReader.fromBytes(bytes, { workers: 3, ...o }).scan(() => n++);
    assert.equal(n, want, JSON.stringify(o));
  }
});
