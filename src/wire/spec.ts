/**
 * The wire format's event table: one row per event type, in the order the
 * type bytes are numbered. Everything that decodes, writes or orders events
 * looks up its facts here instead of encoding them in code.
 *
 * @module
 */

/** One row of the event table. */
export interface EventSpec {
  /** Name used in the textual format and in messages. */
  readonly name: string;
  /**
   * Argument names in wire order. A `_string`, `_stack`, `_value` suffix
   * tells what the argument is; timed events start with `dt`.
   */
  readonly args: readonly string[];
  /** Indices into `args` of string-table references. */
  readonly strings: readonly number[];
  /** Indices into `args` of stack-table references; the first is the event's own stack. */
  readonly stacks: readonly number[];
  /** For an "end" event, the type of the matching "begin" (0 when none). */
  readonly startEv: number;
  /** Appears in per-M batches with a timestamp delta, and is surfaced to readers. */
  readonly timed: boolean;
  /** Followed by a uvarint length and that many raw bytes. */
  readonly hasData: boolean;
  /** Followed by `nframes` groups of four uvarints (pc, func, file, line). */
  readonly isStack: boolean;
  /** Experiment id (0 = none). */
  readonly experiment: number;
}

/** Event type numbers, as written in the first byte of every event. */
export const Ev = {
  None: 0,
  EventBatch: 1,
  Stacks: 2,
  Stack: 3,
  Strings: 4,
  String: 5,
  CPUSamples: 6,
  CPUSample: 7,
  Frequency: 8,
  ProcsChange: 9,
  ProcStart: 10,
  ProcStop: 11,
  ProcSteal: 12,
  ProcStatus: 13,
  GoCreate: 14,
  GoCreateSyscall: 15,
  GoStart: 16,
  GoDestroy: 17,
  GoDestroySyscall: 18,
  GoStop: 19,
  GoBlock: 20,
  GoUnblock: 21,
  GoSyscallBegin: 22,
  GoSyscallEnd: 23,
  GoSyscallEndBlocked: 24,
  GoStatus: 25,
  STWBegin: 26,
  STWEnd: 27,
  GCActive: 28,
  GCBegin: 29,
  GCEnd: 30,
  GCSweepActive: 31,
  GCSweepBegin: 32,
  GCSweepEnd: 33,
  GCMarkAssistActive: 34,
  GCMarkAssistBegin: 35,
  GCMarkAssistEnd: 36,
  HeapAlloc: 37,
  HeapGoal: 38,
  GoLabel: 39,
  UserTaskBegin: 40,
  UserTaskEnd: 41,
  UserRegionBegin: 42,
  UserRegionEnd: 43,
  UserLog: 44,
  // Go 1.23.
  GoSwitch: 45,
  GoSwitchDestroy: 46,
  GoCreateBlocked: 47,
  GoStatusStack: 48,
  ExperimentalBatch: 49,
  // Go 1.25.
  Sync: 50,
  ClockSnapshot: 51,
  // Go 1.26.
  EndOfGeneration: 52,
  // Experimental events (AllocFree experiment, Go 1.23).
  Span: 128,
  SpanAlloc: 129,
  SpanFree: 130,
  HeapObject: 131,
  HeapObjectAlloc: 132,
  HeapObjectFree: 133,
  GoroutineStack: 134,
  GoroutineStackAlloc: 135,
  GoroutineStackFree: 136,
} as const;

/**
 * A set of event types as one byte per type (1 = in the set): a lookup per
 * event where a switch or a Set would cost more.
 *
 * @example
 * ```ts
 * import { Ev, typeSet } from "./spec.ts";
 * const s = typeSet([Ev.GoStart, Ev.GoStop]);
 * console.assert(s[Ev.GoStart] === 1 && s[Ev.GoBlock] === 0 && s.length === 256);
 * ```
 */
export function typeSet(types: readonly number[]): Uint8Array {
  const set = new Uint8Array(256);
  for (const t of types) set[t] = 1;
  return set;
}

/** Experiment names by id; id 0 means "no experiment". */
export const EXPERIMENTS: readonly string[] = ["None", "AllocFree"];

