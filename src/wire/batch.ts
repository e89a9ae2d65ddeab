/**
 * Batches: the unit the runtime writes. Each is a header (generation, thread,
 * base timestamp, size) and a run of bytes that is parsed later, once the
 * whole generation is in hand.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { Ev, MAX_BATCH_SIZE, MAX_FRAMES_PER_STACK, MAX_STRING_SIZE, SPECS } from "./spec.ts";
import { readUvarint, uvarintEnd } from "./uvarint.ts";

/** One batch, unparsed but for its header. */
export interface Batch {
  /** Generation the batch belongs to (0 for the end-of-generation signal). */
  gen: number;
  /** Thread (M) that wrote it; -1 for the runtime's own batches. */
  m: number;
  /** Base timestamp in ticks; event deltas count from it. */
  time: number;
  /** Experiment id, 0 for ordinary batches. */
  exp: number;
  /** The batch body. */
  data: Uint8Array;
  /** Absolute byte offset of the batch header in the trace. */
  offset: number;
  /** Absolute byte offset of `data[0]`. */
  dataOffset: number;
}

/**
 * What reading a batch gave: a batch, the clean end of input, more bytes
 * needed, or an error. An error carries the generation from the header when
 * it was read (else 0) and, for a batch cut short by the end of input, the
 * bytes of it that are there (`partial`), for callers that salvage them.
 */
export type BatchRead =
  | { kind: "batch"; batch: Batch; end: number }
  | { kind: "eof" }
  | { kind: "more" }
  | { kind: "error"; error: TraceError; gen: number; partial?: Batch };

/** True when the body starts with the given structural event type. */
export function batchIs(b: Batch, type: number): boolean {
  return b.exp === 0 && b.data.length > 0 && b.data[0] === type;
}

/** True for the runtime's frequency/sync batch (its form changed in Go 1.25). */
export function isSyncBatch(b: Batch, version: number): boolean {
  if (b.exp !== 0 || b.data.length === 0) return false;
  return version < 25 ? b.data[0] === Ev.Frequency : b.data[0] === Ev.Sync;
}

/**
 * Reads the batch at `off` in `buf` (whose first byte is at absolute offset
 * `base`). With `eof` false, a batch cut short by the end of `buf` asks for
 * more bytes instead of failing. Errors are returned, not thrown, because
 * the generation reader decides whether they are fatal yet.
 *
 * @example
 * ```ts
 * import { readBatch } from "./batch.ts";
 * // EventBatch gen=1 m=0 time=5 size=1, body [11]
 * const r = readBatch(new Uint8Array([1, 1, 0, 5, 1, 11]), 0, 0, true);
 * console.assert(r.kind === "batch" && r.batch.time === 5 && r.end === 6);
 * ```
 */
export function readBatch(buf: Uint8Array, off: number, base: number, eof: boolean): BatchRead {
  const start = off;
  if (off >= buf.length) return eof ? { kind: "eof" } : { kind: "more" };
  const typ = buf[off++];
  if (typ === Ev.EndOfGeneration) {
    const batch: Batch = {
      gen: 0,
      m: -1,
      time: 0,
      exp: 0,
      data: buf.subarray(start, off),
      offset: base + start,
      dataOffset: base + start,
    };
    return { kind: "batch", batch, end: off };
  }
  if (typ !== Ev.EventBatch && typ !== Ev.ExperimentalBatch) {
    const error = new TraceError("bad-batch", `expected batch event, got event ${typ}`, {
      offset: base + start,
    });
    return { kind: "error", error, gen: 0 };
  }
  let exp = 0;
  if (typ === Ev.ExperimentalBatch) {
    // A lone trailing experimental-batch byte reads as the end of the trace, as in Go's reader.
    if (off >= buf.length) return eof ? { kind: "eof" } : { kind: "more" };
    exp = buf[off++];
  }
  // The four header fields, unrolled: this runs once per batch, and floods
  // of tiny batches must stay cheap.
  const gen = readUvarint(buf, off);
  if (uvarintEnd < 0) return headerError(buf, off, base, eof, 0, 0);
  off = uvarintEnd;
  const m = readUvarint(buf, off);
  if (uvarintEnd < 0) return headerError(buf, off, base, eof, 1, gen);
  off = uvarintEnd;
  const time = readUvarint(buf, off);
  if (uvarintEnd < 0) return headerError(buf, off, base, eof, 2, gen);
  off = uvarintEnd;
  const size = readUvarint(buf, off);
  if (uvarintEnd < 0) return headerError(buf, off, base, eof, 3, gen);
  off = uvarintEnd;
  if (size > MAX_BATCH_SIZE || size < 0) {
    const shown = size < 0 ? BigInt.asUintN(64, BigInt(size)).toString() : String(size);
    const error = new TraceError(
      "bad-batch-size",
      `invalid batch size ${shown}, maximum is ${MAX_BATCH_SIZE}`,
      { offset: base + start, generation: gen || undefined, m },
    );
    return { kind: "error", error, gen };
  }
  if (off + size > buf.length) {
    if (!eof) return { kind: "more" };
    const error = new TraceError(
      "truncated",
      `failed to read full batch: read ${buf.length - off} but wanted ${size}`,
      { offset: base + start, generation: gen || undefined, m, truncatedAt: base + buf.length },
    );
    const partial: Batch = {
      gen,
      m,
      time,
      exp,
      data: buf.subarray(off),
      offset: base + start,
      dataOffset: base + off,
    };
    return { kind: "error", error, gen, partial };
  }
  const batch: Batch = {
    gen,
    m,
    time,
    exp,
    data: size === 0 ? NO_DATA : buf.subarray(off, off + size),
    offset: base + start,
    dataOffset: base + off,
  };
  return { kind: "batch", batch, end: off + size };
}

