// Decode only, on one thread and on two: the same count of timed events
// and generations on every go1.22+ trace here and in the corpus, and the
// same error (the one-thread scan's) on the fuzz seeds and on cut traces.
import assert from "node:assert/strict";
import { scanPart, scanWireEvents, scanWireEventsParallel } from "../../src/wire/decode.ts";
import { TraceError } from "../../src/trace_error.ts";
import { pingPongTrace } from "../../benches/synthetic.ts";
import { CORPUS_DIR, corpusAvailable, traceFiles } from "../helpers/corpus.ts";
import { loadSeeds } from "../fuzz/seeds.ts";

type Outcome = { version: number; generations: number; events: number } | string;

function describe(e: unknown): string {
  assert.ok(e instanceof TraceError, `not a TraceError: ${e}`);
  return `${e.code}: ${e.message}`;
}

function one(bytes: Uint8Array): Outcome {
  try {
    return scanWireEvents(bytes);
  } catch (e) {
    return describe(e);
  }
}

async function two(bytes: Uint8Array): Promise<Outcome> {
  try {
    return await scanWireEventsParallel(bytes, { minBytes: 0 });
  } catch (e) {
    return describe(e);
  }
}

/** `bytes` in shared memory, a few bytes into it. */
function shared(bytes: Uint8Array): Uint8Array {
  const s = new Uint8Array(new SharedArrayBuffer(bytes.length + 8), 3, bytes.length);
  s.set(bytes);
  return s;
}

const TESTDATA = decodeURIComponent(new URL("../../testdata", import.meta.url).pathname);

Deno.test("decode: the two halves of a trace's batches add up to the whole", () => {
  const bytes = pingPongTrace(3, 20_000);
  const whole = scanWireEvents(bytes);
  assert.equal(whole.generations, 3);
  for (const cut of [0, 1000, bytes.length >> 1, bytes.length - 100, bytes.length]) {
    const a = scanPart(bytes, 0, cut);
    const b = scanPart(bytes, cut, Infinity);
    assert.equal(a.events + b.events, whole.events, `cut at ${cut}`);
  }
  // Every batch goes to one side: an empty range has none.
  assert.equal(scanPart(bytes, 5, 5).events, 0);
});

Deno.test("decode: two threads count what one counts, on every go1.22+ trace", async () => {
  const files = traceFiles(TESTDATA);
  if (corpusAvailable()) {
    for (const v of ["go1.22", "go1.23", "go1.25"]) {
      files.push(...traceFiles(`${CORPUS_DIR}/real/${v}`));
    }
  } else console.warn("\n*** WARNING: corpus missing: decode's real traces are SKIPPED.\n");
  let compared = 0;
  for (const f of files) {
    const bytes = Deno.readFileSync(f);
    const want = one(bytes);
    // Old-format traces and bad ones fail alike on both.
    assert.deepEqual(await two(bytes), want, f);
    if (typeof want !== "string") compared++;
  }
  assert.ok(compared > 20, `${compared} traces decoded`);
  const many = pingPongTrace(8, 30_000);
  assert.deepEqual(await two(shared(many)), one(many));
  assert.deepEqual(await two(many), one(many));
});

Deno.test("decode: two threads fail with the one-thread error, on fuzz seeds and cut traces", async () => {
  const seeds = loadSeeds();
  assert.ok(seeds.length > 50);
  let failed = 0;
  for (const s of seeds) {
    const want = one(s.bytes);
    assert.deepEqual(await two(s.bytes), want, s.name);
    if (typeof want === "string") failed++;
  }
  assert.ok(failed > 10, `${failed} seeds fail`);
  const bytes = pingPongTrace(4, 20_000);
  for (const cut of [bytes.length >> 2, bytes.length >> 1, bytes.length - 7]) {
    const want = one(bytes.subarray(0, cut));
    assert.equal(typeof want, "string", `cut at ${cut}`);
    assert.deepEqual(await two(shared(bytes.subarray(0, cut))), want, `cut at ${cut}`);
  }
});

Deno.test("decode: a small trace is decoded on this thread alone, with the same count", async () => {
  const bytes = pingPongTrace(2, 1000);
  assert.deepEqual(await scanWireEventsParallel(bytes), scanWireEvents(bytes));
  assert.deepEqual(await scanWireEventsParallel(Promise.resolve(bytes)), scanWireEvents(bytes));
});