/** Largest batch the runtime writes; larger sizes mean corruption. */
export const MAX_BATCH_SIZE = 64 << 10;
/** Most frames a stack may have. */
export const MAX_FRAMES_PER_STACK = 128;
/** Largest string (event trailer) the runtime writes. */
export const MAX_STRING_SIZE = 1 << 10;

type Row = [
  name: string,
  args: string[],
  opts?: Partial<Omit<EventSpec, "name" | "args">>,
];

// The table itself: by type, [name, args, options]. Argument lists follow
// the runtime's encoder; `timed` rows start with the timestamp delta.
const ROWS: Record<number, Row> = {
  [Ev.EventBatch]: ["EventBatch", ["gen", "m", "time", "size"]],
  [Ev.Stacks]: ["Stacks", []],
  [Ev.Stack]: ["Stack", ["id", "nframes"], { isStack: true }],
  [Ev.Strings]: ["Strings", []],
  [Ev.String]: ["String", ["id"], { hasData: true }],
  [Ev.CPUSamples]: ["CPUSamples", []],
  [Ev.CPUSample]: ["CPUSample", ["time", "m", "p", "g", "stack"], { stacks: [4] }],
  [Ev.Frequency]: ["Frequency", ["freq"]],
  [Ev.ExperimentalBatch]: ["ExperimentalBatch", ["exp", "gen", "m", "time"], { hasData: true }],
  [Ev.Sync]: ["Sync", []],
  [Ev.EndOfGeneration]: ["EndOfGeneration", []],

  [Ev.ProcsChange]: ["ProcsChange", ["dt", "procs_value", "stack"], { stacks: [2] }],
  [Ev.ProcStart]: ["ProcStart", ["dt", "p", "p_seq"]],
  [Ev.ProcStop]: ["ProcStop", ["dt"]],
  [Ev.ProcSteal]: ["ProcSteal", ["dt", "p", "p_seq", "m"]],
  [Ev.ProcStatus]: ["ProcStatus", ["dt", "p", "pstatus"]],
  [Ev.GoCreate]: ["GoCreate", ["dt", "new_g", "new_stack", "stack"], { stacks: [3, 2] }],
  [Ev.GoCreateSyscall]: ["GoCreateSyscall", ["dt", "new_g"]],
  [Ev.GoStart]: ["GoStart", ["dt", "g", "g_seq"]],
  [Ev.GoDestroy]: ["GoDestroy", ["dt"]],
  [Ev.GoDestroySyscall]: ["GoDestroySyscall", ["dt"]],
  [Ev.GoStop]: ["GoStop", ["dt", "reason_string", "stack"], { stacks: [2], strings: [1] }],
  [Ev.GoBlock]: ["GoBlock", ["dt", "reason_string", "stack"], { stacks: [2], strings: [1] }],
  [Ev.GoUnblock]: ["GoUnblock", ["dt", "g", "g_seq", "stack"], { stacks: [3] }],
  [Ev.GoSyscallBegin]: ["GoSyscallBegin", ["dt", "p_seq", "stack"], { stacks: [2] }],
  [Ev.GoSyscallEnd]: ["GoSyscallEnd", ["dt"], { startEv: Ev.GoSyscallBegin }],
  [Ev.GoSyscallEndBlocked]: ["GoSyscallEndBlocked", ["dt"], { startEv: Ev.GoSyscallBegin }],
  [Ev.GoStatus]: ["GoStatus", ["dt", "g", "m", "gstatus"]],
  [Ev.STWBegin]: ["STWBegin", ["dt", "kind_string", "stack"], { stacks: [2], strings: [1] }],
  [Ev.STWEnd]: ["STWEnd", ["dt"], { startEv: Ev.STWBegin }],
  [Ev.GCActive]: ["GCActive", ["dt", "gc_seq"], { startEv: Ev.GCBegin }],
  [Ev.GCBegin]: ["GCBegin", ["dt", "gc_seq", "stack"], { stacks: [2] }],
  [Ev.GCEnd]: ["GCEnd", ["dt", "gc_seq"], { startEv: Ev.GCBegin }],
  [Ev.GCSweepActive]: ["GCSweepActive", ["dt", "p"], { startEv: Ev.GCSweepBegin }],
  [Ev.GCSweepBegin]: ["GCSweepBegin", ["dt", "stack"], { stacks: [1] }],
  [Ev.GCSweepEnd]: ["GCSweepEnd", ["dt", "swept_value", "reclaimed_value"], {
    startEv: Ev.GCSweepBegin,
  }],
  [Ev.GCMarkAssistActive]: ["GCMarkAssistActive", ["dt", "g"], { startEv: Ev.GCMarkAssistBegin }],
  [Ev.GCMarkAssistBegin]: ["GCMarkAssistBegin", ["dt", "stack"], { stacks: [1] }],
  [Ev.GCMarkAssistEnd]: ["GCMarkAssistEnd", ["dt"], { startEv: Ev.GCMarkAssistBegin }],
  [Ev.HeapAlloc]: ["HeapAlloc", ["dt", "heapalloc_value"]],
  [Ev.HeapGoal]: ["HeapGoal", ["dt", "heapgoal_value"]],
  [Ev.GoLabel]: ["GoLabel", ["dt", "label_string"], { strings: [1] }],
  [Ev.UserTaskBegin]: ["UserTaskBegin", ["dt", "task", "parent_task", "name_string", "stack"], {
    stacks: [4],
    strings: [3],
  }],
  [Ev.UserTaskEnd]: ["UserTaskEnd", ["dt", "task", "stack"], { stacks: [2] }],
  [Ev.UserRegionBegin]: ["UserRegionBegin", ["dt", "task", "name_string", "stack"], {
    stacks: [3],
    strings: [2],
  }],
  [Ev.UserRegionEnd]: ["UserRegionEnd", ["dt", "task", "name_string", "stack"], {
    startEv: Ev.UserRegionBegin,
    stacks: [3],
    strings: [2],
  }],
  [Ev.UserLog]: ["UserLog", ["dt", "task", "key_string", "value_string", "stack"], {
    stacks: [4],
    strings: [2, 3],
  }],
  [Ev.GoSwitch]: ["GoSwitch", ["dt", "g", "g_seq"]],
  [Ev.GoSwitchDestroy]: ["GoSwitchDestroy", ["dt", "g", "g_seq"]],
  [Ev.GoCreateBlocked]: ["GoCreateBlocked", ["dt", "new_g", "new_stack", "stack"], {
    stacks: [3, 2],
  }],
  [Ev.GoStatusStack]: ["GoStatusStack", ["dt", "g", "m", "gstatus", "stack"], { stacks: [4] }],
  [Ev.ClockSnapshot]: ["ClockSnapshot", ["dt", "mono", "sec", "nsec"]],

  [Ev.Span]: ["Span", ["dt", "id", "npages_value", "kindclass"], { experiment: 1 }],
  [Ev.SpanAlloc]: ["SpanAlloc", ["dt", "id", "npages_value", "kindclass"], { experiment: 1 }],
  [Ev.SpanFree]: ["SpanFree", ["dt", "id"], { experiment: 1 }],
  [Ev.HeapObject]: ["HeapObject", ["dt", "id", "type"], { experiment: 1 }],
  [Ev.HeapObjectAlloc]: ["HeapObjectAlloc", ["dt", "id", "type"], { experiment: 1 }],
  [Ev.HeapObjectFree]: ["HeapObjectFree", ["dt", "id"], { experiment: 1 }],
  [Ev.GoroutineStack]: ["GoroutineStack", ["dt", "id", "order"], { experiment: 1 }],
  [Ev.GoroutineStackAlloc]: ["GoroutineStackAlloc", ["dt", "id", "order"], { experiment: 1 }],
  [Ev.GoroutineStackFree]: ["GoroutineStackFree", ["dt", "id"], { experiment: 1 }],
};

