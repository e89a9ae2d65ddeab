/**
 * Measures what reading an input costs: the heap the Reader still holds at
 * the end (after a full garbage collection) and the time. Runs in its own
 * process, started with `--v8-flags=--expose-gc`; reads a JSON array of
 * base64 inputs from stdin and prints one JSON line per input.
 *
 * @module
 */

import { Reader } from "../../mod.ts";

/**
 * The cost of one input.
 *
 * @example
 * ```ts
 * import type { Footprint } from "./footprint.ts";
 * const f: Footprint = { retainedBytes: 1024, ms: 0.5, events: 3, error: "" };
 * console.assert(f.retainedBytes < 4 << 20);
 * ```
 */
export interface Footprint {
  /** Heap still held by the reader once the input is read (bytes). */
  retainedBytes: number;
  /** Time to read it (ms). */
  ms: number;
  /** Events read. */
  events: number;
  /** The error it ended with ("" if none). */
  error: string;
}

function measure(bytes: Uint8Array, gc: () => void): Footprint {
  gc();
  gc();
  const before = Deno.memoryUsage().heapUsed;
  const t0 = performance.now();
  let reader: Reader | null = null;
  let events = 0;
  let error = "";
  try {
    reader = Reader.fromBytes(bytes);
    for (let ev = reader.readEvent(); ev; ev = reader.readEvent()) events++;
  } catch (e) {
    error = String(e);
  }
  const ms = performance.now() - t0;
  gc();
  gc();
  const retainedBytes = Deno.memoryUsage().heapUsed - before;
  // Keep the reader (and all it holds) alive until measured.
  if (reader && reader.version < 0) console.log("unreachable");
  return { retainedBytes, ms, events, error };
}

if (import.meta.main) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --v8-flags=--expose-gc");
  const inputs = JSON.parse(await new Response(Deno.stdin.readable).text()) as string[];
  // Warm up, so that code and caches are not counted against the first input.
  measure(Uint8Array.from(atob(inputs[0]), (c) => c.charCodeAt(0)), gc);
  for (const b64 of inputs) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    console.log(JSON.stringify(measure(bytes, gc)));
  }
}
