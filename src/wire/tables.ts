/**
 * A generation's lookup tables: strings, stacks, frames, clock data, CPU
 * samples and experimental batches, parsed from the runtime's own batches.
 *
 * @module
 */

import { TraceError, type TraceLocation } from "../trace_error.ts";
import type { Batch } from "./batch.ts";
import { Ev, MAX_FRAMES_PER_STACK, MAX_STRING_SIZE } from "./spec.ts";
import { readUvarint, uvarintEnd } from "./uvarint.ts";

/** One frame of the frame table, keyed by PC. */
export interface FrameRecord {
  /** Program counter. */
  pc: number;
  /** String id of the function name. */
  funcID: number;
  /** String id of the file name. */
  fileID: number;
  /** Line number. */
  line: number;
}

/** A CPU profile sample, with its time already in nanoseconds once fixed up. */
export interface CPUSampleRecord {
  /** Thread sampled. */
  m: number;
  /** Its P (-1 for none). */
  p: number;
  /** Its goroutine (-1 for none). */
  g: number;
  /** Time: ticks as read, nanoseconds once the generation is built. */
  time: number;
  /** Stack id. */
  stack: number;
}

/** Raw bytes of an experimental batch, with the thread that wrote it. */
export interface ExperimentalBatch {
  /** Thread (M) that wrote the batch. */
  thread: number;
  /** The batch body, uninterpreted. */
  data: Uint8Array;
}

/** Everything an event needs to resolve its ids, for one generation. */
export class GenTables {
  /** String table; id 0 is always the empty string. */
  strings: Map<number, string> = new Map();
  /** Stack table: id to PCs, innermost first. */
  stacks: Map<number, number[]> = new Map();
  /** Frame table by PC. */
  pcs: Map<number, FrameRecord> = new Map();
  /** Nanoseconds per tick (Go computes 1/(freq/1e9) in float64). */
  freq = 0;
  /** Whether the generation had a frequency event. */
  hasFreq = false;
  /** Whether the generation had a clock snapshot (Go 1.25+). */
  hasClockSnapshot = false;
  /** Snapshot time in ticks. */
  snapTime = 0;
  /** Monotonic clock reading at the snapshot. */
  snapMono = 0;
  /** Wall clock seconds at the snapshot. */
  snapSec = 0;
  /** Wall clock nanoseconds at the snapshot. */
  snapNsec = 0;
  /** Experimental batches by experiment id. */
  expBatches: Map<number, ExperimentalBatch[]> = new Map();
  /** Strings carried over from other generations (task names for TaskEnd), 1-based. */
  extraStrings: string[] = [];
  private extraIds: Map<string, number> = new Map();
  // Dense presence bitmaps of stack and string ids, built once the tables are
  // complete, so that checking every event's ids costs an array read.
  private stackSeen: Uint8Array | null = null;
  private stringSeen: Uint8Array | null = null;

  /**
   * Set on the tables of a generation salvaged from a cut-short input: ids
   * missing from the (possibly lost) tables then resolve to nothing instead
   * of failing.
   */
  lenient = false;

  /** Builds the id lookups; call once every stack and string is in. */
  seal(): void {
    this.stackSeen = presence(this.stacks);
    this.stringSeen = presence(this.strings);
  }

  /**
   * Stack ids known present, as a bitmap read `ids[id] === 1` (0, "no
   * stack", included); empty when the ids are too sparse for one. A miss is
   * no verdict: ask {@link hasStack}.
   */
  get stackIds(): Uint8Array {
    return this.stackSeen ?? NO_IDS;
  }

  /** String ids known present, as {@link stackIds} is for stacks (0, the empty string, included). */
  get stringIds(): Uint8Array {
    return this.stringSeen ?? NO_IDS;
  }

  /** Whether a stack id is in the table (always, for {@link lenient} tables). */
  hasStack(id: number): boolean {
    if (id === 0) return true; // "no stack"
    const p = this.stackSeen;
    if (p && id >= 0 && id < p.length && p[id] === 1) return true;
    return this.stacks.has(id) || this.lenient;
  }

  /** Whether a string id is in the table (always, for {@link lenient} tables). */
  hasString(id: number): boolean {
    if (id === 0) return true; // the empty string
    const p = this.stringSeen;
    if (p && id >= 0 && id < p.length && p[id] === 1) return true;
    return this.strings.has(id) || this.lenient;
  }

