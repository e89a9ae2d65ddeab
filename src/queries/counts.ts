/**
 * The cheap facts of a trace, counted in one pass: version, span, events by
 * kind, goroutines, threads and Ps, syscalls and steals, user annotations,
 * CPU samples. What a summary shows first.
 *
 * @module
 */

import type { Event } from "../events/event.ts";
import { Ev } from "../wire/spec.ts";
import { EV_SYNC, GoStateCode, KIND_OF_TYPE } from "../events/kinds.ts";
import { FakeP } from "../legacy/spec.ts";
import { Transition } from "./transitions.ts";
import { IdSet } from "./ids.ts";

/**
 * What {@link TraceCounter} counts: the cheap facts of a trace.
 *
 * @example
 * ```ts
 * import { TraceCounter, type TraceCounts } from "./counts.ts";
 * const c: TraceCounts = new TraceCounter(22).result();
 * console.assert(c.version === 22 && c.events === 0);
 * ```
 */
export interface TraceCounts {
  /** Go 1.x minor version of the trace format (0 when unknown). */
  version: number;
  /** Number of generations. */
  generations: number;
  /** First and last event times (ns). */
  start: number;
  /** Last event time (ns). */
  end: number;
  /** Events read. */
  events: number;
  /** Events by kind, most frequent first. */
  byKind: [string, number][];
  /** Distinct goroutines, threads and Ps seen. */
  goroutines: number;
  /** Threads (Ms). */
  threads: number;
  /** Ps. */
  procs: number;
  /**
   * The old format's placeholder Ps (1000001 and up: events of the timer,
   * netpoll, syscalls or GC, which had no P), not counted in `procs`.
   */
  placeholderProcs: number;
  /** Largest GOMAXPROCS seen. */
  gomaxprocs: number;
  /** Syscalls: goroutines entering the Syscall state (as `SyscallAnalysis` counts them). */
  syscalls: number;
  /** ProcSteal events. */
  steals: number;
  /** User tasks begun, regions begun, log messages. */
  tasks: number;
  /** Regions begun. */
  regions: number;
  /** Log messages. */
  logs: number;
  /** CPU samples. */
  cpuSamples: number;
}

/**
 * Counts what a summary needs, one event at a time (an `Analysis` in the
 * sense of ./source.ts).
 *
 * @example
 * ```ts
 * import { TraceCounter } from "./counts.ts";
 * import { Reader } from "../reader/reader.ts";
 * const s = new TraceCounter();
 * for await (const ev of await Reader.open(new URL("../../testdata/syscall-steal.trace", import.meta.url))) s.event(ev);
 * console.assert(s.result().steals === 1 && s.result().generations === 1);
 * ```
 */
export class TraceCounter {
  #s: TraceCounts = {
    version: 0,
    generations: 0,
    start: 0,
    end: 0,
    events: 0,
    byKind: [],
    goroutines: 0,
    threads: 0,
    procs: 0,
    placeholderProcs: 0,
    gomaxprocs: 0,
    syscalls: 0,
    steals: 0,
    tasks: 0,
    regions: 0,
    logs: 0,
    cpuSamples: 0,
  };
  #byType = new Float64Array(256); // events by wire type; kinds are summed at the end
  #gs = new IdSet();
  #ms = new IdSet();
  #ps = new IdSet();
  #placeholders = new Set<number>();
  #lastM = -1;
  #lastP = -1;
  #lastG = -1;
  #tr = new Transition();

  /**
   * A counter with nothing counted yet.
   * @param version the trace's format version, when known
   */
  constructor(version = 0) {
    this.#s.version = version;
  }

  /** Feeds the next event. */
  event(ev: Event): void {
    const s = this.#s;
    // The old format's converter opens with a Sync at -1: the span starts at the first real time.
    if (s.events++ === 0 || s.start < 0) s.start = ev.time;
    s.end = ev.time;
    const type = ev.type;
    this.#byType[type]++;
    // Runs of events share their M, P and G: add only on a change.
    if (ev.thread !== this.#lastM) {
      this.#lastM = ev.thread;
      if (ev.thread !== -1) this.#ms.add(ev.thread);
    }
    if (ev.proc !== this.#lastP) {
      this.#lastP = ev.proc;
      if (ev.proc !== -1 && ev.proc < FakeP.Timer) this.#ps.add(ev.proc);
      else if (ev.proc >= FakeP.Timer) this.#placeholders.add(ev.proc);
    }
    if (ev.goroutine !== this.#lastG) {
      this.#lastG = ev.goroutine;
      if (ev.goroutine !== -1) this.#gs.add(ev.goroutine);
    }
    switch (type) {
      case Ev.GoStart:
      case Ev.GoCreate:
      case Ev.GoCreateBlocked:
        this.#gs.add(ev.a0);
        break;
      // Syscalls begun, as the syscall records count them: entering the
      // Syscall state from any other (created in one by a cgo callback, or
      // found in one at the trace start, included).
      case Ev.GoSyscallBegin:
        s.syscalls++;
        break;
      case Ev.GoCreateSyscall:
        this.#gs.add(ev.a0);
        s.syscalls++;
        break;
      case Ev.GoStatus:
      case Ev.GoStatusStack: {
        this.#gs.add(ev.a0);
        const tr = this.#tr;
        if (
          tr.decode(ev) === "goroutine" && tr.to === GoStateCode.Syscall &&
          tr.from !== GoStateCode.Syscall
        ) {
          s.syscalls++;
        }
        break;
      }
      case Ev.ProcStatus:
      case Ev.ProcStart:
        if (ev.a0 < FakeP.Timer) this.#ps.add(ev.a0);
        break;
      case Ev.ProcSteal:
        s.steals++;
        break;
      case Ev.ProcsChange:
        s.gomaxprocs = Math.max(s.gomaxprocs, ev.a0);
        break;
      case Ev.UserTaskBegin:
        s.tasks++;
        break;
      case Ev.UserRegionBegin:
        s.regions++;
        break;
      case Ev.UserLog:
        s.logs++;
        break;
      case Ev.CPUSample:
        s.cpuSamples++;
        break;
    }
  }

  /** The counts so far. */
  result(): TraceCounts {
    const s = this.#s;
    const kinds = new Map<string, number>();
    this.#byType.forEach((n, type) => {
      if (n > 0) kinds.set(KIND_OF_TYPE[type], (kinds.get(KIND_OF_TYPE[type]) ?? 0) + n);
    });
    s.byKind = [...kinds].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    s.goroutines = this.#gs.size;
    s.threads = this.#ms.size;
    s.procs = this.#ps.size;
    s.placeholderProcs = this.#placeholders.size;
    // A Sync opens every generation and one more closes the trace.
    s.generations = Math.max(0, this.#byType[EV_SYNC] - 1);
    return { ...s };
  }
}
