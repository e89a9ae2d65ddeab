/**
 * Raw events of the old format: a type byte whose top two bits count the
 * arguments (3 meaning "length-prefixed"), then uvarint arguments. Strings
 * and batch headers have their own layouts. The reader is a cursor over the
 * whole trace body that can skip arguments, for the first pass that only
 * locates batches.
 *
 * @module
 */

import { TraceError, type TraceErrorCode } from "../trace_error.ts";
import { readUvarint, uvarintEnd } from "../wire/uvarint.ts";
import { knownInVersion, LEGACY_SPECS, LegacyEv } from "./spec.ts";

/** Longest length-prefixed argument list the old parser accepts, in bytes. */
const MAX_ARGS_BYTES = 2048;
/** Longest string (table entry or log message) it accepts. */
const MAX_STRING = 1e6;
const MAX_INT32 = 2147483647;

/**
 * Message of every bad uvarint in the old format.
 *
 * @example
 * ```ts
 * import { MALFORMED_VARINT } from "./raw.ts";
 * console.assert(MALFORMED_VARINT.startsWith("malformatted"));
 * ```
 */
export const MALFORMED_VARINT = "malformatted base-128 varint";

/**
 * What {@link RawReader.next} read; reused from one call to the next.
 *
 * @example
 * ```ts
 * import { newRawEvent, type RawEvent } from "./raw.ts";
 * const ev: RawEvent = newRawEvent();
 * console.assert(ev.args.length === 0);
 * ```
 */
export interface RawEvent {
  /** Event type; {@link LegacyEv.None} after a string table entry. */
  typ: number;
  /** Arguments, timestamp delta first (empty when skipped). */
  args: number[];
  /** Byte offset (in the body) of each argument, for re-reading a timestamp exactly. */
  argOffs: number[];
  /** A log event's message. */
  text: string;
  /** Offset of the event's first byte in the body. */
  off: number;
}

/**
 * Reads raw events; every failure is a TraceError located in the whole file.
 *
 * @example
 * ```ts
 * import { newRawEvent, RawReader } from "./raw.ts";
 * // A batch header (P 0 at tick 5), then HeapAlloc(dt=1, 4096).
 * const r = new RawReader(new Uint8Array([0x41, 0, 5, 0x61, 1, 0x80, 0x20]), 19, 16);
 * const ev = newRawEvent();
 * console.assert(r.next(ev, false) && ev.typ === 1);
 * console.assert(r.next(ev, false) && ev.typ === 33 && ev.args[1] === 4096);
 * console.assert(!r.next(ev, false));
 * ```
 */
export class RawReader {
  /** Offset of the next byte in the body. */
  off = 0;
  /** Strings seen when reading with strings on, by id. */
  readonly strings: Map<number, string> = new Map();
  #evOff = 0;
  readonly #dec = new TextDecoder();

  /**
   * @param data trace body (after the header)
   * @param version trace version
   * @param base offset of the body in the file, for error locations
   */
  constructor(readonly data: Uint8Array, readonly version: number, readonly base: number) {}

