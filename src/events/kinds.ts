/**
 * The reader-facing vocabulary: event kinds, goroutine and P states, and
 * which kind each wire event type becomes.
 *
 * @module
 */

import { Ev } from "../wire/spec.ts";

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

/** Goroutine states, by number (the order Go's reader uses). */
export const GO_STATES = [
  "Undetermined",
  "NotExist",
  "Runnable",
  "Running",
  "Waiting",
  "Syscall",
] as const;
/** A goroutine state name. */
export type GoState = typeof GO_STATES[number];
/** Goroutine state numbers. */
export const GoSt = {
  Undetermined: 0,
  NotExist: 1,
  Runnable: 2,
  Running: 3,
  Waiting: 4,
  Syscall: 5,
} as const;

/** P states, by number. */
export const PROC_STATES = ["Undetermined", "NotExist", "Running", "Idle"] as const;
/** A P state name. */
export type ProcState = typeof PROC_STATES[number];
/** P state numbers. */
export const ProcSt = { Undetermined: 0, NotExist: 1, Running: 2, Idle: 3 } as const;

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

/** Wire goroutine status → reader state. */
export const GO_STATUS_TO_STATE: readonly number[] = [
  GoSt.Undetermined, // Bad (never valid)
  GoSt.Runnable,
  GoSt.Running,
  GoSt.Syscall,
  GoSt.Waiting,
];

/** Wire P status → reader state (a P in a syscall still counts as Running). */
export const PROC_STATUS_TO_STATE: readonly number[] = [
  ProcSt.Undetermined, // Bad
  ProcSt.Running,
  ProcSt.Idle,
  ProcSt.Running,
  ProcSt.Idle,
];

/** Task id meaning "no task". */
export const NO_TASK: number = -1;
