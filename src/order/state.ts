/**
 * The scheduler state the ordering engine replays: per goroutine, P and M,
 * with the sequence numbers that give a partial order across threads.
 *
 * @module
 */

import { SPECS, type WireGoStatus, type WireProcStatus } from "../wire/spec.ts";
import { TraceError } from "../trace_error.ts";

/**
 * A special range in flight on a resource: the type of its begin event and
 * an optional string id that describes it (the STW kind).
 */
export interface RangeType {
  /** Wire type of the begin event. */
  typ: number;
  /** String id of the description (0 if none). */
  desc: number;
}

/** The engine's entry for one goroutine. */
export interface GoEntry {
  /** Goroutine id. */
  id: number;
  /** Its status, in the wire's numbering (the engine replays the wire). */
  status: WireGoStatus;
  /** Generation of the sequence counter. */
  seqGen: number;
  /** Sequence number within that generation. */
  seq: number;
  /** User regions open on it, innermost last (names resolved, since ids change per generation). */
  regions: { task: number; name: string }[];
  /** Ranges in flight (mark assist, STW). */
  ranges: RangeType[];
}

/** The engine's entry for one P. */
export interface ProcEntry {
  /** P id. */
  id: number;
  /** Its status, in the wire's numbering. */
  status: WireProcStatus;
  /** Generation of the sequence counter. */
  seqGen: number;
  /** Sequence number within that generation. */
  seq: number;
  /** Ranges in flight (sweep). */
  ranges: RangeType[];
}

/** The engine's entry for one thread (M): what it holds. */
export interface ThreadEntry {
  /** Goroutine running on it, -1 if none. */
  g: number;
  /** P it holds, -1 if none. */
  p: number;
}

/**
 * A new goroutine entry. Its changing fields are written a second time on
 * purpose: V8 treats a field stored only at creation as constant, and code
 * optimized on that belief is thrown away the first time a later generation
 * resets the counter (a goroutine's status event), in the middle of the
 * first read; written twice here, the fields are known to change from the start.
 *
 * @example
 * ```ts
 * import { newGoEntry } from "./state.ts";
 * import { WireGoStatus } from "../wire/spec.ts";
 * const g = newGoEntry(7, WireGoStatus.Running, 1);
 * console.assert(g.id === 7 && g.status === WireGoStatus.Running && g.seqGen === 1 && g.seq === 0);
 * ```
 */
export function newGoEntry(id: number, status: WireGoStatus, gen: number): GoEntry {
  const g: GoEntry = { id, status, seqGen: gen, seq: 0, regions: [], ranges: [] };
  g.status = status;
  g.seqGen = gen;
  g.seq = 0;
  return g;
}

/**
 * A new P entry, its changing fields marked as changing (see {@link newGoEntry}).
 *
 * @example
 * ```ts
 * import { newProcEntry } from "./state.ts";
 * import { WireProcStatus } from "../wire/spec.ts";
 * const p = newProcEntry(0, WireProcStatus.Idle, 3);
 * console.assert(p.id === 0 && p.status === WireProcStatus.Idle && p.seqGen === 3);
 * ```
 */
export function newProcEntry(id: number, status: WireProcStatus, gen: number): ProcEntry {
  const p: ProcEntry = { id, status, seqGen: gen, seq: 0, ranges: [] };
  p.status = status;
  p.seqGen = gen;
  p.seq = 0;
  return p;
}

/**
 * Where the engine stands on garbage collection, between the GC events'
 * global sequence numbers.
 *
 * @example
 * ```ts
 * import { GC_STATE_NAMES, GcState } from "./state.ts";
 * console.assert(GC_STATE_NAMES[GcState.Running] === "Running");
 * ```
 */
export const GcState = {
  /** No GC event seen yet: the first one sets the sequence. */
  Undetermined: 0,
  NotRunning: 1,
  Running: 2,
} as const;
/** A {@link GcState} value. */
export type GcState = typeof GcState[keyof typeof GcState];
/** Names of the {@link GcState} values, by value. */
export const GC_STATE_NAMES: readonly string[] = ["Undetermined", "NotRunning", "Running"];

/** Begin-event type of a range, given its begin, active or end event type. */
export function rangeBeginType(typ: number): number {
  return SPECS[typ].startEv || typ;
}

function fail(msg: string): TraceError {
  return new TraceError("ordering", msg);
}

function fmtRanges(list: RangeType[]): string {
  return `[${list.map((r) => `{${r.typ} ${r.desc}}`).join(" ")}]`;
}

/** Starts a range on a resource; it must not be in flight already. */
export function beginRange(list: RangeType[], r: RangeType): void {
  if (list.some((x) => x.typ === r.typ && x.desc === r.desc)) {
    throw fail(`discovered event already in-flight for when starting event ${SPECS[r.typ].name}`);
  }
  list.push(r);
}

/** Marks a range active: in the first generation it starts it, later it must exist. */
export function activeRange(list: RangeType[], r: RangeType, initialGen: boolean): void {
  const has = list.some((x) => x.typ === r.typ && x.desc === r.desc);
  if (initialGen) {
    if (has) throw fail(`found named active range already in first gen: {${r.typ} ${r.desc}}`);
    list.push(r);
  } else if (!has) {
    throw fail(`resource is missing active range: ${SPECS[r.typ].name} ${fmtRanges(list)}`);
  }
}

/** Ends the range whose begin matches `endType`'s; returns its description string id. */
export function endRange(list: RangeType[], endType: number): number {
  const st = SPECS[endType].startEv;
  const idx = list.findIndex((x) => x.typ === st);
  if (idx < 0) throw fail(`tried to end event ${SPECS[st].name}, but not in-flight`);
  const desc = list[idx].desc;
  // Swap-remove, as the order of ranges in flight carries no meaning.
  list[idx] = list[list.length - 1];
  list.pop();
  return desc;
}
