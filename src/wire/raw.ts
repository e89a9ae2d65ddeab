/**
 * Raw wire events: the trace as the runtime wrote it, event by event, with
 * no ordering or validation beyond the event table. Batch headers, table
 * entries and the end-of-generation byte are events here like any other.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { appendUvarint, readUvarint, uvarintEnd } from "./uvarint.ts";
import { headerBytes, headerLength, readHeader } from "./header.ts";
import { GENERATIONAL_VERSIONS, specCount, SPECS } from "./spec.ts";

/**
 * One wire event. `args` follow the spec's argument order; a `Stack` event's
 * args continue with four numbers (pc, func, file, line) per frame. Numbers
 * follow the uvarint.ts convention (2^64-1 is -1).
 *
 * @example
 * ```ts
 * import type { RawEvent } from "./raw.ts";
 * import { Ev } from "./spec.ts";
 * const ev: RawEvent = { type: Ev.String, args: [1], data: new TextEncoder().encode("main") };
 * console.assert(ev.args.length === 1);
 * ```
 */
export interface RawEvent {
  /** Event type byte (see `Ev` in spec.ts). */
  type: number;
  /** Arguments in wire order, frames included for `Stack`. */
  args: number[];
  /** Trailing bytes, present exactly for event types with `hasData`. */
  data?: Uint8Array;
}

/**
 * A whole trace as raw events, in file order.
 *
 * @example
 * ```ts
 * import type { RawTrace } from "./raw.ts";
 * const empty: RawTrace = { version: 22, events: [] };
 * console.assert(empty.events.length === 0);
 * ```
 */
export interface RawTrace {
  /** Go minor version of the trace format (22, 23, 25 or 26). */
  version: number;
  /** Events in file order. */
  events: RawEvent[];
}

/** Length of the file header `go 1.NN trace\0\0\0`. */

/**
 * Bytes `ev` takes on the wire, type byte included. Batch sizes are sums of
 * this over the events after the batch header.
 *
 * @example
 * ```ts
 * import { encodedSize } from "./raw.ts";
 * import { Ev } from "./spec.ts";
 * // type byte + dt + p + pstatus
 * console.assert(encodedSize({ type: Ev.ProcStatus, args: [0, 0, 1] }) === 4);
 * ```
 */
export function encodedSize(ev: RawEvent): number {
  const tmp: number[] = [];
  for (const a of ev.args) appendUvarint(tmp, a);
  if (SPECS[ev.type]?.hasData) {
    const n = ev.data?.length ?? 0;
    appendUvarint(tmp, n);
    return 1 + tmp.length + n;
  }
  return 1 + tmp.length;
}

/**
 * Whether a type byte is an event in a version's table. Experimental events
 * (type 128 and up) are allowed from go1.23 on although the version's table
 * stops earlier: the runtime writes them into ordinary batches.
 *
 * @example
 * ```ts
 * import { knownType } from "./raw.ts";
 * import { Ev } from "./spec.ts";
 * console.assert(knownType(Ev.GoSwitch, 23) && !knownType(Ev.GoSwitch, 22));
 * console.assert(knownType(Ev.SpanAlloc, 23) && !knownType(0, 26));
 * ```
 */
export function knownType(type: number, version: number, nspecs = specCount(version)): boolean {
  const spec = SPECS[type];
  if (type === 0 || !spec?.name) return false;
  return type < nspecs || (spec.experiment !== 0 && version >= 23);
}

/** Throws unless `ev` has the argument count its type requires. */
function checkShape(ev: RawEvent, version: number): void {
  const spec = SPECS[ev.type];
  if (!knownType(ev.type, version)) {
    throw new RangeError(`event type ${ev.type} does not exist in go1.${version} traces`);
  }
  let want = spec.args.length;
  if (spec.isStack) want += 4 * (ev.args[1] ?? 0);
  if (ev.args.length !== want) {
    throw new RangeError(`${spec.name} needs ${want} arguments, got ${ev.args.length}`);
  }
}

