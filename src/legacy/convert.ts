/**
 * Conversion of old-format events into the new event model, making the
 * same choices as Go's reader so that every view reads the same:
 *
 * - goroutines that existed when tracing began get a GoStatus (Running,
 *   Waiting, Syscall, or Runnable at the first GOMAXPROCS event, which ends
 *   the old format's start-up burst; that GOMAXPROCS event itself is dropped);
 * - a P's first start or stop is a ProcStatus;
 * - block and stop events carry their reason as a string;
 * - a syscall is a begin/end pair 1 ns long, unless the goroutine's next
 *   event shows it blocked, when it ends at the syscall exit;
 * - a labelled start is a start plus a label event;
 * - task ends carry their task's parent and name.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { Event } from "../events/event.ts";
import { Ev, SPECS, WireGoStatus, WireProcStatus } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import type { LegacyEvent } from "./batches.ts";
import type { LegacyOptions, LegacyTrace } from "./parse.ts";
import { BLOCK_REASONS, LEGACY_SPECS, LegacyEv, STW_REASONS, stwReason } from "./spec.ts";
import { legacyTables } from "./tables.ts";

/** "No task" and "no thread" in the number convention (2^64-1). */
const NONE = -1;

// Old types that map to one new type with the same arguments.
const SAME_ARGS: ReadonlyMap<number, number> = new Map([
  [LegacyEv.Gomaxprocs, Ev.ProcsChange],
  [LegacyEv.GCStart, Ev.GCBegin],
  [LegacyEv.GCDone, Ev.GCEnd],
  [LegacyEv.GCSweepStart, Ev.GCSweepBegin],
  [LegacyEv.GCSweepDone, Ev.GCSweepEnd],
  [LegacyEv.GoCreate, Ev.GoCreate],
  [LegacyEv.GoStart, Ev.GoStart],
  [LegacyEv.GoEnd, Ev.GoDestroy],
  [LegacyEv.GoUnblock, Ev.GoUnblock],
  [LegacyEv.GoSysExit, Ev.GoSyscallEndBlocked],
  [LegacyEv.HeapAlloc, Ev.HeapAlloc],
  [LegacyEv.HeapGoal, Ev.HeapGoal],
  [LegacyEv.GCMarkAssistStart, Ev.GCMarkAssistBegin],
  [LegacyEv.GCMarkAssistDone, Ev.GCMarkAssistEnd],
]);

// Goroutine states that the start-up events stand for.
const START_STATUS: ReadonlyMap<number, number> = new Map([
  [LegacyEv.GoStart, WireGoStatus.Running],
  [LegacyEv.GoWaiting, WireGoStatus.Waiting],
  [LegacyEv.GoInSyscall, WireGoStatus.Syscall],
]);

/**
 * Turns a parsed old trace into {@link Event}s, one call at a time. Times
 * are forced to increase, as in new traces.
 *
 * @example
 * ```ts
 * import { LegacyConverter } from "./convert.ts";
 * import { parseLegacy } from "./parse.ts";
 * // P 0: frequency 1 GHz, then GOMAXPROCS=4 (dropped: it ends the start-up burst) and HeapAlloc.
 * const body = new Uint8Array([
 *   0x41, 0, 10, 0x02, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0x84, 1, 4, 0, 0x61, 5, 99,
 * ]);
 * const c = new LegacyConverter(parseLegacy(body, 19, 16));
 * console.assert(c.next()!.toString() === 'M=-1 P=0 G=-1 Metric Time=5 Name="/memory/classes/heap/objects:bytes" Value=Value{Uint64(99)}');
 * console.assert(c.next() === null);
 * ```
 */
export class LegacyConverter {
  /** The one set of tables of the trace. */
  readonly tables: GenTables;
  /** Time of the last event handed out (-1 before the first). */
  lastTs: number = -1;
  readonly #events: LegacyEvent[];
  #pos = 0;
  readonly #extra: Event[] = [];
  readonly #version: number;
  readonly #inlineIds: number[];
  readonly #reasonIds: Map<string, number>;
  // Whether each GoSysCall is followed, on its goroutine, by a GoSysBlock.
  readonly #blocks: Uint8Array;
  #preInit = true;
  readonly #createdPreInit = new Set<number>();
  readonly #tasks = new Map<number, { name: string; parent: number }>();
  readonly #seenProcs = new Set<number>();
  readonly #procMs = new Map<number, number>();
  #lastStwReason = 0;
  readonly #runnableOrder: readonly number[];

