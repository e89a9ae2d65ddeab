/**
 * What a step changed: the ordering rule that placed its event, the state
 * transition the event reports, and the differences between the entries the
 * rule touched before it ran (the engine's journal) and after.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import type { Ordering } from "../order/rules.ts";
import { RULE_NAMES } from "../order/rules.ts";
import type { Touched } from "../order/journal.ts";
import { GC_STATE_NAMES } from "../order/state.ts";
import { GO_STATES, goStateOfWire, PROC_STATES, procStateOfWire } from "../events/kinds.ts";
import { Ev, WireProcStatus, wireProcStatusName } from "../wire/spec.ts";

/** One field of one resource that a step changed. */
export interface Change {
  /** "G 7", "P 0", "M 1" or "GC". */
  resource: string;
  /** What changed: state, seq, p, g. */
  field: string;
  /** Value before. */
  from: string | number;
  /** Value after. */
  to: string | number;
}

/** The rule that placed an event and what it changed. */
export interface Placement {
  /** Rule name, e.g. "proc-steal" ("sync" and "cpu-sample" for the reader's own events). */
  rule: string;
  /** The emitted event, first line of its text. */
  event: string;
  /** Changes to the replayed state. */
  changes: Change[];
}

/**
 * Which rule placed `ev` and what it changed in the scheduler state.
 * `order` is the state after the step; when it keeps a journal and `ev` was
 * the first event of the last advance, the changes are read off the entries
 * that advance touched (the second and third events of one advance, e.g. a
 * GoSwitch's, show their own transition only).
 *
 * @example
 * ```ts
 * import { placement } from "./changes.ts";
 * import { Event } from "../events/event.ts";
 * import { Ordering } from "../order/rules.ts";
 * const ev = new Event(null, -1, -1, -1, 255, 1, 1, 0, 0, 0);
 * console.assert(placement(ev, new Ordering(22)).rule === "sync");
 * ```
 */
export function placement(ev: Event, order: Ordering): Placement {
  const event = ev.toString().split("\n")[0];
  if (ev.kind === "Sync") return { rule: "sync", event, changes: [] };
  if (ev.type === Ev.CPUSample) return { rule: "cpu-sample", event, changes: [] };
  const changes: Change[] = [];
  let shown = "";
  if (ev.kind === "StateTransition") {
    const t = ev.stateTransition();
    shown = `${t.resource.kind === "Goroutine" ? "G" : "P"} ${t.resource.id}`;
    if (t.from !== t.to) changes.push({ resource: shown, field: "state", from: t.from, to: t.to });
  }
  const touched = order.journal?.last;
  if (touched && touched.first === ev) diff(touched, order, shown, changes);
  return { rule: RULE_NAMES[ev.type] ?? "unknown", event, changes };
}

/** Appends what changed in the entries `t` noted, leaving out the state of `shown`. */
function diff(t: Touched, o: Ordering, shown: string, out: Change[]): void {
  const seq = (
    res: string,
    a: { seq: number; seqGen: number } | null,
    b: { seq: number; seqGen: number } | undefined,
  ) => {
    if (!b || (a && a.seq === b.seq && a.seqGen === b.seqGen)) return;
    // A counter reset at a new generation has no previous value worth showing.
    out.push({
      resource: res,
      field: "seq",
      from: a && a.seqGen === b.seqGen ? a.seq : "?",
      to: b.seq,
    });
  };
  for (const [id, a] of t.gs) {
    const b = o.gStates.get(id);
    const res = `G ${id}`;
    const from = a ? GO_STATES[goStateOfWire(a.status)] : "NotExist";
    const to = b ? GO_STATES[goStateOfWire(b.status)] : "NotExist";
    if (from !== to && res !== shown) out.push({ resource: res, field: "state", from, to });
    seq(res, a, b);
  }
  const pName = (s: WireProcStatus) =>
    s === WireProcStatus.SyscallAbandoned ? "SyscallAbandoned" : wireProcStatusName(s);
  for (const [id, a] of t.ps) {
    const b = o.pStates.get(id);
    const res = `P ${id}`;
    const from = a ? PROC_STATES[procStateOfWire(a.status)] : "NotExist";
    const to = b ? PROC_STATES[procStateOfWire(b.status)] : "NotExist";
    if (from !== to && res !== shown) out.push({ resource: res, field: "state", from, to });
    seq(res, a, b);
    // The wire status says more than the state: a P in a syscall is still Running.
    if (a && b && a.status !== b.status && from === to) {
      out.push({ resource: res, field: "status", from: pName(a.status), to: pName(b.status) });
    }
  }
  for (const [id, a] of t.ms) {
    const b = o.mStates.get(id);
    const res = `M ${id}`;
    const p0 = a?.p ?? -1, g0 = a?.g ?? -1, p1 = b?.p ?? -1, g1 = b?.g ?? -1;
    if (p0 !== p1) out.push({ resource: res, field: "p", from: p0, to: p1 });
    if (g0 !== g1) out.push({ resource: res, field: "g", from: g0, to: g1 });
  }
  if (t.gcSeq !== o.gcSeq) out.push({ resource: "GC", field: "seq", from: t.gcSeq, to: o.gcSeq });
  if (t.gcState !== o.gcState) {
    out.push({
      resource: "GC",
      field: "state",
      from: GC_STATE_NAMES[t.gcState],
      to: GC_STATE_NAMES[o.gcState],
    });
  }
}

/** A change as text: `G 7 state Runnable→Running`. */
export function formatChange(c: Change): string {
  return `${c.resource} ${c.field} ${c.from}→${c.to}`;
}
