/**
 * Generation boundaries found from batch headers alone, without parsing any
 * batch: where each generation's bytes begin and end, for readers that order
 * generations apart (in parallel) and need each one's bytes.
 *
 * @module
 */

import { type Batch, batchIs, readBatch } from "./batch.ts";
import { Ev } from "./spec.ts";

/** One generation's place in the trace bytes. */
export interface GenerationSpan {
  /** Generation number. */
  gen: number;
  /** Offset of its first batch. */
  start: number;
  /** Offset just past its last batch (its end-of-generation batch, from Go 1.26). */
  end: number;
  /**
   * How far a splitter must be given bytes to hand this generation out
   * whole: before Go 1.26, past the next generation's first batch (a
   * generation ends only where the next begins); -1 when the input ends
   * cleanly after it (the splitter must then be told the input is finished).
   */
  through: number;
  /** Its batches, as the splitter would group them. */
  batches: Batch[];
}

/** What {@link splitGenerations} found. */
export interface GenerationBounds {
  /** Generations a splitter reads whole and without error from their bytes alone. */
  spans: GenerationSpan[];
  /**
   * Offset of the first byte not covered by `spans` (a generation with an
   * unreadable or missing batch, generations out of order, a cut end), or
   * -1 when the spans reach a clean end of input.
   */
  rest: number;
}

/**
 * Finds the generations of a go1.22+ trace from its batch headers. Stops at
 * the first thing the splitter would not read as a whole generation followed
 * by another (or by a clean end); what follows is `rest`, for a reader that
 * takes it in order.
 *
 * @example
 * ```ts
 * import { splitGenerations } from "./boundaries.ts";
 * import { TraceBuilder } from "./builder.ts";
 * const t = new TraceBuilder(22);
 * for (const gen of [1, 2]) t.generation(gen).batch(0, gen * 10).event("ProcStatus", { p: 0, pstatus: 2 });
 * const { spans, rest } = splitGenerations(t.toBytes(), 22, 16);
 * console.assert(spans.length === 2 && spans[0].gen === 1 && rest === -1);
 * ```
 */
export function splitGenerations(
  bytes: Uint8Array,
  version: number,
  headerLength: number,
): GenerationBounds {
  const spans: GenerationSpan[] = [];
  let cur: GenerationSpan | null = null;
  let off = headerLength;
  for (;;) {
    const r = readBatch(bytes, off, 0, true);
    if (r.kind === "eof") {
      // Before Go 1.26 the input's end closes the last generation; after,
      // a generation still open at the end lacks its marker.
      if (cur !== null && version < 26) {
        spans.push(cur);
        cur = null;
      }
      if (cur === null && spans.length > 0) spans[spans.length - 1].through = -1;
      return { spans, rest: cur === null ? -1 : cur.start };
    }
    if (r.kind !== "batch") return { spans, rest: cur?.start ?? off };
    const b = r.batch;
    if (version >= 26 && batchIs(b, Ev.EndOfGeneration)) {
      if (cur === null) return { spans, rest: off };
      cur.end = cur.through = r.end;
      spans.push(cur);
      cur = null;
    } else if (b.gen === 0) {
      return { spans, rest: cur?.start ?? off };
    } else if (cur === null) {
      if (version < 26 && spans.length > 0) return { spans, rest: off };
      cur = { gen: b.gen, start: off, end: r.end, through: -1, batches: [b] };
    } else if (b.gen === cur.gen) {
      cur.batches.push(b);
      cur.end = r.end;
    } else if (version < 26 && b.gen === cur.gen + 1) {
      cur.through = r.end;
      spans.push(cur);
      cur = { gen: b.gen, start: off, end: r.end, through: -1, batches: [b] };
    } else {
      return { spans, rest: cur.start };
    }
    off = r.end;
  }
}
