/**
 * The old (go1.11–go1.21) wire format's event table, as data: one row per
 * event type with the first format version that has it, whether the event
 * ends with a stack id, and its argument names. Also the fake P ids the old
 * parser files some events under, and the stop-the-world reasons.
 *
 * @module
 */

/**
 * Old-format event type numbers (the low six bits of an event's first byte).
 *
 * @example
 * ```ts
 * import { LegacyEv } from "./spec.ts";
 * console.assert(LegacyEv.GoStart === 14);
 * ```
 */
export const LegacyEv = {
  None: 0,
  Batch: 1,
  Frequency: 2,
  Stack: 3,
  Gomaxprocs: 4,
  ProcStart: 5,
  ProcStop: 6,
  GCStart: 7,
  GCDone: 8,
  STWStart: 9,
  STWDone: 10,
  GCSweepStart: 11,
  GCSweepDone: 12,
  GoCreate: 13,
  GoStart: 14,
  GoEnd: 15,
  GoStop: 16,
  GoSched: 17,
  GoPreempt: 18,
  GoSleep: 19,
  GoBlock: 20,
  GoUnblock: 21,
  GoBlockSend: 22,
  GoBlockRecv: 23,
  GoBlockSelect: 24,
  GoBlockSync: 25,
  GoBlockCond: 26,
  GoBlockNet: 27,
  GoSysCall: 28,
  GoSysExit: 29,
  GoSysBlock: 30,
  GoWaiting: 31,
  GoInSyscall: 32,
  HeapAlloc: 33,
  HeapGoal: 34,
  TimerGoroutine: 35,
  FutileWakeup: 36,
  String: 37,
  GoStartLocal: 38,
  GoUnblockLocal: 39,
  GoSysExitLocal: 40,
  GoStartLabel: 41,
  GoBlockGC: 42,
  GCMarkAssistStart: 43,
  GCMarkAssistDone: 44,
  UserTaskCreate: 45,
  UserTaskEnd: 46,
  UserRegion: 47,
  UserLog: 48,
  CPUSample: 49,
} as const;

/**
 * Number of old-format event types; type bytes at or above it are invalid.
 *
 * @example
 * ```ts
 * import { LEGACY_EV_COUNT, LegacyEv } from "./spec.ts";
 * console.assert(LegacyEv.CPUSample === LEGACY_EV_COUNT - 1);
 * ```
 */
export const LEGACY_EV_COUNT = 50;

/**
 * One row of the old event table.
 *
 * @example
 * ```ts
 * import type { LegacyEventSpec } from "./spec.ts";
 * const row: LegacyEventSpec = { name: "GoStart", since: 5, stack: false, args: ["g", "seq"] };
 * console.assert(row.args.length === 2);
 * ```
 */
export interface LegacyEventSpec {
  /** Event name, as the old parser's messages print it. */
  readonly name: string;
  /** First trace version (Go 1.N) whose runtime writes it. */
  readonly since: number;
  /** Whether the last argument on the wire is the event's stack id. */
  readonly stack: boolean;
  /** Argument names after the timestamp (the stack id not included). */
  readonly args: readonly string[];
}

type Row = [name: string, since: number, stack: boolean, args: string[]];

// Versions below 11 are listed with the version that introduced the event;
// only 11, 19 and 21 are read, so for 11 the only gap is CPUSample.
const ROWS: readonly Row[] = [
  ["None", 5, false, []],
  ["Batch", 5, false, ["p", "ticks"]],
  ["Frequency", 5, false, ["freq"]],
  ["Stack", 5, false, ["id", "siz"]],
  ["Gomaxprocs", 5, true, ["procs"]],
  ["ProcStart", 5, false, ["thread"]],
  ["ProcStop", 5, false, []],
  ["GCStart", 5, true, ["seq"]],
  ["GCDone", 5, false, []],
  ["GCSTWStart", 5, false, ["kindid"]],
  ["GCSTWDone", 5, false, []],
  ["GCSweepStart", 5, true, []],
  ["GCSweepDone", 5, false, ["swept", "reclaimed"]],
  ["GoCreate", 5, true, ["g", "stack"]],
  ["GoStart", 5, false, ["g", "seq"]],
  ["GoEnd", 5, false, []],
  ["GoStop", 5, true, []],
  ["GoSched", 5, true, []],
  ["GoPreempt", 5, true, []],
  ["GoSleep", 5, true, []],
  ["GoBlock", 5, true, []],
  ["GoUnblock", 5, true, ["g", "seq"]],
  ["GoBlockSend", 5, true, []],
  ["GoBlockRecv", 5, true, []],
  ["GoBlockSelect", 5, true, []],
  ["GoBlockSync", 5, true, []],
  ["GoBlockCond", 5, true, []],
  ["GoBlockNet", 5, true, []],
  ["GoSysCall", 5, true, []],
  ["GoSysExit", 5, false, ["g", "seq", "ts"]],
  ["GoSysBlock", 5, false, []],
  ["GoWaiting", 5, false, ["g"]],
  ["GoInSyscall", 5, false, ["g"]],
  ["HeapAlloc", 5, false, ["mem"]],
  ["HeapGoal", 5, false, ["mem"]],
  ["TimerGoroutine", 5, false, ["g"]],
  ["FutileWakeup", 5, false, []],
  ["String", 7, false, []],
  ["GoStartLocal", 7, false, ["g"]],
  ["GoUnblockLocal", 7, true, ["g"]],
  ["GoSysExitLocal", 7, false, ["g", "ts"]],
  ["GoStartLabel", 8, false, ["g", "seq", "labelid"]],
  ["GoBlockGC", 8, true, []],
  ["GCMarkAssistStart", 9, true, []],
  ["GCMarkAssistDone", 9, false, []],
  ["UserTaskCreate", 11, true, ["taskid", "pid", "typeid"]],
  ["UserTaskEnd", 11, true, ["taskid"]],
  ["UserRegion", 11, true, ["taskid", "mode", "typeid"]],
  ["UserLog", 11, true, ["id", "keyid"]],
  ["CPUSample", 19, true, ["ts", "p", "g"]],
];