  /** Looks up a string; undefined when the id is unknown ("" for {@link lenient} tables). */
  string(id: number): string | undefined {
    if (id === 0) return "";
    const s = this.strings.get(id);
    return s === undefined && this.lenient ? "" : s;
  }

  /** Converts a tick count to nanoseconds the way Go does (float multiply, truncate). */
  toNs(ticks: number): number {
    return goTime(ticks * this.freq);
  }

  /** Adds a string from another generation and returns its extra id (0 for ""). */
  addExtraString(s: string): number {
    if (s === "") return 0;
    let id = this.extraIds.get(s);
    if (id === undefined) {
      this.extraStrings.push(s);
      id = this.extraStrings.length;
      this.extraIds.set(s, id);
    }
    return id;
  }

  /** Looks up an extra string. */
  extraString(id: number): string {
    return id === 0 ? "" : this.extraStrings[id - 1];
  }
}

/**
 * A float64 time converted to int64 the way Go does on amd64 (where the
 * reference's outputs come from): truncated, and -2^63 when out of range.
 *
 * @example
 * ```ts
 * import { goTime } from "./tables.ts";
 * console.assert(goTime(12.9) === 12 && goTime(Infinity) === -(2 ** 63) && goTime(NaN) === -(2 ** 63));
 * ```
 */
export function goTime(ns: number): number {
  // 2^63 written out: a module constant would be a context load on this hot path.
  return ns >= -9223372036854775808 && ns < 9223372036854775808
    ? Math.trunc(ns)
    : -9223372036854775808;
}

function presence(m: Map<number, unknown>): Uint8Array | null {
  let max = 0;
  for (const id of m.keys()) if (id > max) max = id;
  if (max > 4 * m.size + 1024) return null; // sparse: fall back to the Map
  const p = new Uint8Array(max + 1);
  for (const id of m.keys()) if (id >= 0) p[id] = 1;
  p[0] = 1; // id 0 means none, and is always valid
  return p;
}

const NO_IDS = new Uint8Array(0);

const decoder = new TextDecoder();

// A small cursor over a batch body that throws TraceErrors with the byte offset.
class BodyReader {
  off = 0;
  constructor(readonly b: Batch, readonly where: TraceLocation) {}
  get left(): number {
    return this.b.data.length - this.off;
  }
  byte(): number {
    if (this.off >= this.b.data.length) throw this.fail("truncated", "EOF");
    return this.b.data[this.off++];
  }
  uvarint(what?: string): number {
    const v = readUvarint(this.b.data, this.off);
    if (uvarintEnd < 0) {
      const msg = uvarintEnd === -2
        ? "binary: varint overflows a 64-bit integer"
        : this.off >= this.b.data.length
        ? "EOF"
        : "unexpected EOF";
      throw this.fail(
        uvarintEnd === -2 ? "bad-varint" : "truncated",
        what ? `${what}: ${msg}` : msg,
      );
    }
    this.off = uvarintEnd;
    return v;
  }
  fail(code: "truncated" | "bad-varint" | "bad-table" | "unknown-event", msg: string): TraceError {
    return new TraceError(code, msg, { ...this.where, offset: this.b.dataOffset + this.off });
  }
}

/** Adds the strings of a Strings batch to the table. */
export function addStrings(t: GenTables, b: Batch, where: TraceLocation): void {
  const r = new BodyReader(b, where);
  r.byte(); // Strings header
  while (r.left > 0) {
    const ev = r.byte();
    if (ev !== Ev.String) throw r.fail("unknown-event", `expected string event, got ${ev}`);
    const id = r.uvarint();
    const len = r.uvarint();
    if (len > MAX_STRING_SIZE || len < 0) {
      throw r.fail("bad-table", `invalid string size ${len}, maximum is ${MAX_STRING_SIZE}`);
    }
    const n = Math.min(len, r.left);
    const s = decoder.decode(b.data.subarray(r.off, r.off + n));
    if (n !== len) {
      throw r.fail("truncated", `failed to read full string: read ${n} but wanted ${len}`);
    }
    r.off += n;
    if (id !== 0 && t.strings.has(id) || id === 0) {
      const existing = t.string(id);
      throw r.fail(
        "bad-table",
        `multiple strings with the same ID: id=${id}, new=${s}, existing=${existing}`,
      );
    }
    t.strings.set(id, s);
  }
}

