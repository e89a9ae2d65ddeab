/**
 * Decode only: every timed event of every generation, per M in file order,
 * without the ordering engine. For tools that count, filter or index events
 * and do not need the one consistent order.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { BatchCursor, type WireEvent } from "./cursor.ts";
import { GenerationSplitter } from "./generation.ts";
import { headerLength, LEGACY_VERSIONS, readHeader } from "./header.ts";
import { forWorker, WORKER_MIN_BYTES, type WorkerBytes } from "./worker_bytes.ts";

/** What a scan saw. */
export interface WireScan {
  /** Trace version (minor of Go 1.x). */
  version: number;
  /** Generations read. */
  generations: number;
  /** Timed events decoded. */
  events: number;
}

/**
 * Decodes every timed event of an uncompressed go1.22+ trace, calling
 * `visit(m, ev, gen)` for each (the event object is reused: copy what you
 * keep). Events come per generation, per M, in file order; times are in
 * nanoseconds. Throws a TraceError on bad input.
 *
 * @example
 * ```ts
 * import { scanWireEvents } from "./decode.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const perM = new Map<number, number>();
 * const scan = scanWireEvents(bytes, (m) => perM.set(m, (perM.get(m) ?? 0) + 1));
 * console.assert(scan.events === [...perM.values()].reduce((a, b) => a + b, 0));
 * ```
 */
export function scanWireEvents(
  bytes: Uint8Array,
  visit?: (m: number, ev: WireEvent, gen: number) => void,
): WireScan {
  return scanPart(bytes, 0, Infinity, visit);
}

/**
 * {@link scanWireEvents} of the batches whose bodies begin at a byte
 * offset in [`from`, `to`): each batch's times count from its own base
 * time, so any set of them decodes on its own, and two threads can share
 * a trace. Every generation is still split (that is cheap), and an error
 * is thrown wherever it is met.
 *
 * @example
 * ```ts
 * import { scanPart, scanWireEvents } from "./decode.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/demo.trace", import.meta.url));
 * const cut = bytes.length >> 1;
 * const two = scanPart(bytes, 0, cut).events + scanPart(bytes, cut, Infinity).events;
 * console.assert(two === scanWireEvents(bytes).events);
 * ```
 */
export function scanPart(
  bytes: Uint8Array,
  from: number,
  to: number,
  visit?: (m: number, ev: WireEvent, gen: number) => void,
): WireScan {
  const version = readHeader(bytes);
  if (LEGACY_VERSIONS.includes(version)) {
    throw new TraceError(
      "unsupported-version",
      `decode-only needs a go1.22+ trace, not go 1.${version}`,
    );
  }
  const hl = headerLength(version);
  const s = new GenerationSplitter(version, hl);
  s.push(bytes.subarray(hl));
  s.finish();
  const whole = from <= 0 && to === Infinity;
  let events = 0;
  let generations = 0;
  for (;;) {
    const r = s.next();
    if (r.kind === "error") throw r.error;
    if (r.kind !== "generation") break;
    generations++;
    const g = r.generation;
    for (const m of g.batchMs) {
      let batches = g.batches.get(m)!;
      if (!whole) batches = batches.filter((b) => b.dataOffset >= from && b.dataOffset < to);
      const c = new BatchCursor(m, batches, g.tables);
      if (visit) {
        while (c.next()) {
          events++;
          visit(m, c, g.gen);
        }
      } else while (c.next()) events++;
    }
    if (r.error) throw r.error;
  }
  return { version, generations, events };
}

/**
 * {@link scanWireEvents} on two threads: this one decodes the first half of
 * the trace's batches while a Web Worker decodes the second, and the counts
 * are added. The worker starts at once, so it can boot while `bytes` (or
 * the promise of them) is still being read; bytes in a SharedArrayBuffer
 * are read by it in place, others are copied to it. A trace under
 * `minBytes` (default 8 MB) is decoded here alone, and so is a bad one
 * once either half fails: the error is the one-thread scan's.
 *
 * @example
 * ```ts
 * import { scanWireEvents, scanWireEventsParallel } from "./decode.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/demo.trace", import.meta.url));
 * const two = await scanWireEventsParallel(bytes, { minBytes: 0 });
 * console.assert(two.events === scanWireEvents(bytes).events && two.generations > 1);
 * ```
 */
export async function scanWireEventsParallel(
  bytes: Uint8Array | Promise<Uint8Array>,
  options: { minBytes?: number } = {},
): Promise<WireScan> {
  const worker = new Worker(new URL("./decode_worker.ts", import.meta.url), { type: "module" });
  try {
    const b = await bytes;
    if (b.length < (options.minBytes ?? WORKER_MIN_BYTES)) return scanWireEvents(b);
    const cut = b.length >> 1;
    const { part, transfer } = forWorker(b);
    const job: DecodeJob = { ...part, from: cut };
    const theirs = new Promise<number>((resolve) => {
      worker.onmessage = (e: MessageEvent<number>) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        resolve(-1);
      };
    });
    worker.postMessage(job, transfer);
    let mine: WireScan;
    try {
      mine = scanPart(b, 0, cut);
    } catch {
      return scanWireEvents(b); // its error, as one thread meets it
    }
    const n = await theirs;
    if (n < 0) return scanWireEvents(b);
    return { ...mine, events: mine.events + n };
  } finally {
    worker.terminate();
  }
}

/**
 * What {@link scanWireEventsParallel} asks its worker: count the events of
 * the batches from byte `from` on, of the trace at `begin` in `bytes`. The
 * worker answers with the count, or -1 if that part fails.
 *
 * @example
 * ```ts
 * import type { DecodeJob } from "./decode.ts";
 * const job: DecodeJob = { bytes: new ArrayBuffer(0), begin: 0, length: 0, from: 0 };
 * console.assert(job.from === 0);
 * ```
 */
export interface DecodeJob extends WorkerBytes {
  // WorkerBytes: the whole trace, shared or a copy of it.
  /** Byte offset in the trace from which the worker's batches begin. */
  from: number;
}