/**
 * Writes a raw trace in the binary wire format, as Go's raw writer does:
 * header, then per event the type byte, uvarint arguments (frames included)
 * and, for events with data, a uvarint length and the bytes. Batch sizes are
 * written as given, so deliberately wrong ones survive. Throws RangeError on
 * an event whose argument count does not fit its type.
 *
 * @example
 * ```ts
 * import { encodeBinary } from "./raw.ts";
 * import { Ev } from "./spec.ts";
 * const bytes = encodeBinary({ version: 22, events: [{ type: Ev.Frequency, args: [15625000] }] });
 * console.assert(bytes.length === 16 + 1 + 4);
 * ```
 */
export function encodeBinary(trace: RawTrace): Uint8Array {
  const out: number[] = Array.from(headerBytes(trace.version));
  for (const ev of trace.events) {
    checkShape(ev, trace.version);
    out.push(ev.type);
    for (const a of ev.args) appendUvarint(out, a);
    if (SPECS[ev.type].hasData) {
      const data = ev.data ?? new Uint8Array();
      appendUvarint(out, data.length);
      for (const b of data) out.push(b);
    }
  }
  return Uint8Array.from(out);
}

/**
 * The version of a trace in this (generational) wire format: the header's,
 * which must be Go 1.22 or later.
 */
function generationalVersion(bytes: Uint8Array): number {
  const version = readHeader(bytes);
  if (!GENERATIONAL_VERSIONS.includes(version)) {
    throw new TraceError(
      "unsupported-version",
      `unknown or unsupported trace version go 1.${version}`,
      { offset: 0 },
    );
  }
  return version;
}

/** The error for a uvarint that could not be read (see uvarintEnd). */
function readError(name: string, what: string, offset: number, overflow = uvarintEnd === -2) {
  if (overflow) {
    return new TraceError(
      "bad-varint",
      `binary: varint overflows a 64-bit integer (${name} ${what})`,
      { offset },
    );
  }
  return new TraceError("truncated", `unexpected EOF reading ${name} ${what}`, { offset });
}

/**
 * Decodes a binary trace into raw events without ordering them: event after
 * event from the header on, each byte a type from the version's table, the
 * way Go's raw reader walks a file. Batch sizes are not checked. Errors are
 * TraceErrors with the byte `offset` of the offending event.
 *
 * @example
 * ```ts
 * import { decodeRaw, encodeBinary } from "./raw.ts";
 * import { Ev } from "./spec.ts";
 * const trace = { version: 22, events: [{ type: Ev.Frequency, args: [15625000] }] };
 * console.assert(decodeRaw(encodeBinary(trace)).events[0].args[0] === 15625000);
 * ```
 */
export function decodeRaw(bytes: Uint8Array): RawTrace {
  const version = generationalVersion(bytes);
  const nspecs = specCount(version);
  const events: RawEvent[] = [];
  const end = bytes.length;
  let off = headerLength(version);

  while (off < end) {
    const start = off;
    const type = bytes[off++];
    const spec = SPECS[type];
    if (!knownType(type, version, nspecs)) {
      throw new TraceError("unknown-event", `invalid event type: ${type}`, { offset: start });
    }
    const args: number[] = [];
    for (const name of spec.args) {
      const v = readUvarint(bytes, off);
      if (uvarintEnd < 0) throw readError(spec.name, `argument ${name}`, start);
      args.push(v);
      off = uvarintEnd;
    }
    if (spec.isStack) {
      const nframes = args[1];
      // Every uvarint is at least a byte: a count the rest can't hold is truncation, not a hang.
      if (nframes < 0 || nframes * 4 > end - off) {
        throw readError(spec.name, `frames (${nframes} frames)`, start, false);
      }
      for (let i = 0; i < nframes * 4; i++) {
        const v = readUvarint(bytes, off);
        if (uvarintEnd < 0) throw readError(spec.name, "frame", start);
        args.push(v);
        off = uvarintEnd;
      }
    }
    let data: Uint8Array | undefined;
    if (spec.hasData) {
      const n = readUvarint(bytes, off);
      if (uvarintEnd < 0) throw readError(spec.name, "data length", start);
      off = uvarintEnd;
      if (n < 0 || n > end - off) {
        throw new TraceError(
          "truncated",
          `unexpected EOF reading ${spec.name} data (${n} bytes, ${end - off} left)`,
          { offset: start },
        );
      }
      data = bytes.slice(off, off + n);
      off += n;
    }
    events.push(data ? { type, args, data } : { type, args });
  }
  return { version, events };
}