const EMPTY: EventSpec = {
  name: "",
  args: [],
  strings: [],
  stacks: [],
  startEv: 0,
  timed: false,
  hasData: false,
  isStack: false,
  experiment: 0,
};

/**
 * Every event type's spec, indexed by type byte (137 rows; unused rows have
 * an empty name). Rows whose first argument is `dt` are timed.
 */
export const SPECS: readonly EventSpec[] = (() => {
  const out: EventSpec[] = [];
  for (let t = 0; t <= Ev.GoroutineStackFree; t++) {
    const row = ROWS[t];
    if (!row) {
      out.push(EMPTY);
      continue;
    }
    const [name, args, opts = {}] = row;
    out.push({ ...EMPTY, ...opts, name, args, timed: args[0] === "dt" });
  }
  return out;
})();

/** Trace versions (the minor number of Go 1.x) that use this wire format. */
export const GENERATIONAL_VERSIONS: readonly number[] = [22, 23, 25, 26];

/** Number of table rows a version knows: later rows are newer events. */
export function specCount(version: number): number {
  if (version === 22) return Ev.UserLog + 1;
  if (version === 23) return Ev.ExperimentalBatch + 1;
  if (version === 25) return Ev.ClockSnapshot + 1;
  return SPECS.length;
}

/** Event type by name, for a version (as the textual format needs). */
export function eventTypesByName(version: number): Map<string, number> {
  const out = new Map<string, number>();
  const n = specCount(version);
  for (let t = 0; t < n; t++) if (SPECS[t].name) out.set(SPECS[t].name, t);
  return out;
}