// The body of every empty batch: a view costs more than the batch itself.
const NO_DATA = new Uint8Array(0);

const HEADER_FIELDS = ["batch gen", "batch M ID", "batch timestamp", "batch size"];

// A batch header field that could not be read (uvarintEnd says why).
function headerError(
  buf: Uint8Array,
  off: number,
  base: number,
  eof: boolean,
  field: number,
  gen: number,
): BatchRead {
  if (uvarintEnd === -1 && !eof) return { kind: "more" };
  const why = uvarintEnd === -2
    ? "binary: varint overflows a 64-bit integer"
    : off >= buf.length
    ? "EOF"
    : "unexpected EOF";
  const cut = uvarintEnd === -2 ? {} : { truncatedAt: base + buf.length };
  const code = uvarintEnd === -2 ? "bad-varint" : "truncated";
  const error = new TraceError(code, `error reading ${HEADER_FIELDS[field]}: ${why}`, {
    offset: base + off,
    generation: gen || undefined,
    ...cut,
  });
  return { kind: "error", error, gen };
}

// Uvarints after the type byte of each entry of the runtime's own batches.
const TABLE_ENTRY_ARGS: Record<number, number> = {
  [Ev.String]: 2, // id, length (then the bytes)
  [Ev.Stack]: 2, // id, frame count (then four uvarints a frame)
  [Ev.CPUSample]: 5,
  [Ev.Frequency]: 1,
  [Ev.ClockSnapshot]: 4,
};

/**
 * Length of the longest prefix of a batch body made of whole events (or
 * whole table entries, for the runtime's string, stack, CPU-sample and sync
 * batches): what of a batch cut short by the end of the input can still be
 * decoded. Stops early, too, at the first byte that cannot start an event.
 *
 * @example
 * ```ts
 * import { completePrefix } from "./batch.ts";
 * import { Ev } from "./spec.ts";
 * const data = new Uint8Array([Ev.ProcStop, 5, Ev.ProcStart, 1]); // the ProcStart lacks 2 args
 * const batch = { gen: 1, m: 0, time: 0, exp: 0, data, offset: 0, dataOffset: 0 };
 * console.assert(completePrefix(batch) === 2);
 * ```
 */
export function completePrefix(b: Batch): number {
  const data = b.data;
  if (b.exp !== 0 || data.length === 0) return 0;
  const head = data[0];
  const table = head === Ev.Strings || head === Ev.Stacks || head === Ev.CPUSamples ||
    head === Ev.Sync;
  let off = table ? 1 : 0;
  let good = off;
  while (off < data.length) {
    const typ = data[off++];
    let n: number;
    if (table) {
      n = TABLE_ENTRY_ARGS[typ] ?? -1;
    } else {
      const spec = SPECS[typ];
      n = spec && spec.timed ? spec.args.length : -1;
    }
    if (n < 0) break;
    const args: number[] = [];
    for (let i = 0; i < n && off >= 0; i++) {
      args.push(readUvarint(data, off));
      off = uvarintEnd;
    }
    if (off < 0) break;
    if (typ === Ev.String && table) {
      if (args[1] > MAX_STRING_SIZE || off + args[1] > data.length) break;
      off += args[1];
    } else if (typ === Ev.Stack && table) {
      if (args[1] > MAX_FRAMES_PER_STACK) break;
      for (let i = 0; i < 4 * args[1] && off >= 0; i++) {
        readUvarint(data, off);
        off = uvarintEnd;
      }
      if (off < 0) break;
    }
    good = off;
  }
  return good;
}
