/**
 * The string and stack tables of a converted old trace. The whole trace is
 * one generation, so one {@link GenTables} serves every event. Besides the
 * trace's own strings it holds the log messages (inline in the old format)
 * and the reasons the conversion names (block reasons, stop-the-world
 * kinds), each under a fresh id above the trace's largest.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { GenTables } from "../wire/tables.ts";
import type { LegacyTrace } from "./parse.ts";
import { BLOCK_REASONS, STW_REASONS } from "./spec.ts";

/**
 * The tables plus the ids the conversion looks up.
 *
 * @example
 * ```ts
 * import { GenTables } from "../wire/tables.ts";
 * import type { LegacyTables } from "./tables.ts";
 * const t: LegacyTables = { tables: new GenTables(), inlineIds: [], reasonIds: new Map() };
 * console.assert(t.inlineIds.length === 0);
 * ```
 */
export interface LegacyTables {
  /** Tables for every event. */
  tables: GenTables;
  /** String id of each log message, by the index events use. */
  inlineIds: number[];
  /** String id of a conversion-made string (a reason), by text. */
  reasonIds: Map<string, number>;
}

/**
 * Builds the tables of a parsed old trace.
 *
 * @example
 * ```ts
 * import { legacyTables } from "./tables.ts";
 * const t = legacyTables({
 *   version: 19,
 *   events: [],
 *   strings: new Map([[3, "main.main"]]),
 *   inlineStrings: ["hello"],
 *   stacks: new Map(),
 *   pcs: new Map(),
 * });
 * console.assert(t.tables.string(3) === "main.main");
 * console.assert(t.tables.string(t.inlineIds[0]) === "hello");
 * console.assert(t.tables.string(t.reasonIds.get("chan send")!) === "chan send");
 * ```
 */
export function legacyTables(trace: LegacyTrace): LegacyTables {
  const t = new GenTables();
  let max = 0n;
  for (const [id, s] of trace.strings) {
    t.strings.set(id, s);
    const u = BigInt.asUintN(64, BigInt(id));
    if (u > max) max = u;
  }
  const reasons = [...new Set([...BLOCK_REASONS.values(), ...STW_REASONS])];
  if (max + BigInt(trace.inlineStrings.length + reasons.length) >= 1n << 64n) {
    throw new TraceError("bad-table", "trace contains too many strings");
  }
  let next = Number(max) + 1;
  const inlineIds = trace.inlineStrings.map((s) => {
    t.strings.set(next, s);
    return next++;
  });
  const reasonIds = new Map<string, number>();
  for (const s of reasons) {
    t.strings.set(next, s);
    reasonIds.set(s, next++);
  }
  t.stacks = trace.stacks;
  t.pcs = trace.pcs;
  t.seal();
  return { tables: t, inlineIds, reasonIds };
}
