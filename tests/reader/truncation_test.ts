// Truncated traces: the events of complete generations are exactly the
// reference's, whatever the cut; the error says `truncated` and where.
import assert from "node:assert/strict";
import { Reader, TraceError } from "../../mod.ts";
import { readBatch } from "../../src/wire/batch.ts";
import { headerLength, readHeader } from "../../src/wire/header.ts";
import type { PartialMode } from "../../src/wire/generation.ts";
import { appendUvarint } from "../../src/wire/uvarint.ts";
import { Ev } from "../../src/wire/spec.ts";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { gunzipText, gzip } from "../helpers/gzip.ts";
import { readToEnd, testdataBytes } from "../helpers/read.ts";

interface Read {
  /** Events read (before the error). */
  count: number;
  /** Number of leading events whose text equals the expected blocks. */
  matching: number;
  /** Text of the last event (the Sync that closes what was read, before an error). */
  last: string;
  error: TraceError | null;
}

/** Reads to the end, comparing each event's text with `want[i]` as it goes (not kept: traces are big). */
function read(bytes: Uint8Array, partial: PartialMode, want?: readonly string[]): Read {
  let count = 0;
  let matching = 0;
  let last = "";
  const error = readToEnd(bytes, partial, (ev) => {
    if (want) {
      last = ev.toString() + "\n";
      if (matching === count && want[count] === last) matching++;
    }
    count++;
  });
  return { count, matching, last, error };
}

