/**
 * Small hostile inputs for the amplification tests: floods of empty
 * batches and of threads, old-format traces followed by zeros, gzip in
 * several members or with garbage after it. Each is the clean trace with
 * something added, so that reading it can be compared with reading that.
 *
 * @module
 */

import { TraceBuilder } from "../../testing.ts";
import { headerBytes } from "../../src/wire/header.ts";
import { appendUvarint } from "../../src/wire/uvarint.ts";

/**
 * A small valid go1.22 trace: one M runs G1, which blocks.
 *
 * @example
 * ```ts
 * import { cleanTrace } from "./amplification_inputs.ts";
 * import { readEvents } from "../../mod.ts";
 * console.assert(readEvents(cleanTrace()).length === 5);
 * ```
 */
export function cleanTrace(): Uint8Array {
  const t = new TraceBuilder(22);
  t.generation(1).batch(0, 100)
    .event("ProcStatus", { dt: 0, p: 0, pstatus: 1 })
    .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: 2 })
    .event("GoBlock", { reason_string: "x", stack: [] });
  return t.toBytes();
}

/**
 * {@link cleanTrace} with `bytes` (about) of batches of generation 1 first:
 * empty ones, of one thread or each of its own (`distinct`), or each with
 * one event of a thread of its own (`tiny`), which Go's reader must keep.
 *
 * @example
 * ```ts
 * import { cleanTrace, withBatches } from "./amplification_inputs.ts";
 * const b = withBatches(1000, "empty");
 * console.assert(b.length >= cleanTrace().length + 1000);
 * ```
 */
export function withBatches(bytes: number, kind: "empty" | "distinct" | "tiny"): Uint8Array {
  const clean = cleanTrace();
  // Written straight into bytes: a number[] of this would be 8x the size.
  const out = new Uint8Array(16 + bytes + 16 + clean.length);
  out.set(headerBytes(22));
  let o = 16;
  const m: number[] = [];
  for (let i = 1; o < 16 + bytes; i++) {
    out[o++] = 1; // EventBatch
    out[o++] = 1; // generation 1
    m.length = 0;
    appendUvarint(m, kind === "empty" ? 0 : i);
    out.set(m, o);
    o += m.length;
    out[o++] = 100; // time
    if (kind === "tiny") {
      out.set([2, 11, 0], o); // size 2: ProcStop, dt 0
      o += 3;
    } else out[o++] = 0; // size 0
  }
  out.set(clean.subarray(16), o);
  return out.subarray(0, o + clean.length - 16);
}

/**
 * A tiny old-format (go1.21) trace: one batch with the frequency,
 * GOMAXPROCS and a heap size.
 *
 * @example
 * ```ts
 * import { legacyTrace } from "./amplification_inputs.ts";
 * import { readEvents } from "../../mod.ts";
 * console.assert(readEvents(legacyTrace()).length === 3);
 * ```
 */
export function legacyTrace(): Uint8Array {
  const header = new TextEncoder().encode("go 1.21 trace\0\0\0");
  const body = [0x41, 0, 10, 0x02, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0x84, 1, 4, 0, 0x61, 5, 99];
  return new Uint8Array([...header, ...body]);
}

/**
 * Byte arrays one after the other.
 *
 * @example
 * ```ts
 * import { join } from "./amplification_inputs.ts";
 * console.assert(join(new Uint8Array([1]), new Uint8Array([2, 3])).length === 3);
 * ```
 */
export function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * A stream handing out `bytes` in chunks of `size`, counting what was pulled.
 *
 * @example
 * ```ts
 * import { chunkedStream } from "./amplification_inputs.ts";
 * const pulled = { bytes: 0 };
 * const s = chunkedStream(new Uint8Array(10), 3, pulled);
 * let n = 0;
 * for await (const c of s) n += c.length;
 * console.assert(n === 10 && pulled.bytes === 10);
 * ```
 */
export function chunkedStream(
  bytes: Uint8Array,
  size: number,
  pulled: { bytes: number } = { bytes: 0 },
): ReadableStream<Uint8Array> {
  let o = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (o >= bytes.length) return c.close();
      const chunk = bytes.subarray(o, o + size);
      o += chunk.length;
      pulled.bytes += chunk.length;
      c.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}
