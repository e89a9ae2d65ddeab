// Old-format traces (go1.11, go1.19, go1.21): every real trace in the corpus
// reads to the very text Go's reader produced and has the reference's
// goroutine analysis, and bad input ends in a TraceError with a code and a
// byte offset.
import assert from "node:assert/strict";
import { Reader, Stepper, TraceError } from "../../mod.ts";
import type { Event } from "../../src/events/event.ts";
import { LegacyEvents, type LegacyOptions } from "../../src/legacy/mod.ts";
import { formatSummaryJSON, summarize } from "../../src/queries/summary.ts";
import { CORPUS_DIR, corpusAvailable, firstDifference } from "../helpers/corpus.ts";
import { gunzipText, gzipChunks } from "../helpers/gzip.ts";

const VERSIONS = ["go1.11", "go1.19", "go1.21"];

// Two choices of Go's reader come from iterating a Go map, whose order Go
// randomizes on every run, so the reference itself gives different text from
// run to run on some traces:
// - it merges the Ps' batches visiting the Ps in map order, and events on
//   different Ps at the very same tick come out in an order that depends on
//   it (we visit Ps by ascending id);
// - goroutines that were runnable when tracing began get their GoStatus
//   events in map order, 1 ns apart (we use creation order).
// For these traces the reference's run made other choices than ours. With
// the choices that run made (found by trying orders until the whole text
// matched) the output is the same byte for byte. With ours, the same events
// come out, only same-tick ones in another order (see the tests below).
const EXPECT_RUN: Record<string, LegacyOptions> = {
  "go1.11/stress": { pOrder: [8, 9, 1, 2, 3, 4, 6, 5, 7, 0] },
  "go1.21/stress": { pOrder: [7, -1, 9, 0, 5, 2, 3, 6, 4, 8, 1] },
};
// The summaries were written by other runs of the reference.
const SUMMARY_RUN: Record<string, LegacyOptions> = {
  ...EXPECT_RUN,
  "go1.19/stress-start-stop": { runnableOrder: [16, 85, 3] },
};

function collect(next: () => { toString(): string } | null): string {
  const parts: string[] = [];
  try {
    for (let ev = next(); ev; ev = next()) parts.push(ev.toString(), "\n");
  } catch (e) {
    assert.ok(e instanceof TraceError, `only TraceError escapes, got ${e}`);
    parts.push(`ERROR: ${e.message}\n`);
  }
  return parts.join("");
}

function dump(bytes: Uint8Array): string {
  try {
    const r = Reader.fromBytes(bytes);
    return collect(() => r.readEvent());
  } catch (e) {
    assert.ok(e instanceof TraceError, `only TraceError escapes, got ${e}`);
    return `ERROR: ${e.message}\n`;
  }
}

// Event blocks without their times, sorted: what stays the same when
// same-tick events swap places (their forced-increasing times shift).
function timelessBlocks(text: string): string[] {
  return text.split(/\n(?=M=)/).map((b) => b.replace(/ Time=-?\d+/, "")).sort();
}

function traceNames(v: string): string[] {
  try {
    return [...Deno.readDirSync(`${CORPUS_DIR}/real/${v}`)]
      .filter((e) => e.name.endsWith(".trace"))
      .map((e) => e.name.replace(/\.trace$/, ""))
      .sort();
  } catch {
    return []; // Corpus missing: the first test warns.
  }
}

Deno.test("legacy: the corpus has old-format traces of every version", () => {
  if (!corpusAvailable()) return;
  for (const v of VERSIONS) assert.ok(traceNames(v).length >= 3, `${v}: ${traceNames(v)}`);
});

