/**
 * Which events to show: by kind or wire name, by goroutine, P or M, and by
 * time window. Shared by `trace events`, the REPL and notebooks.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { Ev } from "../wire/spec.ts";

/**
 * A filter; every field given must match.
 *
 * @example
 * ```ts
 * import type { EventFilter } from "./event_filter.ts";
 * const f: EventFilter = { kinds: ["GoSyscallBegin"], goroutine: 7, from: 1_000_000 };
 * console.assert(f.goroutine === 7);
 * ```
 */
export interface EventFilter {
  /** Event kinds ("StateTransition") or wire names ("GoSyscallBegin"), case-insensitive. */
  kinds?: string[];
  /** Events of this goroutine: running on it, or changing its state. */
  goroutine?: number;
  /** Events on this P. */
  proc?: number;
  /** Events on this M (thread). */
  thread?: number;
  /** Window start, inclusive (ns). */
  from?: number;
  /** Window end, inclusive (ns). */
  to?: number;
}

/**
 * The goroutine a state transition is about (the started, unblocked or
 * created one for events that name another goroutine), or -1.
 *
 * @example
 * ```ts
 * import { subjectGoroutine } from "./event_filter.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev } from "../wire/spec.ts";
 * // GoStart of G 7 on M 1, P 0: the event's own G is none.
 * console.assert(subjectGoroutine(new Event(null, 1, 0, -1, Ev.GoStart, 5, 7, 1, 0, 0)) === 7);
 * ```
 */
export function subjectGoroutine(ev: Event): number {
  switch (ev.type) {
    case Ev.GoStart:
    case Ev.GoUnblock:
    case Ev.GoSwitch:
    case Ev.GoSwitchDestroy:
    case Ev.GoCreate:
    case Ev.GoCreateBlocked:
    case Ev.GoCreateSyscall:
    case Ev.GoStatus:
    case Ev.GoStatusStack:
      return ev.a0;
    default:
      return ev.kind === "StateTransition" && ev.type !== Ev.ProcStart &&
          ev.type !== Ev.ProcStop && ev.type !== Ev.ProcSteal && ev.type !== Ev.ProcStatus
        ? ev.goroutine
        : -1;
  }
}

/**
 * A predicate for `filter`: events matching every field of it.
 *
 * @example
 * ```ts
 * import { eventMatcher } from "./event_filter.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev } from "../wire/spec.ts";
 * const m = eventMatcher({ kinds: ["GoStart"], goroutine: 7 });
 * console.assert(m(new Event(null, 1, 0, -1, Ev.GoStart, 5, 7, 1, 0, 0)));
 * console.assert(!m(new Event(null, 1, 0, -1, Ev.GoStart, 5, 8, 1, 0, 0)));
 * ```
 */
export function eventMatcher(filter: EventFilter): (ev: Event) => boolean {
  const kinds = filter.kinds?.length ? new Set(filter.kinds.map((k) => k.toLowerCase())) : null;
  const { goroutine, proc, thread } = filter;
  const from = filter.from ?? -Infinity, to = filter.to ?? Infinity;
  return (ev) =>
    ev.time >= from && ev.time <= to &&
    (kinds === null || kinds.has(ev.kind.toLowerCase()) || kinds.has(ev.typeName.toLowerCase())) &&
    (goroutine === undefined || ev.goroutine === goroutine || subjectGoroutine(ev) === goroutine) &&
    (proc === undefined || ev.proc === proc) &&
    (thread === undefined || ev.thread === thread);
}
