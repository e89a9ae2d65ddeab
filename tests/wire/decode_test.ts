// Decode only, on one thread and on two: the same count of timed events
// and generations on every go1.22+ trace here and in the corpus, and the
// same error (the one-thread scan's) on the fuzz seeds and on cut traces.
import assert from "node:assert/strict";
import {
  scanPart,
  scanWireEvents,
  scanWireEventsParallel,
  scanWireFileParallel,
} from "../../src/wire/decode.ts";
import { readShare } from "../../src/wire/file_read.ts";
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

/** The two-thread scan of `bytes` written to a file, the worker reading half of it. */
async function twoFromFile(bytes: Uint8Array): Promise<Outcome> {
  const path = Deno.makeTempFileSync({ suffix: ".trace" });
  try {
    Deno.writeFileSync(path, bytes);
    return await scanWireFileParallel(path, { minBytes: 0 });
  } catch (e) {
    return describe(e);
  } finally {
    Deno.removeSync(path);
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
    assert.deepEqual(await scanWireFileParallel(f, { minBytes: 0 }).catch(describe), want, f);
    // On one thread: the file read into one buffer.
    assert.deepEqual(
      await scanWireFileParallel(f, { minBytes: Infinity }).catch(describe),
      want,
      f,
    );
    if (typeof want !== "string") compared++;
  }
  assert.ok(compared > 20, `${compared} traces decoded`);
  const many = pingPongTrace(8, 30_000);
  assert.deepEqual(await two(shared(many)), one(many));
  assert.deepEqual(await two(many), one(many));
  assert.deepEqual(await twoFromFile(many), one(many));
});

Deno.test("decode: two threads fail with the one-thread error, on fuzz seeds and cut traces", async () => {
  const seeds = loadSeeds();
  assert.ok(seeds.length > 50);
  let failed = 0;
  for (const s of seeds) {
    const want = one(s.bytes);
    assert.deepEqual(await two(s.bytes), want, s.name);
    assert.deepEqual(await twoFromFile(s.bytes), want, s.name);
    if (typeof want === "string") failed++;
  }
  assert.ok(failed > 10, `${failed} seeds fail`);
  const bytes = pingPongTrace(4, 20_000);
  for (const cut of [bytes.length >> 2, bytes.length >> 1, bytes.length - 7]) {
    const want = one(bytes.subarray(0, cut));
    assert.equal(typeof want, "string", `cut at ${cut}`);
    assert.deepEqual(await two(shared(bytes.subarray(0, cut))), want, `cut at ${cut}`);
    assert.deepEqual(await twoFromFile(bytes.subarray(0, cut)), want, `cut at ${cut}`);
  }
});

Deno.test("decode: a file's share is read into place, and a file that ends first says so", () => {
  const bytes = pingPongTrace(2, 1000);
  const path = Deno.makeTempFileSync();
  try {
    Deno.writeFileSync(path, bytes);
    using f = Deno.openSync(path);
    const into = new Uint8Array(bytes.length + 10);
    assert.ok(readShare(f, into, 100, 900));
    assert.deepEqual(into.subarray(100, 900), bytes.subarray(100, 900));
    assert.equal(into[99], 0);
    assert.equal(into[900], 0);
    // Past the end of the file: a short read.
    assert.equal(readShare(f, into, bytes.length - 5, bytes.length + 10), false);
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("decode: a missing file fails as opening it does", async () => {
  await assert.rejects(scanWireFileParallel("/nonexistent/x.trace"), Deno.errors.NotFound);
});

Deno.test("decode: a small trace is decoded on this thread alone, with the same count", async () => {
  const bytes = pingPongTrace(2, 1000);
  const path = Deno.makeTempFileSync();
  Deno.writeFileSync(path, bytes);
  assert.deepEqual(
    await scanWireFileParallel(path).finally(() => Deno.removeSync(path)),
    scanWireEvents(bytes),
  );
  assert.deepEqual(await scanWireEventsParallel(bytes), scanWireEvents(bytes));
  assert.deepEqual(await scanWireEventsParallel(Promise.resolve(bytes)), scanWireEvents(bytes));
});