/** The reference's text split into one block per event (an event's text plus "\n"). */
function blocks(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let i = text.indexOf("\nM=", 0); i >= 0; i = text.indexOf("\nM=", i + 1)) {
    out.push(text.slice(from, i + 1));
    from = i + 1;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

interface Span {
  start: number;
  end: number;
  gen: number;
  /** First byte of the body: the table type of the runtime's own batches. */
  type: number;
}

function batches(bytes: Uint8Array): Span[] {
  const out: Span[] = [];
  let off = headerLength(readHeader(bytes));
  for (;;) {
    const r = readBatch(bytes, off, 0, true);
    if (r.kind !== "batch") return out;
    out.push({ start: off, end: r.end, gen: r.batch.gen, type: r.batch.data[0] });
    off = r.end;
  }
}

/**
 * The trace followed by a copy of its (only) generation as generation 2, so
 * that cuts in the copy leave generation 1 whole: its events must then be
 * exactly the reference's for the original trace.
 */
function withSecondGeneration(bytes: Uint8Array): { bytes: Uint8Array; boundary: number } {
  const parts: number[] = [...bytes];
  for (const b of batches(bytes)) {
    assert.equal(b.gen, 1, "single-generation trace");
    let p = b.start + 1;
    while (bytes[p] >= 0x80) p++; // skip the generation uvarint
    parts.push(bytes[b.start]);
    appendUvarint(parts, 2);
    for (let i = p + 1; i < b.end; i++) parts.push(bytes[i]);
  }
  return { bytes: Uint8Array.from(parts), boundary: bytes.length };
}

let names: string[] = [];
try {
  names = [...Deno.readDirSync(`${CORPUS_DIR}/real/go1.25`)].map((e) => e.name)
    .filter((n) => n.endsWith(".trace")).sort();
} catch {
  // Corpus missing: corpusAvailable() warns.
}

Deno.test("truncation: the corpus has go1.25 traces", () => {
  if (!corpusAvailable()) return;
  assert.ok(names.length >= 10);
});

/** Ten cuts: spread over the input, some on batch boundaries, some around generation ends. */
function cutPoints(spans: Span[], hl: number, len: number, boundary: number): number[] {
  if (boundary > 0) {
    // A single generation copied as a second: cuts on both sides of the seam.
    const gen1 = spans.filter((b) => b.gen === 1);
    const last = gen1.at(-1)!;
    const at = (f: number, from: number, to: number) => from + Math.floor((to - from) * f);
    return [
      at(0.01, hl, boundary),
      at(0.3, hl, boundary),
      at(0.7, hl, boundary),
      last.start, // a batch boundary: everything but the string table
      at(0.5, last.start, last.end),
      boundary, // exactly the original trace
      boundary + 1, // one byte of generation 2
      at(0.25, boundary, len),
      at(0.5, boundary, len),
      at(0.99, boundary, len),
    ];
  }
  const cuts: number[] = [];
  for (let i = 0; i < 10; i++) {
    const p = hl + Math.floor(((i + 0.5) / 10) * (len - hl));
    // Every third cut moves to the next batch boundary.
    const snap = i % 3 === 2 ? spans.find((b) => b.start >= p)?.start : undefined;
    cuts.push(snap ?? p);
  }
  return cuts;
}

for (const name of names) {
  Deno.test(`truncation: go1.25/${name} cut at ten points`, async () => {
    const base = `${CORPUS_DIR}/real/go1.25/${name.replace(/\.trace$/, "")}`;
    const original = await Deno.readFile(`${base}.trace`);
    const want = blocks(await gunzipText(`${base}.expect.gz`));
    // Where each generation's events start in the reference's output (its
    // opening Sync), and where the final Sync is.
    const syncs = want.flatMap((b, i) => b.startsWith("M=-1 P=-1 G=-1 Sync ") ? [i] : []);
    const spans0 = batches(original);
    const single = spans0.every((b) => b.gen === 1);
    // A one-generation trace gets a copy of its generation as a second, so
    // that cuts in the copy leave a complete generation before them.
    const { bytes, boundary } = single
      ? withSecondGeneration(original)
      : { bytes: original, boundary: -1 };
    const spans = batches(bytes);
    const gens = [...new Set(spans.map((b) => b.gen))];
    const ends = gens.map((g) => spans.filter((b) => b.gen === g).at(-1)!);
    assert.ok(ends.every((b) => b.type === Ev.Strings), "each generation ends with its strings");
    const hl = headerLength(readHeader(bytes));
    for (const cut of cutPoints(spans, hl, bytes.length, boundary)) {
      const input = bytes.subarray(0, cut);
      const what = `${name} cut at ${cut} of ${bytes.length}`;
      // Generations whose every batch is in: the runtime writes a generation's
      // string table last, so the rest of it cannot be lost.
      const whole = ends.filter((b) => b.end <= cut).length;
      const kept = syncs[whole];
      const atEnd = ends.some((b) => b.end === cut);

      const complete = read(input, "complete-generations", want);
      assert.ok(complete.matching >= kept, `${what}: events differ at ${complete.matching}`);
      assert.equal(complete.count, kept + 1, `${what}: then the closing Sync`);
      assert.ok(complete.last.startsWith("M=-1 P=-1 G=-1 Sync "), what);
      if (atEnd) {
        assert.equal(complete.error, null, `${what}: ${complete.error}`);
        continue;
      }
      assert.equal(complete.error?.code, "truncated", `${what}: ${complete.error}`);
      assert.ok(complete.error.truncatedAt! <= cut, what);

      // The other modes give the same events first (not rendered again: the
      // text was checked above), then what they make of the cut generation.
      const ref = read(input, "reference");
      assert.equal(ref.error?.code, "truncated", `${what}: ${ref.error}`);
      assert.ok(ref.count >= kept, what);
      const ord = read(input, "orderable");
      assert.equal(ord.error?.code, "truncated", `${what}: ${ord.error}`);
      assert.ok(ord.count >= complete.count, what);
    }
  });
}

Deno.test("truncation: with only the string table cut, `orderable` still orders every event", async () => {
  if (!corpusAvailable()) return;
  for (const name of ["annotations", "stress-start-stop", "wait-on-pipe"]) {
    const base = `${CORPUS_DIR}/real/go1.25/${name}`;
    const bytes = await Deno.readFile(`${base}.trace`);
    const strings = batches(bytes).at(-1)!;
    const cut = bytes.subarray(0, strings.start + Math.floor((strings.end - strings.start) / 2));
    // What, when and where: the start of each event's text, up to its time.
    const head = (text: string) => /^.*? Time=\d+/.exec(text)![0];
    const want = blocks(await gunzipText(`${base}.expect.gz`)).map(head);
    const got: string[] = [];
    let error: unknown = null;
    try {
      for (const ev of Reader.fromBytes(cut, { partial: "orderable" }).events()) {
        got.push(head(ev.toString()));
      }
    } catch (e) {
      error = e;
    }
    assert.deepEqual(got, want, name);
    assert.ok(error instanceof TraceError && error.code === "truncated", String(error));
    assert.match(error.message, /^failed to read full batch: read \d+ but wanted \d+$/);
    // The reference stops at the first stack whose names were lost.
    const ref = read(cut, "reference");
    assert.ok(ref.count < got.length, name);
  }
});

// Small multi-generation traces of our own: every cut, every mode.
for (const name of ["demo", "task-across-generations", "go126-end-of-generation"]) {
  Deno.test(`truncation: testdata/${name} cut at every byte`, () => {
    const bytes = testdataBytes(name);
    const all: string[] = [];
    for (const ev of Reader.fromBytes(bytes).events()) all.push(ev.toString() + "\n");
    const spans = batches(bytes);
    const hl = headerLength(readHeader(bytes));
    for (let cut = hl + 1; cut < bytes.length; cut++) {
      const input = bytes.subarray(0, cut);
      const what = `${name} cut at ${cut}`;
      const complete = read(input, "complete-generations", all);
      // All but the closing Sync are the full read's first events, up to a generation's start.
      const kept = complete.count - 1;
      assert.ok(complete.matching >= kept, `${what}: not a prefix`);
      assert.ok(
        kept === 0 || all[kept].startsWith("M=-1 P=-1 G=-1 Sync "),
        `${what}: mid-generation`,
      );
      const ref = read(input, "reference");
      const ord = read(input, "orderable");
      // Only a cut between generations reads without error, but for the
      // reference, which misses the cut when no event batch of the last
      // generation made it (it ends quietly, as Go's reader does).
      const between = spans.some((b) => b.start === cut && b.gen > spans[0].gen);
      for (const r of [complete, ref, ord]) {
        if ((between || r === ref) && r.error === null) continue;
        assert.equal(r.error?.code, "truncated", `${what}: ${r.error}`);
      }
      assert.ok(ord.count >= complete.count, `${what}: orderable gave fewer events`);
    }
  });
}

Deno.test("truncation: a cut gzip file reads as the trace cut where the data stops", async () => {
  const bytes = testdataBytes("demo");
  const all = [...Reader.fromBytes(bytes).events()].map((e) => e.toString());
  const gz = await gzip(bytes);
  for (const cut of [8, Math.floor(gz.length * 0.6), gz.length - 3]) {
    const got: string[] = [];
    let error: unknown = null;
    try {
      for await (
        const ev of await Reader.open(gz.subarray(0, cut), { partial: "complete-generations" })
      ) {
        got.push(ev.toString());
      }
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof TraceError, `cut at ${cut}: ${error}`);
    assert.equal(error.code, "truncated", error.toString());
    assert.deepEqual(got.slice(0, -1), all.slice(0, Math.max(0, got.length - 1)));
  }
});
