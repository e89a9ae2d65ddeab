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
  let events = 0;
  let generations = 0;
  for (;;) {
    const r = s.next();
    if (r.kind === "error") throw r.error;
    if (r.kind !== "generation") break;
    generations++;
    const g = r.generation;
    for (const m of g.batchMs) {
      const c = new BatchCursor(m, g.batches.get(m)!, g.tables);
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
