/**
 * State transitions decoded straight from an event's numbers. The analyses
 * see every event of traces with millions of them; `Event.stateTransition()`
 * builds objects and resolves strings, so the hot paths read the wire
 * arguments here instead (and fall back to it for the rare status events).
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { GO_STATES, type GoState, GoStateCode, ProcStateCode } from "../events/kinds.ts";
import { Ev, WireProcStatus } from "../wire/spec.ts";

/**
 * Whether a goroutine state number is Running or Syscall (it occupies a thread).
 *
 * @example
 * ```ts
 * import { executing } from "./transitions.ts";
 * import { GoStateCode } from "../events/kinds.ts";
 * console.assert(executing(GoStateCode.Syscall) && !executing(GoStateCode.Runnable));
 * ```
 */
export function executing(state: number): boolean {
  return state === GoStateCode.Running || state === GoStateCode.Syscall;
}

/**
 * A goroutine state name from its number.
 *
 * @example
 * ```ts
 * import { goStateName } from "./transitions.ts";
 * console.assert(goStateName(4) === "Waiting");
 * ```
 */
export function goStateName(state: number): GoState {
  return GO_STATES[state] ?? "Undetermined";
}

/** What a wire event type is as a state transition, in {@link TRANSITION_OF_TYPE}. */
export const TransitionRes = {
  /** Not a state transition. */
  None: 0,
  /** A goroutine's, read from the table alone. */
  Goroutine: 1,
  /** A P's, read from the table alone. */
  Proc: 2,
  /** A status event or a steal: its states come from its arguments. */
  Read: 3,
} as const;

/** Where a transition's goroutine or P id is, in {@link TRANSITION_OF_TYPE}. */
export const TransitionId = {
  /** The event's first argument. */
  A0: 0,
  /** The event's goroutine. */
  G: 1,
  /** The event's P. */
  P: 2,
} as const;

/**
 * The state transitions, one row per wire event type (typed arrays indexed
 * by type): which resource changes (`res`, a {@link TransitionRes}), where
 * its id is (`id`, a {@link TransitionId}), its states before and after
 * (`from`, `to`: `GoStateCode` or `ProcStateCode`) and the argument slot of
 * the goroutine's stack (`stack`, -1 for none). The one description of them:
 * {@link Transition} reads it, and the table builder reads it inline.
 *
 * @example
 * ```ts
 * import { TRANSITION_OF_TYPE, TransitionId, TransitionRes } from "./transitions.ts";
 * import { GoStateCode } from "../events/kinds.ts";
 * import { Ev } from "../wire/spec.ts";
 * const T = TRANSITION_OF_TYPE;
 * console.assert(T.res[Ev.GoBlock] === TransitionRes.Goroutine && T.id[Ev.GoBlock] === TransitionId.G);
 * console.assert(T.to[Ev.GoBlock] === GoStateCode.Waiting && T.stack[Ev.GoBlock] === 1);
 * ```
 */
export const TRANSITION_OF_TYPE: {
  readonly res: Int8Array;
  readonly id: Int8Array;
  readonly from: Int8Array;
  readonly to: Int8Array;
  readonly stack: Int8Array;
} = (() => {
  const t = {
    res: new Int8Array(256),
    id: new Int8Array(256),
    from: new Int8Array(256),
    to: new Int8Array(256),
    stack: new Int8Array(256).fill(-1),
  };
  const G = GoStateCode, P = ProcStateCode, A0 = TransitionId.A0, OnG = TransitionId.G;
  const go = (type: number, id: number, from: number, to: number, stack = -1) => {
    t.res[type] = TransitionRes.Goroutine;
    t.id[type] = id;
    t.from[type] = from;
    t.to[type] = to;
    t.stack[type] = stack;
  };
  go(Ev.GoStart, A0, G.Runnable, G.Running);
  go(Ev.GoStop, OnG, G.Running, G.Runnable, 1);
  go(Ev.GoBlock, OnG, G.Running, G.Waiting, 1);
  for (const type of [Ev.GoUnblock, Ev.GoSwitch, Ev.GoSwitchDestroy]) {
    go(type, A0, G.Waiting, G.Runnable);
  }
  go(Ev.GoSyscallBegin, OnG, G.Running, G.Syscall, 1);
  go(Ev.GoSyscallEnd, OnG, G.Syscall, G.Running);
  go(Ev.GoSyscallEndBlocked, OnG, G.Syscall, G.Runnable);
  // A create's stack is the new goroutine's.
  go(Ev.GoCreate, A0, G.NotExist, G.Runnable, 1);
  go(Ev.GoCreateBlocked, A0, G.NotExist, G.Waiting, 1);
  go(Ev.GoCreateSyscall, A0, G.NotExist, G.Syscall);
  go(Ev.GoDestroy, OnG, G.Running, G.NotExist);
  go(Ev.GoDestroySyscall, OnG, G.Syscall, G.NotExist);
  const proc = (type: number, id: number, from: number, to: number) => {
    t.res[type] = TransitionRes.Proc;
    t.id[type] = id;
    t.from[type] = from;
    t.to[type] = to;
  };
  proc(Ev.ProcStart, A0, P.Idle, P.Running);
  proc(Ev.ProcStop, TransitionId.P, P.Running, P.Idle);
  for (const type of [Ev.ProcSteal, Ev.GoStatus, Ev.GoStatusStack, Ev.ProcStatus]) {
    t.res[type] = TransitionRes.Read;
  }
  t.stack[Ev.GoStatusStack] = 3;
  return t;
})();

