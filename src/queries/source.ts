/**
 * Where the `analyze*` conveniences take their events from: anything the
 * Reader opens (path, URL, bytes, stream), an open Reader, or events
 * already read (an array or any iterable, sync or async).
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { Reader, readTraceBytes, type TraceSource } from "../reader/reader.ts";
import { ParallelReader } from "../reader/parallel.ts";
import { isGzip } from "../reader/input.ts";

/**
 * A trace to analyse: a file path or URL, bytes (gzip or not), a byte
 * stream, a {@link Reader}, or events (array, iterable or async iterable).
 *
 * @example
 * ```ts
 * import type { Source } from "./source.ts";
 * const s: Source = new URL("../../testdata/syscall-simple.trace", import.meta.url);
 * console.assert(s instanceof URL);
 * ```
 */
export type Source = TraceSource | Reader | Iterable<Event> | AsyncIterable<Event>;

/** Options of {@link readAll}. */
export interface ReadAllOptions {
  /**
   * Threads to read on (default 1). With 2 or more, a trace given as a
   * path, URL, bytes or stream is read into memory, and Web Workers order
   * it while this thread runs `fn`: a pipeline, for work on each event
   * that costs about as much as the ordering (building tables, analyses).
   * `fn` is then passed one Event object, filled again for each event: it
   * must keep none of them (as with `Reader.scan`).
   */
  workers?: number;
}

/**
 * Feeds every event of `source` to `fn`, in order. Bytes in memory are read
 * synchronously; files and streams are read a generation at a time.
 *
 * @example
 * ```ts
 * import { readAll } from "./source.ts";
 * const trace = new URL("../../testdata/syscall-simple.trace", import.meta.url);
 * let n = 0;
 * await readAll(trace, () => n++);
 * let m = 0;
 * await readAll(trace, () => m++, { workers: 2 }); // ordered on a worker
 * console.assert(n > 0 && m === n);
 * ```
 */
export async function readAll(
  source: Source,
  fn: (ev: Event) => void,
  options: ReadAllOptions = {},
): Promise<void> {
  if ((options.workers ?? 1) >= 2 && isTraceSource(source) && typeof Worker !== "undefined") {
    // A file or stream goes into shared memory, which the worker reads in place.
    const bytes = await readTraceBytes(source, { shared: true });
    await ParallelReader.fromBytes(bytes, { workers: options.workers! - 1 }).scan(fn);
    return;
  }
  if (source instanceof Uint8Array && !isGzip(source)) {
    const r = Reader.fromBytes(source);
    for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) fn(ev);
    return;
  }
  if (isTraceSource(source)) source = await Reader.open(source);
  if (source instanceof Reader) {
    // One await per chunk of input, not one per event.
    await source.forEach(fn);
    return;
  }
  if (Symbol.iterator in source) {
    for (const ev of source as Iterable<Event>) fn(ev);
    return;
  }
  for await (const ev of source as AsyncIterable<Event>) fn(ev);
}

function isTraceSource(source: Source): source is TraceSource {
  return typeof source === "string" || source instanceof URL || source instanceof Uint8Array ||
    source instanceof ReadableStream;
}

/**
 * Something fed events one by one that then gives a result: every analysis
 * in this folder has this shape, so several can share one pass.
 *
 * @example
 * ```ts
 * import type { Analysis } from "./source.ts";
 * import type { Event } from "../events/event.ts";
 * class Count implements Analysis<number> {
 *   n = 0;
 *   event(_ev: Event) { this.n++; }
 *   result() { return this.n; }
 * }
 * console.assert(new Count().result() === 0);
 * ```
 */
export interface Analysis<T> {
  /** Feeds the next event, in reader order. */
  event(ev: Event): void;
  /** The result over the events fed so far. */
  result(): T;
}

/**
 * Runs several analyses over one pass of `source` and returns their results
 * under the same keys.
 *
 * @example
 * ```ts
 * import { analyzeAll } from "./source.ts";
 * import { GoroutineAnalysis } from "./analysis.ts";
 * const { g } = await analyzeAll(new URL("../../testdata/syscall-simple.trace", import.meta.url), {
 *   g: new GoroutineAnalysis(),
 * });
 * console.assert(g.goroutines.length > 0);
 * ```
 */
export async function analyzeAll<T extends Record<string, Analysis<unknown>>>(
  source: Source,
  analyses: T,
): Promise<{ [K in keyof T]: ReturnType<T[K]["result"]> }> {
  const list = Object.values(analyses);
  if (list.length === 1) {
    const only = list[0];
    await readAll(source, (ev) => only.event(ev));
  } else {
    await readAll(source, (ev) => {
      for (let i = 0; i < list.length; i++) list[i].event(ev);
    });
  }
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(analyses)) out[k] = a.result();
  return out as { [K in keyof T]: ReturnType<T[K]["result"]> };
}