  /** A TraceError at the event being read. */
  fail(code: TraceErrorCode, msg: string): TraceError {
    return new TraceError(code, msg, { offset: this.base + this.#evOff });
  }

  /** A uvarint; throws the old parser's one message when it is bad or cut off. */
  val(): number {
    const v = readUvarint(this.data, this.off);
    if (uvarintEnd < 0) throw this.fail("bad-varint", MALFORMED_VARINT);
    this.off = uvarintEnd;
    return v;
  }

  /** `n` bytes; the old parser also refuses a read that starts at the very end. */
  full(n: number): Uint8Array | null {
    const d = this.data;
    if (this.off >= d.length || n < 0 || this.off + n > d.length) return null;
    this.off += n;
    return d.subarray(this.off - n, this.off);
  }

  /** Skips `n` bytes; false past the end. */
  skip(n: number): boolean {
    if (n < 0 || this.off + n > this.data.length) return false;
    this.off += n;
    return true;
  }

  /**
   * Reads the next event into `ev`. Returns false at the end of the input.
   * With `skip`, arguments of ordinary events are stepped over (CPU samples
   * are still read) and string entries are not stored.
   */
  next(ev: RawEvent, skip: boolean): boolean {
    const d = this.data;
    if (this.off >= d.length) return false;
    this.#evOff = this.off;
    ev.off = this.off;
    const b = d[this.off++];
    const typ = b & 0x3f;
    // The count includes the timestamp; 4 means a byte length comes first.
    const narg = (b >> 6) + 1;
    if (!knownInVersion(typ, this.version)) {
      throw this.fail("unknown-event", `unknown event type ${typ}`);
    }
    ev.typ = typ;
    ev.args.length = 0;
    ev.argOffs.length = 0;
    ev.text = "";
    if (typ === LegacyEv.String) {
      this.#string(skip);
      ev.typ = LegacyEv.None;
      return true;
    }
    if (typ === LegacyEv.Batch) {
      if (narg !== 2) {
        throw this.fail(
          "bad-batch",
          `EvBatch has wrong number of arguments: got ${narg}, want 2`,
        );
      }
      ev.argOffs.push(this.off);
      const pid = this.val();
      if (pid !== -1 && (pid < 0 || pid > MAX_INT32)) {
        throw this.fail(
          "bad-batch",
          `processor ID ${u64(pid)} is larger than maximum of 18446744073709551615`,
        );
      }
      ev.argOffs.push(this.off);
      ev.args.push(pid, this.val());
      return true;
    }
    const what = `failed to read event ${typ} argument`;
    if (narg <= 3) {
      for (let i = 0; i < narg; i++) {
        const at = this.off;
        const v = readUvarint(d, at);
        if (uvarintEnd < 0) throw this.fail("bad-varint", `${what}: ${MALFORMED_VARINT}`);
        this.off = uvarintEnd;
        if (!skip) {
          ev.args.push(v);
          ev.argOffs.push(at);
        }
      }
      return true;
    }
    const len = readUvarint(d, this.off);
    if (uvarintEnd < 0) throw this.fail("bad-varint", `${what}: ${MALFORMED_VARINT}`);
    this.off = uvarintEnd;
    if (len < 0 || len > MAX_ARGS_BYTES) {
      throw this.fail(
        "bad-batch",
        `${what}: length-prefixed argument too big: ${u64(len)} bytes, limit is ${MAX_ARGS_BYTES}`,
      );
    }
    if (!skip || typ === LegacyEv.CPUSample) {
      const start = this.off;
      if (!this.full(len)) throw this.fail("truncated", "failed to read trace: unexpected EOF");
      const end = this.off;
      // A value may not run past the argument bytes.
      const args = d.subarray(0, end);
      for (let at = start; at < end;) {
        const v = readUvarint(args, at);
        if (uvarintEnd < 0) throw this.fail("bad-varint", MALFORMED_VARINT);
        ev.args.push(v);
        ev.argOffs.push(at);
        at = uvarintEnd;
      }
    } else if (!this.skip(len)) {
      throw this.fail("truncated", "failed to read trace: EOF");
    }
    if (typ === LegacyEv.UserLog) {
      // A log's message follows its arguments, inline.
      if (!skip) ev.text = this.#logText();
      else {
        // The old parser treats a cut-off message here as the end of the input.
        const n = this.val();
        if (!this.skip(n)) {
          this.off = d.length;
          return false;
        }
      }
    }
    return true;
  }

  #logText(): string {
    const n = this.val();
    if (n === 0) return "";
    if (n < 0 || n > MAX_STRING) {
      throw this.fail("bad-table", `string is too large (len=${u64(n)})`);
    }
    const buf = this.full(n);
    if (!buf) throw this.fail("truncated", "failed to read trace: unexpected EOF");
    return this.#dec.decode(buf);
  }

  #string(skip: boolean): void {
    if (skip) {
      this.val();
      if (!this.skip(this.val())) throw this.fail("truncated", "failed to read trace: EOF");
      return;
    }
    const id = this.val();
    if (id === 0) throw this.fail("bad-table", "string has invalid id 0");
    if (this.strings.get(id)) throw this.fail("bad-table", `string has duplicate id ${u64(id)}`);
    const n = this.val();
    if (n === 0) throw this.fail("bad-table", "string has invalid length 0");
    if (n < 0 || n > MAX_STRING) {
      throw this.fail("bad-table", `string has too large length ${u64(n)}`);
    }
    const buf = this.full(n);
    if (!buf) throw this.fail("truncated", "failed to read trace: unexpected EOF");
    this.strings.set(id, this.#dec.decode(buf));
  }

  /**
   * The exact value of the uvarint at `at` as a bigint (timestamps are
   * absolute CPU ticks, which can pass 2^53).
   */
  bigAt(at: number): bigint {
    let v = 0n;
    let shift = 0n;
    for (let i = at; i < this.data.length && i < at + 10; i++) {
      const b = this.data[i];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7n;
    }
    return BigInt.asUintN(64, v);
  }
}

/**
 * A fresh, empty raw event to read into.
 *
 * @example
 * ```ts
 * import { newRawEvent } from "./raw.ts";
 * console.assert(newRawEvent().typ === 0);
 * ```
 */
export function newRawEvent(): RawEvent {
  return { typ: 0, args: [], argOffs: [], text: "", off: 0 };
}

/**
 * How many arguments an event must have on the wire, timestamp and stack
 * included (batch headers, frequency and timer-goroutine events have no
 * timestamp; a stack has as many as it says).
 *
 * @example
 * ```ts
 * import { newRawEvent, wantArgs } from "./raw.ts";
 * const ev = { ...newRawEvent(), typ: 21 }; // GoUnblock: time, g, seq, stack
 * console.assert(wantArgs(ev) === 4);
 * ```
 */
export function wantArgs(ev: RawEvent): number {
  const spec = LEGACY_SPECS[ev.typ];
  if (ev.typ === LegacyEv.Stack) return ev.args.length;
  let n = spec.args.length + (spec.stack ? 1 : 0);
  if (
    ev.typ !== LegacyEv.Batch && ev.typ !== LegacyEv.Frequency &&
    ev.typ !== LegacyEv.TimerGoroutine
  ) n++;
  return n;
}

/**
 * Decimal text of a uint64 in the number convention (-1 is 2^64-1).
 *
 * @example
 * ```ts
 * import { u64 } from "./raw.ts";
 * console.assert(u64(-1) === "18446744073709551615" && u64(7) === "7");
 * ```
 */
export function u64(v: number): string {
  return v >= 0 ? String(v) : BigInt.asUintN(64, BigInt(Math.trunc(v))).toString();
}