for (const v of VERSIONS) {
  for (const name of traceNames(v)) {
    const key = `${v}/${name}`;
    const base = `${CORPUS_DIR}/real/${key}`;
    const run = EXPECT_RUN[key];
    Deno.test(`legacy: ${key} reads exactly as Go's reader`, async () => {
      const bytes = await Deno.readFile(`${base}.trace`);
      const want = await gunzipText(`${base}.expect.gz`);
      let got: string;
      if (run) {
        const src = new LegacyEvents(bytes, Number(v.slice(4)), run);
        got = collect(() => src.next());
      } else got = dump(bytes);
      const diff = firstDifference(got, want);
      assert.equal(diff, "", diff);
    });
    Deno.test(`legacy: ${key} has the reference's goroutine analysis`, async () => {
      const bytes = await Deno.readFile(`${base}.trace`);
      const src = new LegacyEvents(bytes, Number(v.slice(4)), SUMMARY_RUN[key] ?? {});
      const events: Event[] = [];
      for (let ev = src.next(); ev; ev = src.next()) events.push(ev);
      const got = formatSummaryJSON(await summarize(events));
      const want = await Deno.readTextFile(`${base}.summary.json`);
      const diff = firstDifference(got, want);
      assert.equal(diff, "", diff);
    });
    if (run) {
      Deno.test(`legacy: ${key} by default has the same events, same-tick ones reordered`, async () => {
        const got = dump(await Deno.readFile(`${base}.trace`));
        const want = await gunzipText(`${base}.expect.gz`);
        assert.notEqual(got, want, "the default order now matches: drop the recorded P order");
        assert.deepEqual(timelessBlocks(got), timelessBlocks(want));
      });
    }
  }
}

Deno.test("legacy: Reader.open (gzip stream, small chunks) gives the same events as bytes", async () => {
  if (!corpusAvailable()) return;
  const path = `${CORPUS_DIR}/real/go1.19/http.trace`;
  const bytes = await Deno.readFile(path);
  const chunks = await gzipChunks(bytes, 501);
  const r = await Reader.open(chunks);
  assert.equal(r.version, 19);
  assert.equal(r.legacy, true);
  assert.equal(r.engine, null);
  const fromStream: string[] = [];
  for await (const ev of r) fromStream.push(ev.toString());
  const fromBytes = [...Reader.fromBytes(bytes).events()].map((e) => e.toString());
  assert.ok(fromBytes.length > 1000);
  assert.deepEqual(fromStream, fromBytes);
  const fromPath: string[] = [];
  const byPath = await Reader.open(path);
  for (let ev = await byPath.next(); ev; ev = await byPath.next()) fromPath.push(ev.toString());
  assert.deepEqual(fromPath, fromBytes);
});

Deno.test("legacy: the stepper steps an old trace event by event", async () => {
  if (!corpusAvailable()) return;
  const bytes = await Deno.readFile(`${CORPUS_DIR}/real/go1.21/user-task-region.trace`);
  const s = Stepper.fromBytes(bytes);
  const stepped = s.runUntil(() => false).map((e) => e.toString());
  assert.ok(s.done);
  assert.deepEqual(stepped, [...Reader.fromBytes(bytes).events()].map((e) => e.toString()));
  assert.deepEqual(s.frontier(), []);
  assert.throws(() => s.engine, TraceError);
});

// --- Hand-made old-format traces for the error paths ------------------------

// One event: type byte with the argument count in the top bits (3 means a
// length prefix), then uvarints.
function ev(type: number, ...args: number[]): number[] {
  const enc = (v: number, out: number[]) => {
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
  };
  const body: number[] = [];
  for (const a of args) enc(a, body);
  if (args.length <= 3) return [type | ((args.length - 1) << 6), ...body];
  const out = [type | (3 << 6)];
  enc(body.length, out);
  return [...out, ...body];
}

function trace(version: number, ...events: number[][]): Uint8Array {
  const header = new TextEncoder().encode(`go 1.${version} trace\0\0\0`);
  return new Uint8Array([...header, ...events.flat()]);
}

const HEADER = 16;
// Batch header for P `p` at tick 100, and a 1 GHz frequency.
const batch = (p: number) => ev(1, p, 100);
const FREQ = [0x02, ...[0x80, 0x94, 0xeb, 0xdc, 0x03]];