/**
 * The old event table, indexed by type.
 *
 * @example
 * ```ts
 * import { LEGACY_SPECS, LegacyEv } from "./spec.ts";
 * const s = LEGACY_SPECS[LegacyEv.GoUnblock];
 * console.assert(s.name === "GoUnblock" && s.stack && s.args.length === 2);
 * ```
 */
export const LEGACY_SPECS: readonly LegacyEventSpec[] = ROWS.map(([name, since, stack, args]) => ({
  name,
  since,
  stack,
  args,
}));

/**
 * Whether a type byte names an event that a trace of `version` may contain.
 *
 * @example
 * ```ts
 * import { knownInVersion, LegacyEv } from "./spec.ts";
 * console.assert(!knownInVersion(LegacyEv.CPUSample, 11));
 * console.assert(knownInVersion(LegacyEv.CPUSample, 19));
 * ```
 */
export function knownInVersion(type: number, version: number): boolean {
  return type !== LegacyEv.None && type < LEGACY_EV_COUNT && LEGACY_SPECS[type].since <= version;
}

/**
 * Pseudo-P ids that the old parser puts events on: unblocks by timers and
 * the network poller, syscall exits, GC starts and CPU samples.
 *
 * @example
 * ```ts
 * import { FakeP } from "./spec.ts";
 * console.assert(FakeP.Syscall === 1000003);
 * ```
 */
export const FakeP = {
  Timer: 1000001,
  Netpoll: 1000002,
  Syscall: 1000003,
  GC: 1000004,
  Profile: 1000005,
} as const;

/**
 * Stop-the-world reasons of Go 1.21, by kind number; 0 is "unknown" (an
 * empty reason).
 *
 * @example
 * ```ts
 * import { STW_REASONS } from "./spec.ts";
 * console.assert(STW_REASONS[1] === "GC mark termination");
 * ```
 */
export const STW_REASONS: readonly string[] = [
  "",
  "GC mark termination",
  "GC sweep termination",
  "write heap dump",
  "goroutine profile",
  "goroutine profile cleanup",
  "all goroutine stack trace",
  "read mem stats",
  "AllThreadsSyscall",
  "GOMAXPROCS",
  "start trace",
  "stop trace",
  "CountPagesInUse (test)",
  "ReadMetricsSlow (test)",
  "ReadMemStatsSlow (test)",
  "PageCachePagesLeaked (test)",
  "ResetDebugLog (test)",
];

/**
 * The reason index (into {@link STW_REASONS}) of an STW start's kind: before
 * 1.21 the kind was 0 (mark termination) or 1 (sweep termination); 1.21
 * numbers the reasons directly.
 *
 * @example
 * ```ts
 * import { stwReason } from "./spec.ts";
 * console.assert(stwReason(0, 19) === 1 && stwReason(0, 21) === 0 && stwReason(99, 21) === 0);
 * ```
 */
export function stwReason(kind: number, version: number): number {
  if (version < 21) return kind === 0 || kind === 1 ? kind + 1 : 0;
  return kind >= 0 && kind < STW_REASONS.length ? kind : 0;
}

/**
 * Reasons a goroutine stopped or blocked, by old event type: what the
 * reference reader puts in the transition's Reason.
 *
 * @example
 * ```ts
 * import { BLOCK_REASONS, LegacyEv } from "./spec.ts";
 * console.assert(BLOCK_REASONS.get(LegacyEv.GoBlockSend) === "chan send");
 * ```
 */
export const BLOCK_REASONS: ReadonlyMap<number, string> = new Map([
  [LegacyEv.GoStop, "forever"],
  [LegacyEv.GoPreempt, "preempted"],
  [LegacyEv.GoSched, "runtime.Gosched"],
  [LegacyEv.GoSleep, "sleep"],
  [LegacyEv.GoBlockSend, "chan send"],
  [LegacyEv.GoBlockRecv, "chan receive"],
  [LegacyEv.GoBlockNet, "network"],
  [LegacyEv.GoBlockSync, "sync"],
  [LegacyEv.GoBlockCond, "sync.(*Cond).Wait"],
  [LegacyEv.GoBlockSelect, "select"],
  [LegacyEv.GoBlock, ""],
  [LegacyEv.GoBlockGC, "GC mark assist wait for work"],
]);
