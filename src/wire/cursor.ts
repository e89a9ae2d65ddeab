/**
 * A cursor over one M's batches in a generation: it decodes the next timed
 * event in place (no allocation), completing its timestamp from the deltas.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import type { Batch } from "./batch.ts";
import { SPECS } from "./spec.ts";
import { type GenTables, goTime } from "./tables.ts";
import { readUvarint, uvarintEnd } from "./uvarint.ts";

/** An event being ordered: wire type, time in ns and up to four arguments. */
export interface WireEvent {
  /** Wire type. */
  type: number;
  /** Time (ns). */
  time: number;
  /** First argument after the timestamp. */
  a0: number;
  /** Second argument. */
  a1: number;
  /** Third argument. */
  a2: number;
  /** Fourth argument. */
  a3: number;
}

/**
 * Argument `i` (0-3) of a wire event: the one place that maps an index to
 * the four fixed slots.
 *
 * @example
 * ```ts
 * import { wireArg } from "./cursor.ts";
 * console.assert(wireArg({ a0: 5, a1: 6, a2: 7, a3: 8 }, 2) === 7);
 * ```
 */
export function wireArg(ev: Pick<WireEvent, "a0" | "a1" | "a2" | "a3">, i: number): number {
  return i === 0 ? ev.a0 : i === 1 ? ev.a1 : i === 2 ? ev.a2 : ev.a3;
}

/**
 * Sets argument `i` (0-3) of a wire event: {@link wireArg}'s other half.
 *
 * @example
 * ```ts
 * import { setWireArg } from "./cursor.ts";
 * const ev = { a0: 5, a1: 6, a2: 7, a3: 8 };
 * setWireArg(ev, 3, 9);
 * console.assert(ev.a3 === 9);
 * ```
 */
export function setWireArg(
  ev: Pick<WireEvent, "a0" | "a1" | "a2" | "a3">,
  i: number,
  v: number,
): void {
  if (i === 0) ev.a0 = v;
  else if (i === 1) ev.a1 = v;
  else if (i === 2) ev.a2 = v;
  else ev.a3 = v;
}

const NO_DATA = new Uint8Array(0);

const NARGS = SPECS.map((s) => (s.timed ? s.args.length - 1 : -1));

/**
 * Reads one M's batches of a generation in order. The cursor is itself the
 * event under it (its fields are the event's), which saves an indirection on
 * the hottest path: the frontier's comparisons of `time`.
 */
export class BatchCursor implements WireEvent {
  // The fields are declared, and set in the constructor, so that V8 keeps
  // the numbers as numbers: a field declared without a value (or any field
  // of a class with parameter properties) is emitted as a field that starts
  // undefined, and V8 then boxes every double written to it (a new heap
  // object and a write barrier per event).
  /** Wire type of the event under the cursor. */
  declare type: number;
  /** Its time (ns). */
  declare time: number;
  /** Its first argument. */
  declare a0: number;
  /** Second argument. */
  declare a1: number;
  /** Third argument. */
  declare a2: number;
  /** Fourth argument. */
  declare a3: number;
  /** The event under the cursor (the cursor itself). */
  get ev(): WireEvent {
    return this;
  }
  // Offset of the event under the cursor within its batch's data.
  declare private evStart: number;

  /** Byte offset (absolute) of the event under the cursor. */
  get evOffset(): number {
    const b = this.batches[this.idx];
    return b ? b.dataOffset + this.evStart : 0;
  }

  /** Index of the batch the event under the cursor came from. */
  get evBatch(): number {
    return this.idx;
  }
  declare private idx: number;
  declare private dataOff: number;
  // Body of batch `idx` (empty past the last batch).
  declare private data: Uint8Array;

  /**
   * A cursor before the first event of an M's batches.
   * @param m the thread
   * @param batches its batches in file order
   * @param tables for the frequency
   */
  constructor(m: number, batches: Batch[], tables: GenTables) {
    this.m = m;
    this.batches = batches;
    this.tables = tables;
    this.type = 0;
    this.time = 0;
    this.a0 = 0;
    this.a1 = 0;
    this.a2 = 0;
    this.a3 = 0;
    this.evStart = 0;
    this.idx = 0;
    this.dataOff = 0;
    this.pos = 0;
    this.data = batches.length > 0 ? batches[0].data : NO_DATA;
    this.base = batches.length > 0 ? tables.toNs(batches[0].time) : 0;
  }
  /** The thread. */
  declare readonly m: number;
  /** Its batches in file order. */
  declare readonly batches: Batch[];
  /** The generation's tables (for the frequency). */
  declare readonly tables: GenTables;