/** The name of a wire event type, as messages print it. */
export function eventName(type: number): string {
  return SPECS[type]?.name || `Invalid(${type})`;
}

/**
 * A goroutine status as the wire writes it (the `gstatus` of `GoStatus`
 * events; Go's `tracev2.GoStatus`): the input side of the reader. The reader
 * hands out a different numbering, `GoStateCode` in `events/kinds.ts`;
 * the brands keep the two from being mixed up.
 *
 * @example
 * ```ts
 * import { WireGoStatus } from "./spec.ts";
 * const s: WireGoStatus = WireGoStatus.Running;
 * console.assert(s === 2);
 * ```
 */
export type WireGoStatus = number & { readonly __brand: "WireGoStatus" };
/** Wire goroutine statuses by name. */
export const WireGoStatus: {
  readonly Bad: WireGoStatus;
  readonly Runnable: WireGoStatus;
  readonly Running: WireGoStatus;
  readonly Syscall: WireGoStatus;
  readonly Waiting: WireGoStatus;
} = (() => {
  const s = (n: number) => n as WireGoStatus;
  return { Bad: s(0), Runnable: s(1), Running: s(2), Syscall: s(3), Waiting: s(4) };
})();

/**
 * A P status as the wire writes it (the `pstatus` of `ProcStatus` events;
 * Go's `tracev2.ProcStatus`). The reader's numbering is `ProcStateCode`.
 *
 * @example
 * ```ts
 * import { WireProcStatus } from "./spec.ts";
 * console.assert(WireProcStatus.Syscall === 3);
 * ```
 */
export type WireProcStatus = number & { readonly __brand: "WireProcStatus" };
/** Wire P statuses by name. */
export const WireProcStatus: {
  readonly Bad: WireProcStatus;
  readonly Running: WireProcStatus;
  readonly Idle: WireProcStatus;
  readonly Syscall: WireProcStatus;
  /** The P is first mentioned by a `ProcSteal`: no syscall to bind the steal to. */
  readonly SyscallAbandoned: WireProcStatus;
} = (() => {
  const s = (n: number) => n as WireProcStatus;
  return { Bad: s(0), Running: s(1), Idle: s(2), Syscall: s(3), SyscallAbandoned: s(4) };
})();

const WIRE_GO_STATUS_NAMES: readonly string[] = [
  "Bad",
  "Runnable",
  "Running",
  "Syscall",
  "Waiting",
];
const WIRE_PROC_STATUS_NAMES: readonly string[] = ["Bad", "Running", "Idle", "Syscall", "Bad"];

/**
 * The name of a wire goroutine status, as Go's messages print it.
 *
 * @example
 * ```ts
 * import { WireGoStatus, wireGoStatusName } from "./spec.ts";
 * console.assert(wireGoStatusName(WireGoStatus.Waiting) === "Waiting");
 * ```
 */
export function wireGoStatusName(s: WireGoStatus): string {
  return WIRE_GO_STATUS_NAMES[s] ?? "Bad";
}

/**
 * The name of a wire P status, as Go's messages print it (SyscallAbandoned
 * prints as Bad, as the reference does).
 *
 * @example
 * ```ts
 * import { WireProcStatus, wireProcStatusName } from "./spec.ts";
 * console.assert(wireProcStatusName(WireProcStatus.Idle) === "Idle");
 * ```
 */
export function wireProcStatusName(s: WireProcStatus): string {
  return WIRE_PROC_STATUS_NAMES[s] ?? "Bad";
}
