/**
 * The reader-facing vocabulary: event kinds, goroutine and P states, and
 * which kind each wire event type becomes.
 *
 * @module
 */

import { Ev, type WireGoStatus, type WireProcStatus } from "../wire/spec.ts";

/** What an event is about, as Go's reader classifies it. */
export type EventKind =
  | "Bad"
  | "Sync"
  | "Metric"
  | "Label"
  | "StackSample"
  | "RangeBegin"
  | "RangeActive"
  | "RangeEnd"
  | "TaskBegin"
  | "TaskEnd"
  | "RegionBegin"
  | "RegionEnd"
  | "Log"
  | "StateTransition"
  | "Experimental";

/** Goroutine state names, indexed by {@link GoStateCode} (the order Go's reader uses). */
export const GO_STATES = [
  "Undetermined",
  "NotExist",
  "Runnable",
  "Running",
  "Waiting",
  "Syscall",
] as const;
/** A goroutine state name, as `Event.stateTransition()` gives it. */
export type GoState = typeof GO_STATES[number];

/**
 * A goroutine state as the reader hands it out (Go's `trace.GoState`): the
 * output side, numbered differently from the wire's `WireGoStatus` (Running
 * is 3 here, 2 on the wire); the brands keep the two apart.
 *
 * @example
 * ```ts
 * import { GO_STATES, GoStateCode } from "./kinds.ts";
 * console.assert(GO_STATES[GoStateCode.Running] === "Running");
 * ```
 */
export type GoStateCode = number & { readonly __brand: "GoStateCode" };
/** Reader goroutine states by name. */
export const GoStateCode: { readonly [K in GoState]: GoStateCode } = (() => {
  const s = (n: number) => n as GoStateCode;
  return {
    Undetermined: s(0),
    NotExist: s(1),
    Runnable: s(2),
    Running: s(3),
    Waiting: s(4),
    Syscall: s(5),
  };
})();

/** P state names, indexed by {@link ProcStateCode}. */
export const PROC_STATES = ["Undetermined", "NotExist", "Running", "Idle"] as const;
/** A P state name, as `Event.stateTransition()` gives it. */
export type ProcState = typeof PROC_STATES[number];

/**
 * A P state as the reader hands it out (Go's `trace.ProcState`), numbered
 * differently from the wire's `WireProcStatus`.
 *
 * @example
 * ```ts
 * import { PROC_STATES, ProcStateCode } from "./kinds.ts";
 * console.assert(PROC_STATES[ProcStateCode.Idle] === "Idle");
 * ```
 */
export type ProcStateCode = number & { readonly __brand: "ProcStateCode" };
/** Reader P states by name. */
export const ProcStateCode: { readonly [K in ProcState]: ProcStateCode } = (() => {
  const s = (n: number) => n as ProcStateCode;
  return { Undetermined: s(0), NotExist: s(1), Running: s(2), Idle: s(3) };
})();

/** Wire type used for the reader's synthetic Sync events (no wire event has it). */
export const EV_SYNC = 255;

/** Event kind by wire type. */
export const KIND_OF_TYPE: readonly EventKind[] = (() => {
  const k: EventKind[] = new Array(256).fill("Bad");
  const set = (kind: EventKind, ...types: number[]) => types.forEach((t) => k[t] = kind);
  set("StackSample", Ev.CPUSample);
  set("Metric", Ev.ProcsChange, Ev.HeapAlloc, Ev.HeapGoal);
  set(
    "StateTransition",
    Ev.ProcStart,
    Ev.ProcStop,
    Ev.ProcSteal,
    Ev.ProcStatus,
    Ev.GoCreate,
    Ev.GoCreateSyscall,
    Ev.GoStart,
    Ev.GoDestroy,
    Ev.GoDestroySyscall,
    Ev.GoStop,
    Ev.GoBlock,
    Ev.GoUnblock,
    Ev.GoSyscallBegin,
    Ev.GoSyscallEnd,
    Ev.GoSyscallEndBlocked,
    Ev.GoStatus,
    Ev.GoSwitch,
    Ev.GoSwitchDestroy,
    Ev.GoCreateBlocked,
    Ev.GoStatusStack,
  );
  set("RangeBegin", Ev.STWBegin, Ev.GCBegin, Ev.GCSweepBegin, Ev.GCMarkAssistBegin);
  set("RangeEnd", Ev.STWEnd, Ev.GCEnd, Ev.GCSweepEnd, Ev.GCMarkAssistEnd);
  set("RangeActive", Ev.GCActive, Ev.GCSweepActive, Ev.GCMarkAssistActive);
  set("Label", Ev.GoLabel);
  set("TaskBegin", Ev.UserTaskBegin);
  set("TaskEnd", Ev.UserTaskEnd);
  set("RegionBegin", Ev.UserRegionBegin);
  set("RegionEnd", Ev.UserRegionEnd);
  set("Log", Ev.UserLog);
  for (let t = Ev.Span; t <= Ev.GoroutineStackFree; t++) k[t] = "Experimental";
  k[EV_SYNC] = "Sync";
  return k;
})();

const GO_STATE_OF_WIRE: readonly GoStateCode[] = [
  GoStateCode.Undetermined, // Bad (never valid)
  GoStateCode.Runnable,
  GoStateCode.Running,
  GoStateCode.Syscall,
  GoStateCode.Waiting,
];

/**
 * The reader's state for a wire goroutine status (Undetermined for an
 * invalid one): the one place the two numberings meet.
 *
 * @example
 * ```ts
 * import { GoStateCode, goStateOfWire } from "./kinds.ts";
 * import { WireGoStatus } from "../wire/spec.ts";
 * console.assert(goStateOfWire(WireGoStatus.Running) === GoStateCode.Running);
 * ```
 */
export function goStateOfWire(status: WireGoStatus): GoStateCode {
  return GO_STATE_OF_WIRE[status] ?? GoStateCode.Undetermined;
}

// A P in a syscall, abandoned or not, still counts as Running or Idle to the reader.
const PROC_STATE_OF_WIRE: readonly ProcStateCode[] = [
  ProcStateCode.Undetermined, // Bad
  ProcStateCode.Running,
  ProcStateCode.Idle,
  ProcStateCode.Running, // Syscall
  ProcStateCode.Idle, // SyscallAbandoned
];

/**
 * The reader's state for a wire P status (a P in a syscall is Running).
 *
 * @example
 * ```ts
 * import { ProcStateCode, procStateOfWire } from "./kinds.ts";
 * import { WireProcStatus } from "../wire/spec.ts";
 * console.assert(procStateOfWire(WireProcStatus.Syscall) === ProcStateCode.Running);
 * ```
 */
export function procStateOfWire(status: WireProcStatus): ProcStateCode {
  return PROC_STATE_OF_WIRE[status] ?? ProcStateCode.Undetermined;
}

/** Task id meaning "no task". */
export const NO_TASK: number = -1;