  /** Moves to the next event; false at the end of the M's batches. Throws on bad bytes. */
  next(): boolean {
    let data = this.data;
    if (this.dataOff >= data.length) {
      // Move to the next batch that has data (Go's reader accepts empty ones).
      const batches = this.batches;
      do {
        if (this.idx + 1 >= batches.length) {
          this.idx = batches.length;
          return false;
        }
        data = this.data = batches[++this.idx].data;
        this.dataOff = 0;
      } while (data.length === 0);
      this.time = 0;
      this.base = this.tables.toNs(batches[this.idx].time);
    }
    // Deltas count from the previous event's time, or from the batch's base
    // time at the start of a batch (and, as in Go, whenever the running time
    // is 0). Both are fields: a local merging them with a call's result
    // would make V8 box every event's time.
    const prev = this.time;
    const last = prev === 0 ? this.base : prev;
    const freq = this.tables.freq;
    const start = this.dataOff;
    const typ = data[start];
    this.evStart = start;
    const n = NARGS[typ];
    if (n === undefined) throw this.fail(`found invalid event type: ${typ}`, start);
    if (n < 0) throw this.fail(`found event without a timestamp: type=${typ}`, start);
    this.type = typ;
    // The timestamp delta, one byte inline.
    let dt = data[start + 1];
    if (dt < 0x80) this.pos = start + 2;
    else {
      this.pos = start + 1;
      dt = this.uv(data);
      if (this.pos < 0) {
        throw this.fail("found invalid uvarint for timestamp", start + 1, "bad-varint");
      }
    }
    // Arguments go to fixed slots; slots past the spec's count keep old values, as in Go.
    if (n > 0) {
      this.a0 = this.uv(data);
      if (n > 1) {
        this.a1 = this.uv(data);
        if (n > 2) {
          this.a2 = this.uv(data);
          if (n > 3) this.a3 = this.uv(data);
        }
      }
      if (this.pos < 0) throw this.fail("found invalid uvarint", start + 1, "bad-varint");
    }
    // Go converts the float product to int64 (see goTime), then adds.
    this.time = goTime(dt * freq) + last;
    this.dataOff = this.pos;
    return true;
  }

  // Read position in the current batch; negative after a failed read.
  declare private pos: number;
  // Base time (ns) of batch `idx`.
  declare private base: number;
  /** Reads a uvarint at `pos`, inline for short ones; after a failure, returns 0. */
  private uv(data: Uint8Array): number {
    const p = this.pos;
    if (p < 0) return 0;
    if (p + 2 < data.length) {
      const b0 = data[p];
      if (b0 < 0x80) {
        this.pos = p + 1;
        return b0;
      }
      const b1 = data[p + 1];
      if (b1 < 0x80) {
        this.pos = p + 2;
        return (b0 & 0x7f) | (b1 << 7);
      }
      const b2 = data[p + 2];
      if (b2 < 0x80) {
        this.pos = p + 3;
        return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
      }
    }
    const v = readUvarint(data, p);
    this.pos = uvarintEnd;
    return uvarintEnd < 0 ? 0 : v;
  }

  /** A copy at the same position, to look ahead without moving this cursor. */
  fork(): BatchCursor {
    const c = new BatchCursor(this.m, this.batches, this.tables);
    c.type = this.type;
    c.time = this.time;
    c.base = this.base;
    c.a0 = this.a0;
    c.a1 = this.a1;
    c.a2 = this.a2;
    c.a3 = this.a3;
    c.evStart = this.evStart;
    c.idx = this.idx;
    c.dataOff = this.dataOff;
    c.data = this.data;
    return c;
  }

  /** A decoding error at `off` in the current batch. */
  private fail(
    msg: string,
    off: number,
    code: "unknown-event" | "bad-varint" = "unknown-event",
  ): TraceError {
    const b = this.batches[this.idx];
    return new TraceError(code, msg, { offset: b.dataOffset + off, m: this.m, batch: this.idx });
  }
}
