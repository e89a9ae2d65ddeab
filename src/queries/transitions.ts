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
    switch (ev.type) {
      case Ev.GoStart:
        return this.#go(ev.a0, GoStateCode.Runnable, GoStateCode.Running);
      case Ev.GoStop:
        return this.#go(ev.goroutine, GoStateCode.Running, GoStateCode.Runnable);
      case Ev.GoBlock:
        return this.#go(ev.goroutine, GoStateCode.Running, GoStateCode.Waiting);
      case Ev.GoUnblock:
      case Ev.GoSwitch:
      case Ev.GoSwitchDestroy:
        return this.#go(ev.a0, GoStateCode.Waiting, GoStateCode.Runnable);
      case Ev.GoSyscallBegin:
        return this.#go(ev.goroutine, GoStateCode.Running, GoStateCode.Syscall);
      case Ev.GoSyscallEnd:
        return this.#go(ev.goroutine, GoStateCode.Syscall, GoStateCode.Running);
      case Ev.GoSyscallEndBlocked:
        return this.#go(ev.goroutine, GoStateCode.Syscall, GoStateCode.Runnable);
      case Ev.GoCreate:
        return this.#go(ev.a0, GoStateCode.NotExist, GoStateCode.Runnable);
      case Ev.GoCreateBlocked:
        return this.#go(ev.a0, GoStateCode.NotExist, GoStateCode.Waiting);
      case Ev.GoCreateSyscall:
        return this.#go(ev.a0, GoStateCode.NotExist, GoStateCode.Syscall);
      case Ev.GoDestroy:
        return this.#go(ev.goroutine, GoStateCode.Running, GoStateCode.NotExist);
      case Ev.GoDestroySyscall:
        return this.#go(ev.goroutine, GoStateCode.Syscall, GoStateCode.NotExist);
      case Ev.ProcStart:
        return this.#proc(ev.a0, ProcStateCode.Running);
      case Ev.ProcStop:
        return this.#proc(ev.proc, ProcStateCode.Idle);
      case Ev.ProcSteal: {
        this.id = ev.a0;
        this.from = ev.a3 === WireProcStatus.SyscallAbandoned
          ? ProcStateCode.Idle
          : ProcStateCode.Running;
        this.to = ProcStateCode.Idle;
        return "proc";
      }
      case Ev.GoStatus:
      case Ev.GoStatusStack:
      case Ev.ProcStatus: {
        // Once per resource per generation: the event's own view is cheap enough.
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
      default:
        return null;
    }
  }

  /** The blocking or stopping reason of the last goroutine transition ("" when none). */
  get reason(): string {
    const ev = this.#ev!;
    if (ev.type === Ev.GoStop || ev.type === Ev.GoBlock) return ev.tables?.string(ev.a0) ?? "";
    return "";
  }

  /**
   * Stack id of the last transition (the goroutine's stack, not the
   * event's: the new goroutine's for a create), 0 when none. Ids are per
   * generation: resolve them with the event's tables.
   */
  get stackId(): number {
    const ev = this.#ev!;
    const t = ev.type;
    if (t === Ev.GoCreate || t === Ev.GoCreateBlocked) return ev.a1; // the new goroutine's
    if (t === Ev.GoStop || t === Ev.GoBlock || t === Ev.GoSyscallBegin) return ev.a1;
    if (t === Ev.GoStatusStack) return ev.a3;
    return 0;
  }

  #go(id: number, from: number, to: number): "goroutine" {
    this.id = id;
    this.from = from;
    this.to = to;
    return "goroutine";
  }

  #proc(id: number, to: number): "proc" {
    this.id = id;
    this.from = to === ProcStateCode.Running ? ProcStateCode.Idle : ProcStateCode.Running;
    this.to = to;
    return "proc";
  }
}