/** Adds the stacks (and their frames) of a Stacks batch to the table. */
export function addStacks(t: GenTables, b: Batch, where: TraceLocation): void {
  const r = new BodyReader(b, where);
  r.byte(); // Stacks header
  while (r.left > 0) {
    const ev = r.byte();
    if (ev !== Ev.Stack) throw r.fail("unknown-event", `expected stack event, got ${ev}`);
    const id = r.uvarint();
    const n = r.uvarint();
    if (n > MAX_FRAMES_PER_STACK || n < 0) {
      throw r.fail("bad-table", `invalid stack size ${n}, maximum is ${MAX_FRAMES_PER_STACK}`);
    }
    const pcs: number[] = [];
    for (let i = 0; i < n; i++) {
      const pc = r.uvarint(`reading frame ${i + 1}'s PC for stack ${id}`);
      const funcID = r.uvarint(`reading frame ${i + 1}'s funcID for stack ${id}`);
      const fileID = r.uvarint(`reading frame ${i + 1}'s fileID for stack ${id}`);
      const line = r.uvarint(`reading frame ${i + 1}'s line for stack ${id}`);
      pcs.push(pc);
      if (!t.pcs.has(pc)) t.pcs.set(pc, { pc, funcID, fileID, line });
    }
    if (id === 0 || t.stacks.has(id)) {
      throw r.fail("bad-table", `multiple stacks with the same ID: id=${id}`);
    }
    t.stacks.set(id, pcs);
  }
}

/** Appends the samples of a CPUSamples batch (times still in ticks). */
export function addCPUSamples(out: CPUSampleRecord[], b: Batch, where: TraceLocation): void {
  const r = new BodyReader(b, where);
  r.byte(); // CPUSamples header
  while (r.left > 0) {
    const ev = r.byte();
    if (ev !== Ev.CPUSample) throw r.fail("unknown-event", `expected CPU sample event, got ${ev}`);
    const time = r.uvarint();
    const m = r.uvarint();
    const p = r.uvarint();
    const g = r.uvarint();
    const stack = r.uvarint();
    out.push({ m, p, g: g === 0 ? -1 : g, time, stack });
  }
}

/** Reads the frequency (and, from Go 1.25, the clock snapshot) of a sync batch. */
export function setSync(t: GenTables, b: Batch, version: number, where: TraceLocation): void {
  const r = new BodyReader(b, where);
  if (version >= 25) r.byte(); // Sync header
  let lastTs = b.time;
  while (r.left > 0) {
    const ev = r.byte();
    if (ev === Ev.Frequency) {
      if (t.hasFreq) throw r.fail("bad-table", "found multiple frequency events");
      const f = r.uvarint();
      t.hasFreq = true;
      // A zero frequency makes Go's tick length infinite and every time it
      // converts int64(±Inf or NaN): out of range, which its reader then
      // bumps to the last time + 1. A zero tick length does the same, and
      // keeps times finite.
      t.freq = f === 0 ? 0 : 1.0 / (f / 1e9);
    } else if (ev === Ev.ClockSnapshot && version >= 25) {
      if (t.hasClockSnapshot) throw r.fail("bad-table", "found multiple clock snapshot events");
      t.hasClockSnapshot = true;
      lastTs += r.uvarint();
      t.snapTime = lastTs;
      t.snapMono = r.uvarint();
      t.snapSec = r.uvarint();
      t.snapNsec = r.uvarint();
    } else {
      throw r.fail("unknown-event", `expected frequency or clock snapshot event, got ${ev}`);
    }
  }
}

/** Checks that every frame of every stack resolves to strings, as Go's reader does. */
export function checkStackStrings(t: GenTables, where: TraceLocation): void {
  for (const [id, pcs] of t.stacks) {
    for (const pc of pcs) {
      const f = t.pcs.get(pc);
      if (!f) {
        throw new TraceError(
          "bad-table-id",
          `found unknown pc ${pc.toString(16)} for stack ${id}`,
          where,
        );
      }
      if (t.string(f.funcID) === undefined) {
        throw new TraceError(
          "bad-table-id",
          `found invalid func string ID ${f.funcID} for stack ${id}`,
          where,
        );
      }
      if (t.string(f.fileID) === undefined) {
        throw new TraceError(
          "bad-table-id",
          `found invalid file string ID ${f.fileID} for stack ${id}`,
          where,
        );
      }
    }
  }
}