function readError(bytes: Uint8Array): { text: string; err: TraceError } {
  let text = "";
  try {
    const r = Reader.fromBytes(bytes);
    for (let e = r.readEvent(); e; e = r.readEvent()) text += e.toString() + "\n";
  } catch (e) {
    assert.ok(e instanceof TraceError, `only TraceError escapes, got ${e}`);
    return { text, err: e };
  }
  assert.fail(`no error; read:\n${text}`);
}

Deno.test("legacy: a minimal trace reads with a Sync either side", () => {
  // GOMAXPROCS ends the start-up burst and is dropped; then a heap size.
  const bytes = trace(19, batch(0), FREQ, ev(4, 1, 8, 0), ev(33, 5, 1000), ev(33, 5, 2000));
  const got = [...Reader.fromBytes(bytes).events()].map((e) => e.toString());
  assert.deepEqual(got, [
    "M=-1 P=-1 G=-1 Sync Time=-1 N=1",
    'M=-1 P=0 G=-1 Metric Time=5 Name="/memory/classes/heap/objects:bytes" Value=Value{Uint64(1000)}',
    'M=-1 P=0 G=-1 Metric Time=10 Name="/memory/classes/heap/objects:bytes" Value=Value{Uint64(2000)}',
    "M=-1 P=-1 G=-1 Sync Time=11 N=2",
  ]);
});

Deno.test("legacy: an event the conversion has no equivalent for (fuzz input)", () => {
  // The corpus's go1.11 fuzz input: batch, frequency, FutileWakeup.
  const bytes = trace(11, ev(1, 0x30, 0x30), ev(2, 0x30), ev(36, 0x30));
  const { text, err } = readError(bytes);
  assert.equal(text, "M=-1 P=-1 G=-1 Sync Time=-1 N=1\n");
  assert.equal(err.message, "unexpected event type 36");
  assert.equal(err.code, "unknown-event");
  assert.equal(err.offset, HEADER + 5);
});

Deno.test("legacy: errors of the old format are TraceErrors with a code and offset", async (t) => {
  const cases: [string, Uint8Array, string, string, number][] = [
    [
      "unknown type",
      trace(19, batch(0), FREQ, [50, 0]),
      "unknown event type 50",
      "unknown-event",
      25,
    ],
    [
      "CPU samples before go1.19",
      trace(11, batch(0), FREQ, ev(49, 1, 2, 3, 4, 5)),
      "unknown event type 49",
      "unknown-event",
      25,
    ],
    [
      "event before any batch",
      trace(19, FREQ, batch(0)),
      "read event 2 with current P of 0, but P has no batches yet",
      "bad-batch",
      16,
    ],
    [
      "bad varint",
      trace(19, batch(0), [0x84, 0xff, 0xff]),
      "failed to read event 4 argument: malformatted base-128 varint",
      "bad-varint",
      19,
    ],
    [
      "cut-off string",
      trace(19, batch(0), [37, 1, 10, 0x61]),
      "failed to read trace: EOF",
      "truncated",
      19,
    ],
    [
      "duplicate string",
      trace(19, batch(0), [37, 1, 1, 0x61], [37, 1, 1, 0x62], FREQ),
      "string has duplicate id 1",
      "bad-table",
      23,
    ],
    [
      "wrong argument count",
      trace(19, batch(0), FREQ, ev(5, 1)),
      "ProcStart has wrong number of arguments: want 2, got 1",
      "bad-batch",
      25,
    ],
    ["no frequency", trace(19, batch(0), ev(33, 1, 5)), "no EvFrequency event", "bad-table", 22],
    [
      "stop before start",
      trace(19, batch(0), FREQ, ev(6, 1)),
      "p 0 is not running before stop (time 0)",
      "ordering",
      25,
    ],
    [
      "start of a goroutine that is not runnable",
      trace(19, batch(0), FREQ, ev(14, 1, 7, 3)),
      "no consistent ordering of events possible",
      "ordering",
      25,
    ],
  ];
  for (const [name, bytes, msg, code, offset] of cases) {
    await t.step(name, () => {
      const { err } = readError(bytes);
      assert.equal(err.message, msg);
      assert.equal(err.code, code);
      assert.equal(err.offset, offset);
    });
  }
});