  /** Prepares the conversion of `trace` (builds its tables); see {@link LegacyOptions}. */
  constructor(trace: LegacyTrace, options: LegacyOptions = {}) {
    this.#runnableOrder = options.runnableOrder ?? [];
    const t = legacyTables(trace);
    this.tables = t.tables;
    this.#inlineIds = t.inlineIds;
    this.#reasonIds = t.reasonIds;
    this.#events = trace.events;
    this.#version = trace.version;
    this.#blocks = syscallBlocks(trace.events);
  }

  /** Time of the first old event, or null when there are none. */
  get firstTime(): number | null {
    return this.#events.length > 0 ? this.#events[0].ts : null;
  }

  /** The next event, or null at the end. Throws a TraceError on an event it cannot convert. */
  next(): Event | null {
    for (;;) {
      let ev = this.#extra.shift();
      if (!ev) {
        if (this.#pos >= this.#events.length) return null;
        const i = this.#pos++;
        ev = this.#convert(this.#events[i], i) ?? undefined;
        if (!ev) continue;
      }
      if (ev.time <= this.lastTs) ev.time = this.lastTs + 1;
      this.lastTs = ev.time;
      return ev;
    }
  }

  #reason(s: string): number {
    return this.#reasonIds.get(s)!;
  }

  #make(
    ev: LegacyEvent,
    m: number,
    g: number,
    type: number,
    time: number,
    args: number[],
  ): Event {
    return new Event(this.tables, m, ev.p, g, type, time, args[0], args[1], args[2], args[3]);
  }

  // M of a P, as the events written outside the general path name it (0 when unknown).
  #mOf(p: number): number {
    return this.#procMs.get(p) ?? 0;
  }

  #convert(ev: LegacyEvent, index: number): Event | null {
    let type = SAME_ARGS.get(ev.type) ?? -1;
    let args = [ev.a0, ev.a1, ev.a2, ev.a3];
    const blockReason = BLOCK_REASONS.get(ev.type);
    if (blockReason !== undefined) {
      type = ev.type === LegacyEv.GoSched || ev.type === LegacyEv.GoPreempt
        ? Ev.GoStop
        : Ev.GoBlock;
      args = [this.#reason(blockReason), ev.stk, 0, 0];
    }
    switch (ev.type) {
      case LegacyEv.Gomaxprocs:
        if (this.#preInit) {
          // Goroutines created before tracing began that neither ran nor
          // blocked since are runnable.
          this.#preInit = false;
          const first = this.#runnableOrder.filter((g) => this.#createdPreInit.has(g));
          for (const g of new Set([...first, ...this.#createdPreInit])) {
            this.#extra.push(
              new Event(
                this.tables,
                -1,
                -1,
                -1,
                Ev.GoStatus,
                ev.ts,
                g,
                NONE,
                WireGoStatus.Runnable,
                0,
              ),
            );
          }
          this.#createdPreInit.clear();
          return null;
        }
        break;
      case LegacyEv.ProcStart:
      case LegacyEv.ProcStop: {
        const start = ev.type === LegacyEv.ProcStart;
        if (start) this.#procMs.set(ev.p, ev.a0);
        if (this.#seenProcs.has(ev.p)) {
          type = start ? Ev.ProcStart : Ev.ProcStop;
          args = [ev.p, 0, 0, 0];
        } else {
          this.#seenProcs.add(ev.p);
          type = Ev.ProcStatus;
          args = [ev.p, start ? WireProcStatus.Running : WireProcStatus.Idle, 0, 0];
        }
        break;
      }
      case LegacyEv.STWStart:
        this.#lastStwReason = this.#reason(STW_REASONS[stwReason(ev.a0, this.#version)]);
        type = Ev.STWBegin;
        args = [this.#lastStwReason, 0, 0, 0];
        break;
      case LegacyEv.STWDone:
        type = Ev.STWEnd;
        args = [this.#lastStwReason, 0, 0, 0];
        break;
      case LegacyEv.GoCreate:
        if (this.#preInit) {
          this.#createdPreInit.add(ev.a0);
          return null;
        }
        break;
      case LegacyEv.GoStart:
      case LegacyEv.GoWaiting:
      case LegacyEv.GoInSyscall:
        if (ev.type !== LegacyEv.GoStart || this.#preInit) {
          type = Ev.GoStatus;
          args = [ev.a0, NONE, START_STATUS.get(ev.type)!, 0];
          this.#createdPreInit.delete(ev.a0);
        }
        break;
      case LegacyEv.GoStartLabel: {
        const m = this.#mOf(ev.p);
        this.#extra.push(this.#make(ev, m, ev.g, Ev.GoLabel, ev.ts, [ev.a2, 0, 0, 0]));
        return this.#make(ev, m, ev.g, Ev.GoStart, ev.ts, args);
      }
      case LegacyEv.GoSysCall:
        if (this.#blocks[index]) {
          type = Ev.GoSyscallBegin;
          args = [0, ev.stk, 0, 0];
        } else {
          const m = this.#mOf(ev.p);
          this.#extra.push(this.#make(ev, m, ev.g, Ev.GoSyscallEnd, ev.ts + 1, [0, 0, 0, 0]));
          return this.#make(ev, m, ev.g, Ev.GoSyscallBegin, ev.ts, [0, ev.stk, 0, 0]);
        }
        break;
      case LegacyEv.GoSysBlock:
        return null;
      case LegacyEv.UserTaskCreate: {
        type = Ev.UserTaskBegin;
        args = [ev.a0, ev.a1 === 0 ? NONE : ev.a1, ev.a2, ev.stk];
        this.#tasks.set(ev.a0, { name: this.tables.string(ev.a2) ?? "", parent: ev.a1 });
        break;
      }
      case LegacyEv.UserTaskEnd: {
        type = Ev.UserTaskEnd;
        // The begin's parent and name travel in the spare arguments.
        const task = this.#tasks.get(ev.a0);
        this.#tasks.delete(ev.a0);
        const parent = task ? task.parent : NONE;
        args = [ev.a0, ev.a1, parent, this.tables.addExtraString(task?.name ?? "")];
        break;
      }
      case LegacyEv.UserRegion:
        type = ev.a1 === 0 ? Ev.UserRegionBegin : ev.a1 === 1 ? Ev.UserRegionEnd : Ev.None;
        args = [ev.a0, ev.a2, ev.stk, 0];
        break;
      case LegacyEv.UserLog:
        type = Ev.UserLog;
        args = [ev.a0, ev.a1, this.#inlineIds[ev.a3], ev.stk];
        break;
      case LegacyEv.CPUSample:
        type = Ev.CPUSample;
        args = [ev.stk, NONE, ev.p, ev.g];
        break;
    }
    if (type < 0) {
      throw new TraceError("unknown-event", `unexpected event type ${ev.type}`, {
        offset: ev.off,
      });
    }
    if (LEGACY_SPECS[ev.type].stack) {
      const ids = SPECS[type].stacks;
      if (ids.length > 0) args[ids[0] - 1] = ev.stk;
    }
    let m = -1;
    if (ev.p !== -1 && ev.type !== LegacyEv.CPUSample) m = this.#procMs.get(ev.p) ?? -1;
    if (ev.type === LegacyEv.ProcStop) this.#procMs.delete(ev.p);
    return this.#make(ev, m, ev.g === 0 ? -1 : ev.g, type, ev.ts, args);
  }
}

// For each GoSysCall, whether the next event of its goroutine is a
// GoSysBlock (the syscall blocked); found in one pass from the end.
function syscallBlocks(events: LegacyEvent[]): Uint8Array {
  const out = new Uint8Array(events.length);
  const nextType = new Map<number, number>();
  for (let i = events.length - 1; i >= 0; i--) {
    const ev = events[i];
    if (ev.type === LegacyEv.GoSysCall && nextType.get(ev.g) === LegacyEv.GoSysBlock) out[i] = 1;
    nextType.set(ev.g, ev.type);
  }
  return out;
}