/**
 * The goroutine or P a simple transition (a {@link TransitionRes} of
 * Goroutine or Proc) is about, where {@link TRANSITION_OF_TYPE} says it is.
 *
 * @example
 * ```ts
 * import { transitionId } from "./transitions.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev } from "../wire/spec.ts";
 * // GoBlock on M 1, P 0, by goroutine 9; GoUnblock of goroutine 7.
 * console.assert(transitionId(new Event(null, 1, 0, 9, Ev.GoBlock, 100, 0, 0, 0, 0)) === 9);
 * console.assert(transitionId(new Event(null, 1, 0, 9, Ev.GoUnblock, 100, 7, 2, 0, 0)) === 7);
 * ```
 */
export function transitionId(ev: Event): number {
  const where = TRANSITION_OF_TYPE.id[ev.type];
  return where === TransitionId.A0 ? ev.a0 : where === TransitionId.G ? ev.goroutine : ev.proc;
}

/**
 * A reusable view of one goroutine or P state transition: `decode(ev)`
 * fills the fields and says what the event was. Allocates nothing for the
 * common events.
 *
 * @example
 * ```ts
 * import { Transition } from "./transitions.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev } from "../wire/spec.ts";
 * const t = new Transition();
 * // GoStart of goroutine 7 on P 0, M 1.
 * const ev = new Event(null, 1, 0, -1, Ev.GoStart, 100, 7, 1, 0, 0);
 * console.assert(t.decode(ev) === "goroutine" && t.id === 7);
 * console.assert(t.from === 2 && t.to === 3); // Runnable -> Running
 * ```
 */
export class Transition {
  /** Goroutine or P id. */
  id: number = -1;
  /** State before (a `GoStateCode` or `ProcStateCode`). */
  from: number = 0;
  /** State after. */
  to: number = 0;
  #ev: Event | null = null;

  /**
   * Decodes `ev`: "goroutine" or "proc" for a state transition of that
   * resource, null for any other event.
   */
  decode(ev: Event): "goroutine" | "proc" | null {
    this.#ev = ev;
    const type = ev.type, T = TRANSITION_OF_TYPE, res = T.res[type];
    if (res === TransitionRes.None) return null;
    if (res !== TransitionRes.Read) {
      this.id = transitionId(ev);
      this.from = T.from[type];
      this.to = T.to[type];
      return res === TransitionRes.Goroutine ? "goroutine" : "proc";
    }
    if (type === Ev.ProcSteal) {
      this.id = ev.a0;
      this.from = ev.a3 === WireProcStatus.SyscallAbandoned
        ? ProcStateCode.Idle
        : ProcStateCode.Running;
      this.to = ProcStateCode.Idle;
      return "proc";
    }
    // Status events, once per resource per generation: the event's own view is cheap enough.
    const st = ev.stateTransition();
    this.id = st.resource.id;
    if (st.resource.kind === "Goroutine") {
      this.from = GoStateCode[st.from as GoState];
      this.to = GoStateCode[st.to as GoState];
      return "goroutine";
    }
    this.from = ProcStateCode[st.from as keyof typeof ProcStateCode];
    this.to = ProcStateCode[st.to as keyof typeof ProcStateCode];
    return "proc";
  }

  /** The blocking or stopping reason of the last goroutine transition ("" when none). */
  get reason(): string {
    const id = this.reasonId;
    return id < 0 ? "" : this.#ev!.tables?.string(id) ?? "";
  }

  /** The string id of {@link reason} in the event's tables, -1 when there is none. */
  get reasonId(): number {
    const ev = this.#ev!;
    return ev.type === Ev.GoStop || ev.type === Ev.GoBlock ? ev.a0 : -1;
  }

  /**
   * Stack id of the last transition (the goroutine's stack, not the
   * event's: the new goroutine's for a create), 0 when none. Ids are per
   * generation: resolve them with the event's tables.
   */
  get stackId(): number {
    const ev = this.#ev!;
    const slot = TRANSITION_OF_TYPE.stack[ev.type];
    return slot < 0 ? 0 : slot === 1 ? ev.a1 : ev.a3;
  }
}
