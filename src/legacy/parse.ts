/**
 * The whole old-format parse: find batches, merge them in order, convert
 * ticks to nanoseconds, move timer and syscall-exit events to their fake Ps,
 * then check the stream's consistency.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import type { FrameRecord } from "../wire/tables.ts";
import { BatchSet, type LegacyEvent } from "./batches.ts";
import { checkLegacy } from "./check.ts";
import { mergeBatches } from "./order.ts";
import { FakeP, LegacyEv } from "./spec.ts";

/**
 * Choices for reading an old-format trace.
 *
 * @example
 * ```ts
 * import type { LegacyOptions } from "./parse.ts";
 * const opts: LegacyOptions = { pOrder: [3, 0, 1, 2] };
 * console.assert(opts.pOrder!.length === 4);
 * ```
 */
export interface LegacyOptions {
  /**
   * The order Ps are visited in when merging, which decides ties between
   * events at the same tick (see `mergeBatches`); default ascending id.
   */
  pOrder?: readonly number[];
  /**
   * The order in which goroutines that existed when tracing began, and were
   * only runnable, get their GoStatus events (times forced apart by 1 ns in
   * that order). Go takes them from a map, in random order; by default they
   * come in creation order, and the ones listed here come first.
   */
  runnableOrder?: readonly number[];
}

/**
 * A parsed old-format trace: its events in order (times in ns from the first) and tables.
 *
 * @example
 * ```ts
 * import type { LegacyTrace } from "./parse.ts";
 * const empty: LegacyTrace = {
 *   version: 21,
 *   events: [],
 *   strings: new Map(),
 *   inlineStrings: [],
 *   stacks: new Map(),
 *   pcs: new Map(),
 * };
 * console.assert(empty.events.length === 0);
 * ```
 */
export interface LegacyTrace {
  /** Trace version (Go 1.N). */
  version: number;
  /** Events in order. */
  events: LegacyEvent[];
  /** String table by id. */
  strings: Map<number, string>;
  /** Log messages, by the index events refer to them with. */
  inlineStrings: string[];
  /** Stacks by id (PCs, innermost first). */
  stacks: Map<number, number[]>;
  /** Frames by PC. */
  pcs: Map<number, FrameRecord>;
}

/**
 * Parses an old-format trace body. Throws a TraceError (with the byte
 * offset in the file) on a bad trace.
 *
 * @param body the bytes after the header
 * @param version the header's version (11, 19 or 21)
 * @param headerLen length of the header, for error offsets
 * @param options see {@link LegacyOptions}
 *
 * @example
 * ```ts
 * import { parseLegacy } from "./parse.ts";
 * // One batch for P 0: frequency 1 GHz, then GOMAXPROCS=4 one tick later.
 * const body = new Uint8Array([0x41, 0, 10, 0x02, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0x84, 1, 4, 0]);
 * const t = parseLegacy(body, 19, 16);
 * console.assert(t.events.length === 1 && t.events[0].ts === 0 && t.events[0].a0 === 4);
 * ```
 */
export function parseLegacy(
  body: Uint8Array,
  version: number,
  headerLen: number,
  options: LegacyOptions = {},
): LegacyTrace {
  const set = new BatchSet(body, version, headerLen);
  const events = mergeBatches(set, options.pOrder);
  if (set.ticksPerSec === 0) {
    throw new TraceError("bad-table", "no EvFrequency event", {
      offset: headerLen + body.length,
    });
  }
  if (events.length > 0) {
    const min = events[0].ts;
    const nsPerTick = 1e9 / set.ticksPerSec;
    for (const ev of events) {
      ev.ts = Math.trunc((ev.ts - min) * nsPerTick);
      if (ev.type === LegacyEv.GoUnblock && set.timerGoroutines.has(ev.g)) ev.p = FakeP.Timer;
      if (ev.type === LegacyEv.GoSysExit) ev.p = FakeP.Syscall;
    }
  }
  checkLegacy(events, set.stacks);
  return {
    version,
    events,
    strings: set.raw.strings,
    inlineStrings: set.inlineStrings,
    stacks: set.stacks,
    pcs: set.pcs,
  };
}
