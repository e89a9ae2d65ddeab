/**
 * What a step changed, read off the event it emitted: the ordering rule that
 * placed it, the state transition, sequence numbers and thread bindings.
 * Derived on demand from the event, so stepping pays nothing for it.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import type { Ordering } from "../order/rules.ts";
import { RULE_NAMES } from "../order/rules.ts";
import { Ev } from "../wire/spec.ts";

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
 * `order` is the state after the step.
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
  if (ev.kind === "StateTransition") {
    const t = ev.stateTransition();
    const res = `${t.resource.kind === "Goroutine" ? "G" : "P"} ${t.resource.id}`;
    if (t.from !== t.to) changes.push({ resource: res, field: "state", from: t.from, to: t.to });
  }
  // Sequence numbers the event carries.
  switch (ev.type) {
    case Ev.GoStart:
    case Ev.GoUnblock:
    case Ev.GoSwitch:
    case Ev.GoSwitchDestroy:
      changes.push({ resource: `G ${ev.a0}`, field: "seq", from: ev.a1 - 1, to: ev.a1 });
      break;
    case Ev.ProcStart:
    case Ev.ProcSteal:
      if (ev.a1 > 0) {
        changes.push({ resource: `P ${ev.a0}`, field: "seq", from: ev.a1 - 1, to: ev.a1 });
      }
      break;
    case Ev.GoSyscallBegin:
      changes.push({ resource: `P ${ev.proc}`, field: "seq", from: ev.a0 - 1, to: ev.a0 });
      changes.push({ resource: `P ${ev.proc}`, field: "status", from: "Running", to: "Syscall" });
      break;
    case Ev.GoStatus:
    case Ev.GoStatusStack:
      changes.push({ resource: `G ${ev.a0}`, field: "seq", from: "?", to: 0 });
      break;
    case Ev.ProcStatus:
      changes.push({ resource: `P ${ev.a0}`, field: "seq", from: "?", to: 0 });
      break;
    case Ev.GCBegin:
    case Ev.GCEnd:
    case Ev.GCActive:
      changes.push({ resource: "GC", field: "seq", from: ev.a0 - 1, to: ev.a0 });
      break;
  }
  // Thread bindings: the event's context is the M's state before; the M now holds the rest.
  if (ev.thread !== -1) {
    const ms = order.mStates.get(ev.thread);
    if (ms) {
      if (ms.p !== ev.proc) {
        changes.push({ resource: `M ${ev.thread}`, field: "p", from: ev.proc, to: ms.p });
      }
      if (ms.g !== ev.goroutine) {
        changes.push({ resource: `M ${ev.thread}`, field: "g", from: ev.goroutine, to: ms.g });
      }
    }
  }
  if (ev.type === Ev.ProcSteal && ev.a2 !== ev.thread) {
    changes.push({ resource: `M ${ev.a2}`, field: "p", from: ev.a0, to: -1 });
  }
  return { rule: RULE_NAMES[ev.type] ?? "unknown", event, changes };
}

/** A change as text: `G 7 state Runnable→Running`. */
export function formatChange(c: Change): string {
  return `${c.resource} ${c.field} ${c.from}→${c.to}`;
}
