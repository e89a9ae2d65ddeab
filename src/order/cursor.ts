/**
 * A cursor over one M's batches in a generation: it decodes the next timed
 * event in place (no allocation), completing its timestamp from the deltas.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import type { Batch } from "../wire/batch.ts";
import { SPECS } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import { readUvarint, uvarintEnd } from "../wire/uvarint.ts";

/** The event a cursor is looking at: wire type, time in ns and up to four arguments. */
export class WireEvent {
  /** Wire type. */
  type = 0;
  /** Time (ns). */
  time = 0;
  /** Arguments after the timestamp; slots past the spec's arguments are scratch. */
  a0 = 0;
  /** Second argument. */
  a1 = 0;
  /** Third argument. */
  a2 = 0;
  /** Fourth argument. */
  a3 = 0;

  /** Argument `i`. */
  arg(i: number): number {
    return i === 0 ? this.a0 : i === 1 ? this.a1 : i === 2 ? this.a2 : this.a3;
  }
}

const NARGS = SPECS.map((s) => (s.timed ? s.args.length - 1 : -1));

/** Reads one M's batches of a generation in order. */
export class BatchCursor {
  /** The event under the cursor. */
  readonly ev: WireEvent = new WireEvent();
  /** Byte offset of the event under the cursor. */
  evOffset = 0;
  /** Index of the batch the event under the cursor came from. */
  evBatch = 0;
  private lastTs = 0;
  private idx = 0;
  private dataOff = 0;

  /** @param m the thread @param batches its batches in file order @param tables for the frequency */
  constructor(readonly m: number, readonly batches: Batch[], readonly tables: GenTables) {}

  /** Moves to the next event; false at the end of the M's batches. Throws on bad bytes. */
  next(): boolean {
    const batches = this.batches;
    while (this.idx < batches.length && batches[this.idx].data.length === this.dataOff) {
      this.idx++;
      this.dataOff = 0;
      this.lastTs = 0;
    }
    if (this.idx === batches.length) return false;
    const b = batches[this.idx];
    const freq = this.tables.freq;
    if (this.lastTs === 0) this.lastTs = Math.trunc(b.time * freq);
    const data = b.data;
    let off = this.dataOff;
    const typ = data[off];
    const ev = this.ev;
    this.evOffset = b.dataOffset + off;
    this.evBatch = this.idx;
    const n = NARGS[typ];
    if (n === undefined) throw this.fail(`found invalid event type: ${typ}`, off);
    if (n < 0) throw this.fail(`found event without a timestamp: type=${typ}`, off);
    ev.type = typ;
    off++;
    const dt = readUvarint(data, off);
    if (uvarintEnd < 0) throw this.fail("found invalid uvarint for timestamp", off, "bad-varint");
    off = uvarintEnd;
    for (let i = 0; i < n; i++) {
      const v = readUvarint(data, off);
      if (uvarintEnd < 0) throw this.fail("found invalid uvarint", off, "bad-varint");
      off = uvarintEnd;
      if (i === 0) ev.a0 = v;
      else if (i === 1) ev.a1 = v;
      else if (i === 2) ev.a2 = v;
      else ev.a3 = v;
    }
    ev.time = Math.trunc(dt * freq) + this.lastTs;
    this.lastTs = ev.time;
    this.dataOff = off;
    return true;
  }

  private fail(msg: string, off: number, code: "unknown-event" | "bad-varint" = "unknown-event") {
    const b = this.batches[this.idx];
    return new TraceError(code, msg, { offset: b.dataOffset + off, m: this.m, batch: this.idx });
  }
}
