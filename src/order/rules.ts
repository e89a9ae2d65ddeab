/**
 * The ordering rules: given the next event of some M, decide whether it can
 * happen now given the replayed scheduler state, and if so apply it and queue
 * the event(s) it yields. One switch over event types; each case says why.
 *
 * An event that cannot happen yet returns false (another M must move first);
 * an event that can never happen throws a TraceError with code "ordering".
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { Ev, GoStatus, ProcStatus, SPECS } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import { Event } from "../events/event.ts";
import { GoSt, NO_TASK, ProcSt } from "../events/kinds.ts";
import type { WireEvent } from "../wire/cursor.ts";
import { IdTable } from "./id_table.ts";
import {
  activeRange,
  beginRange,
  endRange,
  goStatusName,
  type GState,
  type MState,
  procStatusName,
  type PState,
  rangeBeginType,
} from "./state.ts";

/** Presence requirement for one part of the scheduling context. */
const enum Need {
  No,
  May,
  Must,
}

/** Names of the rules, for explanations: which rule placed an event. */
export const RULE_NAMES: Record<number, string> = {
  [Ev.ProcsChange]: "annotation",
  [Ev.ProcStart]: "proc-start",
  [Ev.ProcStop]: "proc-stop",
  [Ev.ProcSteal]: "proc-steal",
  [Ev.ProcStatus]: "proc-status",
  [Ev.GoCreate]: "go-create",
  [Ev.GoCreateBlocked]: "go-create",
  [Ev.GoCreateSyscall]: "go-create-syscall",
  [Ev.GoStart]: "go-start",
  [Ev.GoDestroy]: "go-stop-exec",
  [Ev.GoStop]: "go-stop-exec",
  [Ev.GoBlock]: "go-stop-exec",
  [Ev.GoDestroySyscall]: "go-destroy-syscall",
  [Ev.GoUnblock]: "go-unblock",
  [Ev.GoSwitch]: "go-switch",
  [Ev.GoSwitchDestroy]: "go-switch",
  [Ev.GoSyscallBegin]: "syscall-begin",
  [Ev.GoSyscallEnd]: "syscall-end",
  [Ev.GoSyscallEndBlocked]: "syscall-end-blocked",
  [Ev.GoStatus]: "go-status",
  [Ev.GoStatusStack]: "go-status",
  [Ev.STWBegin]: "go-range-begin",
  [Ev.STWEnd]: "go-range-end",
  [Ev.GCActive]: "gc-active",
  [Ev.GCBegin]: "gc-begin",
  [Ev.GCEnd]: "gc-end",
  [Ev.GCSweepActive]: "sweep-active",
  [Ev.GCSweepBegin]: "sweep-begin",
  [Ev.GCSweepEnd]: "sweep-end",
  [Ev.GCMarkAssistActive]: "go-range-active",
  [Ev.GCMarkAssistBegin]: "go-range-begin",
  [Ev.GCMarkAssistEnd]: "go-range-end",
  [Ev.HeapAlloc]: "heap-metric",
  [Ev.HeapGoal]: "heap-metric",
  [Ev.GoLabel]: "annotation",
  [Ev.UserTaskBegin]: "task-begin",
  [Ev.UserTaskEnd]: "task-end",
  [Ev.UserRegionBegin]: "region-begin",
  [Ev.UserRegionEnd]: "region-end",
  [Ev.UserLog]: "annotation",
};

function fail(msg: string): TraceError {
  return new TraceError("ordering", msg);
}

/**
 * The replayed scheduler: goroutine, P and M states, GC state, active tasks,
 * and the queue of events that have been placed.
 *
 * @example
 * ```ts
 * import { Ordering } from "./rules.ts";
 * const o = new Ordering(22);
 * console.assert(o.queue.length === 0 && o.gStates.size === 0);
 * ```
 */
export class Ordering {
  /** Goroutines by id. */
  readonly gStates: IdTable<GState> = new IdTable();
  /** Ps by id. */
  readonly pStates: IdTable<PState> = new IdTable();
  /** Threads by id. */
  readonly mStates: IdTable<MState> = new IdTable();
  /** Tasks begun and not ended: name and parent, carried across generations. */
  readonly activeTasks: Map<number, { name: string; parent: number }> = new Map();
  /** Last GC sequence number seen. */
  gcSeq = 0;
  /** GC state: 0 undetermined, 1 not running, 2 running. */
  gcState = 0;
  /** First generation seen (where unknown prior state is allowed). */
  initialGen = 0;
  /** Events placed but not yet handed out: `queue[head..tail)`. */
  queue: Event[] = [];
  /** Index of the next event to hand out in `queue`. */
  head = 0;
  /** One past the last placed event in `queue`. */
  tail = 0;
  /**
   * Time of the last event placed. Times are forced to increase, as Go's
   * reader does when it hands events out; events leave in the order they
   * are placed, so the rule is applied here, once, where the time is at hand.
   */
  lastTime = 0;
  /**
   * Whether the common start/stop/block/unblock events take the fast lane
   * (see `fastLane`); off only for tests that hold it to the rules.
   */
  useFastLane = true;
  // Last thread looked up: consecutive events mostly come from the same M.
  private lastM = NaN; // matches no M id, not even the wrapped 2^64-2
  private lastMs: MState | undefined;

  // The scheduling context of the event being advanced, before (c*) and after (n*).
  private cm = -1;
  private cp = -1;
  private cg = -1;
  private np = -1;
  private ng = -1;
  private tables: GenTables | null = null;

  /**
   * An empty scheduler state.
   * @param version trace version (the minor number of Go 1.x)
   */
  constructor(readonly version: number) {}

  /** Takes the next placed event, or null. */
  next(): Event | null {
    if (this.head === this.tail) return null;
    const ev = this.queue[this.head++];
    if (this.head === this.tail) this.drained();
    return ev;
  }

  /**
   * Starts a new queue once all placed events are out. A fresh array, not
   * the old one reused: a young array takes young events without the
   * garbage collector's bookkeeping for old-to-young pointers, which costs
   * more than the array.
   */
  drained(): void {
    this.head = this.tail = 0;
    this.queue = [];
  }

  /**
   * Takes back the events placed from queue index `from` on, and the last
   * time with them (`time`, as it was before they were placed).
   */
  unplace(from: number, time: number): void {
    this.tail = from;
    if (this.head > from) this.head = from;
    this.lastTime = time;
  }

  /** Number of placed events not yet handed out. */
  get pending(): number {
    return this.tail - this.head;
  }

  /** Queues the event under advance with the current context. */
  private push(ev: WireEvent): void {
    this.place(ev, this.cm, this.cp, this.cg);
  }

  /** Queues the event under advance on thread `m`, with `p` and `g` as its context. */
  private place(ev: WireEvent, m: number, p: number, g: number): void {
    let time = ev.time;
    if (time <= this.lastTime) time = this.lastTime + 1;
    this.lastTime = time;
    this.queue[this.tail++] = new Event(
      this.tables,
      m,
      p,
      g,
      ev.type,
      time,
      ev.a0,
      ev.a1,
      ev.a2,
      ev.a3,
    );
  }

  /** Queues an event the rules make up (GoSwitch yields three). */
  private pushMade(type: number, time: number, g: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0): Event {
    if (time <= this.lastTime) time = this.lastTime + 1;
    this.lastTime = time;
    const e = new Event(this.tables, this.cm, this.cp, g, type, time, a0, a1, a2, a3);
    this.queue[this.tail++] = e;
    return e;
  }

  /** Checks the presence of an M, P and G in the current context. */
  private require(m: Need, p: Need, g: Need): void {
    if (m === Need.Must && this.cm === -1) throw fail("expected a thread but didn't have one");
    if (p === Need.Must && this.cp === -1) throw fail("expected a proc but didn't have one");
    if (p === Need.No && this.cp !== -1) throw fail("expected no proc but had one");
    if (g === Need.Must && this.cg === -1) throw fail("expected a goroutine but didn't have one");
    if (g === Need.No && this.cg !== -1) throw fail("expected no goroutine but had one");
  }

  /** Events that run user code need an M, a P and a goroutine. */
  /** Events that run user code need an M, a P and a goroutine. */
  private requireUserG(): void {
    this.require(Need.Must, Need.Must, Need.Must);
  }

  /** Name of a wire event type, for messages. */
  private evName(t: number): string {
    return SPECS[t]?.name || `Invalid(${t})`;
  }

  /** The goroutine on this M, which must exist and be in `want` status. */
  private runningG(ev: WireEvent, want: number, wantName: string): GState {
    const s = this.gStates.get(this.cg);
    if (!s) {
      throw fail(`event ${this.evName(ev.type)} for goroutine (${this.cg}) that doesn't exist`);
    }
    if (s.status !== want) {
      throw fail(`${this.evName(ev.type)} event for goroutine that's not ${wantName}`);
    }
    return s;
  }

  /** A P that must have a status already. */
  private proc(id: number, ev: WireEvent): PState {
    const p = this.pStates.get(id);
    if (!p) throw fail(`uninitialized proc ${id} found during ${this.evName(ev.type)}`);
    return p;
  }

  /**
   * Tries to advance `ev`, the next event of thread `m` in generation `gen`.
   * Returns true and queues the event(s) if it can happen now; false if it
   * must wait for another thread; throws if the trace is inconsistent.
   */
  advance(ev: WireEvent, tables: GenTables, m: number, gen: number): boolean {
    if (this.initialGen === 0) this.initialGen = gen;
    this.tables = tables;
    let ms: MState | undefined;
    this.cm = m;
    if (m === -1) {
      this.cp = -1;
      this.cg = -1;
    } else {
      if (m === this.lastM) ms = this.lastMs!;
      else {
        ms = this.mStates.get(m);
        if (!ms) this.mStates.set(m, ms = { g: -1, p: -1 });
        this.lastM = m;
        this.lastMs = ms;
      }
      if (this.useFastLane && this.fastLane(ev, ms, m, gen)) return true;
      this.cp = ms.p;
      this.cg = ms.g;
    }
    this.np = this.cp;
    this.ng = this.cg;
    const ok = this.rule(ev, gen);
    if (ok && ms) {
      ms.p = this.np;
      ms.g = this.ng;
    }
    return ok;
  }

  /**
   * The three events that make up most traces (a goroutine starting,
   * stopping or blocking, and being woken) when every check of their rule
   * passes: the same changes as their cases in {@link rule}, made on the M's
   * state directly instead of through the general context. Any other event,
   * and any of these whose checks do not all pass, is left to the rules
   * (false), which then decide as if this lane did not exist.
   */
  private fastLane(ev: WireEvent, ms: MState, m: number, gen: number): boolean {
    // Goroutines are looked up in the dense part of their table only: a
    // goroutine elsewhere is no fast case.
    switch (ev.type) {
      case Ev.GoStart: {
        if (ms.p === -1 || ms.g !== -1) return false;
        const g = this.gStates.dense[ev.a0];
        // seqOk holds only for this generation, so seqGen needs no update.
        if (!g || g.status !== GoStatus.Runnable || !seqOk(g, ev.a1, gen)) return false;
        g.status = GoStatus.Running;
        g.seq = ev.a1;
        this.place(ev, m, ms.p, -1);
        ms.g = ev.a0;
        return true;
      }
      case Ev.GoStop:
      case Ev.GoBlock: {
        const cg = ms.g;
        if (ms.p === -1 || cg === -1) return false;
        const g = this.gStates.dense[cg];
        if (!g || g.status !== GoStatus.Running) return false;
        g.status = ev.type === Ev.GoStop ? GoStatus.Runnable : GoStatus.Waiting;
        this.place(ev, m, ms.p, cg);
        ms.g = -1;
        return true;
      }
      case Ev.GoUnblock: {
        const g = this.gStates.dense[ev.a0];
        if (!g || g.status !== GoStatus.Waiting || !seqOk(g, ev.a1, gen)) return false;
        g.status = GoStatus.Runnable;
        g.seq = ev.a1;
        this.place(ev, m, ms.p, ms.g);
        return true;
      }
    }
    return false;
  }

  /** The rules: one case per event type, each saying why. */
  private rule(ev: WireEvent, gen: number): boolean {
    switch (ev.type) {
      // --- Ps ---
      case Ev.ProcStatus:
        return this.procStatus(ev, gen);

      case Ev.ProcStart: {
        // A P starts on this M only once it is idle, at the next sequence
        // number, and while this M holds no P (an M still in a syscall with its
        // P must first see that P stolen or stopped).
        const p = this.pStates.get(ev.a0);
        if (!p || p.status !== ProcStatus.Idle || !seqOk(p, ev.a1, gen) || this.cp !== -1) {
          return false;
        }
        this.require(Need.Must, Need.No, Need.May);
        p.status = ProcStatus.Running;
        p.seqGen = gen;
        p.seq = ev.a1;
        this.np = ev.a0;
        this.push(ev);
        return true;
      }

      case Ev.ProcStop: {
        // Only the M that holds a P stops it, so this can always advance.
        const p = this.pStates.get(this.cp);
        if (!p) {
          throw fail(`event ${this.evName(ev.type)} for proc (${this.cp}) that doesn't exist`);
        }
        if (p.status !== ProcStatus.Running && p.status !== ProcStatus.Syscall) {
          throw fail(`${this.evName(ev.type)} event for proc that's not Running or Syscall`);
        }
        this.require(Need.Must, Need.Must, Need.May);
        p.status = ProcStatus.Idle;
        this.np = -1;
        this.push(ev);
        return true;
      }

      case Ev.ProcSteal:
        return this.procSteal(ev, gen);

      // --- Goroutines ---
      case Ev.GoStatus:
      case Ev.GoStatusStack:
        return this.goStatus(ev, gen);

      case Ev.GoCreate:
      case Ev.GoCreateBlocked: {
        // Created on a running P, by a running goroutine if there is one.
        this.require(Need.Must, Need.Must, Need.May);
        const cur = this.gStates.get(this.cg);
        if (cur && cur.status !== GoStatus.Running) {
          throw fail(`${this.evName(ev.type)} event for goroutine that's not Running`);
        }
        if (this.gStates.has(ev.a0)) {
          throw fail(`tried to create goroutine (${ev.a0}) that already exists`);
        }
        const status = ev.type === Ev.GoCreate ? GoStatus.Runnable : GoStatus.Waiting;
        this.gStates.set(ev.a0, newG(ev.a0, status, gen));
        this.push(ev);
        return true;
      }

      case Ev.GoCreateSyscall: {
        // A cgo callback's goroutine appears in a syscall on this M.
        this.require(Need.Must, Need.May, Need.No);
        if (this.gStates.has(ev.a0)) {
          throw fail(`tried to create goroutine (${ev.a0}) in syscall that already exists`);
        }
        this.gStates.set(ev.a0, newG(ev.a0, GoStatus.Syscall, gen));
        this.ng = ev.a0;
        this.push(ev);
        return true;
      }

      case Ev.GoStart: {
        // Runs a runnable goroutine at its next sequence number on this M's P.
        const g = this.gStates.get(ev.a0);
        if (!g || g.status !== GoStatus.Runnable || !seqOk(g, ev.a1, gen)) return false;
        this.require(Need.Must, Need.Must, Need.No);
        g.status = GoStatus.Running;
        g.seqGen = gen;
        g.seq = ev.a1;
        this.ng = ev.a0;
        this.push(ev);
        return true;
      }

      case Ev.GoDestroy:
      case Ev.GoStop:
      case Ev.GoBlock: {
        // The running goroutine leaves this M; bound to it, so always advanceable.
        this.requireUserG();
        const g = this.runningG(ev, GoStatus.Running, "Running");
        if (ev.type === Ev.GoDestroy) this.gStates.delete(this.cg);
        else g.status = ev.type === Ev.GoStop ? GoStatus.Runnable : GoStatus.Waiting;
        this.ng = -1;
        this.push(ev);
        return true;
      }

      case Ev.GoUnblock: {
        // Anything (even an M with no G, like sysmon) may unblock; the
        // goroutine's sequence number says when.
        const g = this.gStates.get(ev.a0);
        if (!g || g.status !== GoStatus.Waiting || !seqOk(g, ev.a1, gen)) return false;
        g.status = GoStatus.Runnable;
        g.seqGen = gen;
        g.seq = ev.a1;
        this.push(ev);
        return true;
      }

      case Ev.GoSwitch:
      case Ev.GoSwitchDestroy:
        return this.goSwitch(ev, gen);

      case Ev.GoSyscallBegin: {
        // The running goroutine enters a syscall, keeping its P, whose
        // sequence number advances too: that is what a later ProcSteal names,
        // so the steal binds to exactly this syscall.
        this.requireUserG();
        const g = this.runningG(ev, GoStatus.Running, "Running");
        g.status = GoStatus.Syscall;
        const p = this.proc(this.cp, ev);
        p.status = ProcStatus.Syscall;
        if (!seqOk(p, ev.a0, gen)) {
          throw fail(
            `failed to advance ${
              this.evName(ev.type)
            }: can't make sequence: ${p.seq} (gen=${p.seqGen}) -> ${ev.a0} (gen=${gen})`,
          );
        }
        p.seq = ev.a0;
        this.push(ev);
        return true;
      }

      case Ev.GoSyscallEnd: {
        // Returns on the same M with its P still held: always advanceable.
        this.requireUserG();
        const g = this.runningG(ev, GoStatus.Syscall, "Running");
        g.status = GoStatus.Running;
        const p = this.proc(this.cp, ev);
        if (p.status !== ProcStatus.Syscall) {
          throw fail(
            `expected proc ${this.cp} in state Syscall, but got ${
              procStatusName(p.status)
            } instead`,
          );
        }
        p.status = ProcStatus.Running;
        this.push(ev);
        return true;
      }

      case Ev.GoSyscallEndBlocked: {
        // The syscall lost its P: wait until that P has left the syscall
        // state (stolen or stopped). Having a new P by now is fine.
        if (this.cp !== -1) {
          const p = this.proc(this.cp, ev);
          if (p.status === ProcStatus.Syscall) return false;
        }
        this.require(Need.Must, Need.May, Need.Must);
        const g = this.runningG(ev, GoStatus.Syscall, "Running");
        g.status = GoStatus.Runnable;
        this.ng = -1;
        this.push(ev);
        return true;
      }

      case Ev.GoDestroySyscall:
        return this.goDestroySyscall(ev);

      // --- Ranges bound to goroutines (STW, mark assist) ---
      case Ev.STWBegin:
      case Ev.GCMarkAssistBegin: {
        // Begun by the running goroutine on its own M: always advanceable;
        // the same range (and STW kind) may not be open twice.
        this.requireUserG();
        const g = this.gStates.get(this.cg);
        if (!g) {
          throw fail(
            `encountered event of type ${ev.type} without known state for current goroutine ${this.cg}`,
          );
        }
        const desc = ev.type === Ev.STWBegin ? ev.a0 : 0;
        beginRange(g.ranges, { typ: rangeBeginType(ev.type), desc });
        this.push(ev);
        return true;
      }

      case Ev.GCMarkAssistActive: {
        // Names a goroutine that need not be running: no context checks.
        const g = this.gStates.get(ev.a0);
        if (!g) {
          throw fail(`uninitialized goroutine ${ev.a0} found during ${this.evName(ev.type)}`);
        }
        activeRange(g.ranges, { typ: rangeBeginType(ev.type), desc: 0 }, gen === this.initialGen);
        this.push(ev);
        return true;
      }

      case Ev.STWEnd:
      case Ev.GCMarkAssistEnd: {
        // Ended by the goroutine that began it (or that was active in it when
        // the trace started), on its own M.
        this.requireUserG();
        const g = this.gStates.get(this.cg);
        if (!g) {
          throw fail(
            `encountered event of type ${ev.type} without known state for current goroutine ${this.cg}`,
          );
        }
        const desc = endRange(g.ranges, ev.type);
        // The end carries the kind of its begin, so it can name the range.
        if (ev.type === Ev.STWEnd) ev.a0 = desc;
        this.push(ev);
        return true;
      }

      // --- GC: begin and end carry a global sequence number ---
      case Ev.GCActive: {
        // A GC already running when the trace (or generation) began. In the
        // first generation it establishes the sequence; later it must be the
        // next one.
        const seq = ev.a0;
        if (gen === this.initialGen) {
          if (this.gcState !== 0) {
            throw fail("GCActive in the first generation isn't first GC event");
          }
          this.gcSeq = seq;
          this.gcState = 2;
          this.push(ev);
          return true;
        }
        if (seq !== this.gcSeq + 1) return false;
        if (this.gcState !== 2) throw fail("encountered GCActive while GC was not in progress");
        this.gcSeq = seq;
        this.requireUserG();
        this.push(ev);
        return true;
      }

      case Ev.GCBegin: {
        // Begin and end may be on different Ms: the sequence number, not the
        // timestamps, says which GC cycle comes next.
        const seq = ev.a0;
        if (this.gcState === 0) {
          this.gcSeq = seq;
          this.gcState = 2;
          this.push(ev);
          return true;
        }
        if (seq !== this.gcSeq + 1) return false;
        if (this.gcState === 2) throw fail("encountered GCBegin while GC was already in progress");
        this.gcSeq = seq;
        this.gcState = 2;
        this.requireUserG();
        this.push(ev);
        return true;
      }

      case Ev.GCEnd: {
        const seq = ev.a0;
        if (seq !== this.gcSeq + 1) return false;
        if (this.gcState === 1) throw fail("encountered GCEnd when GC was not in progress");
        if (this.gcState === 0) {
          throw fail("encountered GCEnd when GC was in an undetermined state");
        }
        this.gcSeq = seq;
        this.gcState = 1;
        this.requireUserG();
        this.push(ev);
        return true;
      }

      // --- Sweep: a range bound to a P ---
      case Ev.GCSweepBegin: {
        // A P sweeps (with or without a goroutine); its own M begins and ends it.
        this.require(Need.Must, Need.Must, Need.May);
        beginRange(this.pStates.get(this.cp)!.ranges, { typ: rangeBeginType(ev.type), desc: 0 });
        this.push(ev);
        return true;
      }

      case Ev.GCSweepActive: {
        // Names a P that may not be this M's: no context checks.
        const p = this.pStates.get(ev.a0);
        if (!p) throw fail(`encountered GCSweepActive for unknown proc ${ev.a0}`);
        activeRange(p.ranges, { typ: rangeBeginType(ev.type), desc: 0 }, gen === this.initialGen);
        this.push(ev);
        return true;
      }

      case Ev.GCSweepEnd: {
        // On the M that holds the sweeping P.
        this.require(Need.Must, Need.Must, Need.May);
        endRange(this.pStates.get(this.cp)!.ranges, ev.type);
        this.push(ev);
        return true;
      }

      // --- Metrics and annotations: instantaneous, need only context ---
      case Ev.HeapAlloc:
      case Ev.HeapGoal:
        this.require(Need.Must, Need.Must, Need.May);
        this.push(ev);
        return true;

      case Ev.ProcsChange:
      case Ev.GoLabel:
      case Ev.UserLog:
        this.requireUserG();
        this.push(ev);
        return true;

      // --- Tasks: may span generations; ends may repeat or lack a begin ---
      case Ev.UserTaskBegin: {
        const id = ev.a0;
        if (this.activeTasks.has(id)) throw fail(`task ID conflict: ${id}`);
        // Parent 0 means "no parent", not the background task.
        let parent = ev.a1;
        if (parent === 0) parent = ev.a1 = NO_TASK;
        const name = this.tables!.string(ev.a2);
        if (name === undefined) throw fail(`invalid string ID ${ev.a2} for ${ev.type} event`);
        this.activeTasks.set(id, { name, parent });
        this.requireUserG();
        this.push(ev);
        return true;
      }

      case Ev.UserTaskEnd: {
        // The end names its task's parent and type, which may come from an
        // earlier generation whose string table is gone: carry the name over.
        const t = this.activeTasks.get(ev.a0);
        if (t) {
          ev.a2 = t.parent;
          ev.a3 = this.tables!.addExtraString(t.name);
          this.activeTasks.delete(ev.a0);
        } else {
          ev.a2 = NO_TASK;
          ev.a3 = 0;
        }
        this.requireUserG();
        this.push(ev);
        return true;
      }

      case Ev.UserRegionBegin:
      case Ev.UserRegionEnd:
        return this.region(ev, this.tables!);

      default:
        if (ev.type >= Ev.Span && ev.type <= Ev.GoroutineStackFree) {
          // Alloc/free experiment: instantaneous, a P is optional.
          this.require(Need.Must, Need.May, Need.May);
          this.push(ev);
          return true;
        }
        throw fail(`bad event type found while ordering: ${ev.type}`);
    }
  }

  /** ProcStatus: a P's status at the start of a generation. */
  private procStatus(ev: WireEvent, gen: number): boolean {
    // A P's status at the start of a generation: it resets the P's sequence
    // number and, if running, binds the P to this M.
    const pid = ev.a0;
    const status = ev.a1;
    if (status < 0 || status > ProcStatus.SyscallAbandoned) {
      throw fail(`invalid status for proc ${pid}: ${status}`);
    }
    let oldState = [ProcSt.Undetermined, ProcSt.Running, ProcSt.Idle, ProcSt.Running, ProcSt.Idle][
      status
    ] as number;
    const s = this.pStates.get(pid);
    if (s) {
      if (status === ProcStatus.SyscallAbandoned && s.status === ProcStatus.Syscall) {
        // Already known to be in a syscall: nothing was lost; it reads as a
        // Running -> Running transition and is about to be stolen.
        oldState = ProcSt.Running;
        ev.a1 = ProcStatus.Syscall;
      } else if (
        status === ProcStatus.SyscallAbandoned && s.status === ProcStatus.SyscallAbandoned
      ) {
        oldState = ProcSt.Idle;
        ev.a1 = ProcStatus.SyscallAbandoned;
      } else if (s.status !== status) {
        throw fail(
          `inconsistent status for proc ${pid}: old ${procStatusName(s.status)} vs. new ${
            procStatusName(status)
          }`,
        );
      }
      s.seqGen = gen;
      s.seq = 0;
    } else {
      this.pStates.set(pid, { id: pid, status, seqGen: gen, seq: 0, ranges: [] });
      oldState = gen === this.initialGen ? ProcSt.Undetermined : ProcSt.NotExist;
    }
    ev.a2 = oldState; // the reader's view of the previous state
    if (status === ProcStatus.Running || status === ProcStatus.Syscall) this.np = pid;
    if (status === ProcStatus.SyscallAbandoned && oldState === ProcSt.Running) {
      // Emit it on the M the P is bound to, not the M that wrote it.
      let found = false;
      for (const [mid, st] of this.mStates) {
        if (st.p === pid) {
          this.cm = mid;
          this.cp = pid;
          this.cg = st.g;
          found = true;
        }
      }
      if (!found) {
        throw fail(`failed to find sched context for proc ${pid} that's about to be stolen`);
      }
    }
    this.push(ev);
    return true;
  }

  /** ProcSteal: another M takes a P left in a syscall. */
  private procSteal(ev: WireEvent, gen: number): boolean {
    // Another M takes a P left in a syscall. The sequence number pins the
    // steal after exactly the GoSyscallBegin that put the P there.
    const pid = ev.a0;
    const p = this.pStates.get(pid);
    if (
      !p || (p.status !== ProcStatus.Syscall && p.status !== ProcStatus.SyscallAbandoned) ||
      !(p.seqGen === gen && ev.a1 === p.seq + 1)
    ) return false;
    this.require(Need.Must, Need.May, Need.May);
    const oldStatus = p.status;
    ev.a3 = oldStatus; // Idle -> Idle for an abandoned P, Running -> Idle otherwise
    p.status = ProcStatus.Idle;
    p.seqGen = gen;
    p.seq = ev.a1;
    if (oldStatus === ProcStatus.SyscallAbandoned) {
      // The M it came from may have moved on; leave it alone.
      this.push(ev);
      return true;
    }
    const mid = ev.a2;
    if (mid === this.cm) {
      // Stealing from ourselves is a ProcStop.
      if (this.cp !== pid) {
        throw fail(
          `tried to self-steal proc ${pid} (thread ${mid}), but got proc ${this.cp} instead`,
        );
      }
      this.np = -1;
      this.push(ev);
      return true;
    }
    const victim = this.mStates.get(mid);
    if (!victim) throw fail(`stole proc from non-existent thread ${mid}`);
    if (victim.p !== pid) {
      throw fail(`tried to steal proc ${pid} from thread ${mid}, but got proc ${victim.p} instead`);
    }
    // The victim M is in the syscall and loses its P; its GoSyscallEndBlocked can now advance.
    victim.p = -1;
    this.push(ev);
    return true;
  }

  /** GoStatus: a goroutine's status at the start of a generation. */
  private goStatus(ev: WireEvent, gen: number): boolean {
    // A goroutine's status at the start of a generation.
    const gid = ev.a0;
    const mid = ev.a1;
    const status = ev.a2;
    if (status < 0 || status > GoStatus.Waiting) {
      throw fail(`invalid status for goroutine ${gid}: ${status}`);
    }
    let oldState: number =
      [GoSt.Undetermined, GoSt.Runnable, GoSt.Running, GoSt.Syscall, GoSt.Waiting][
        status
      ];
    const s = this.gStates.get(gid);
    if (s) {
      if (s.status !== status) {
        throw fail(
          `inconsistent status for goroutine ${gid}: old ${goStatusName(s.status)} vs. new ${
            goStatusName(status)
          }`,
        );
      }
      s.seqGen = gen;
      s.seq = 0;
    } else if (gen === this.initialGen) {
      this.gStates.set(gid, newG(gid, status, gen));
      oldState = GoSt.Undetermined;
    } else {
      throw fail(
        `found goroutine status for new goroutine after the first generation: id=${gid} status=${
          goStatusName(status)
        }`,
      );
    }
    ev.a2 = oldState * 65536 + status; // the event shows old -> new
    if (status === GoStatus.Running) {
      this.ng = gid;
    } else if (status === GoStatus.Syscall) {
      if (mid === -1) throw fail(`found goroutine ${gid} in syscall without a thread`);
      if (mid === this.cm) {
        // The syscall is on this thread: bind it.
        if (gen !== this.initialGen && this.cg !== gid) {
          throw fail(
            `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${this.cg}`,
          );
        }
        this.ng = gid;
      } else {
        // A goroutine sitting in a syscall on another M for the whole
        // generation; that M holds no P.
        const other = this.mStates.get(mid);
        if (other) {
          if (other.g !== gid) {
            throw fail(
              `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${other.g}`,
            );
          }
          this.cg = other.g;
        } else {
          this.mStates.set(mid, { g: gid, p: -1 });
        }
        this.cm = mid;
      }
    }
    this.push(ev);
    return true;
  }

  /** GoSwitch: a coroutine switch (unblock, block or destroy, start). */
  private goSwitch(ev: WireEvent, gen: number): boolean {
    // A coroutine switch: unblock the next goroutine, block (or destroy) the
    // current one, and start the next, all at once. Ordered like a GoStart.
    this.requireUserG();
    const cur = this.runningG(ev, GoStatus.Running, "Running");
    const nextId = ev.a0;
    const next = this.gStates.get(nextId);
    if (
      !next || next.status !== GoStatus.Waiting || !(next.seqGen === gen && ev.a1 === next.seq + 1)
    ) return false;
    this.push(ev);
    if (ev.type === Ev.GoSwitch) {
      cur.status = GoStatus.Waiting;
      this.pushMade(Ev.GoBlock, ev.time, this.cg);
    } else {
      this.gStates.delete(this.cg);
      this.pushMade(Ev.GoDestroy, ev.time, this.cg);
    }
    next.status = GoStatus.Running;
    next.seqGen = gen;
    next.seq = ev.a1;
    this.ng = nextId;
    this.pushMade(Ev.GoStart, ev.time, -1, nextId, ev.a1);
    return true;
  }

  /** GoDestroySyscall: a cgo callback's goroutine goes away. */
  private goDestroySyscall(ev: WireEvent): boolean {
    // A cgo callback's goroutine goes away. If it held a P, that P is
    // abandoned (the thread id may be reused later), with a self-steal.
    this.require(Need.Must, Need.May, Need.Must);
    this.runningG(ev, GoStatus.Syscall, "Syscall");
    this.gStates.delete(this.cg);
    this.ng = -1;
    if (this.cp !== -1) {
      const p = this.pStates.get(this.cp);
      if (!p) throw fail(`found invalid proc ${this.cp} during ${this.evName(ev.type)}`);
      if (p.status !== ProcStatus.Syscall) {
        throw fail(
          `proc ${this.cp} in unexpected state ${procStatusName(p.status)} during ${
            this.evName(ev.type)
          }`,
        );
      }
      p.status = ProcStatus.SyscallAbandoned;
      this.np = -1;
      this.pushMade(Ev.ProcSteal, ev.time, this.cg, this.cp, 0, 0, ProcStatus.Syscall);
    }
    this.push(ev);
    return true;
  }

  /** User regions: begin and end nest per goroutine. */
  private region(ev: WireEvent, tables: GenTables): boolean {
    // Regions nest per goroutine; an end with nothing open is allowed
    // (the region began before the trace did).
    this.requireUserG();
    const name = tables.string(ev.a1);
    if (name === undefined) throw fail(`invalid string ID ${ev.a1} for ${ev.type} event`);
    const g = this.gStates.get(this.cg);
    if (!g) {
      const which = ev.type === Ev.UserRegionBegin ? "EvUserRegionBegin" : "EvUserRegionEnd";
      throw fail(`encountered ${which} without known state for current goroutine ${this.cg}`);
    }
    if (ev.type === Ev.UserRegionBegin) {
      g.regions.push({ task: ev.a0, name });
    } else if (g.regions.length > 0) {
      const top = g.regions[g.regions.length - 1];
      if (top.task !== ev.a0 || top.name !== name) {
        throw fail(
          `misuse of region in goroutine ${g.id}: region end {${ev.a0} ${name}} when the inner-most active region start event is {${top.task} ${top.name}}`,
        );
      }
      g.regions.pop();
    }
    this.push(ev);
    return true;
  }

  /**
   * A deep copy of the state (without the queue), for dry runs: the stepper
   * asks a copy whether an event could advance without changing anything.
   */
  clone(): Ordering {
    const o = new Ordering(this.version);
    for (const [id, g] of this.gStates) {
      o.gStates.set(id, {
        ...g,
        regions: g.regions.map((r) => ({ ...r })),
        ranges: g.ranges.map((r) => ({ ...r })),
      });
    }
    for (const [id, p] of this.pStates) {
      o.pStates.set(id, { ...p, ranges: p.ranges.map((r) => ({ ...r })) });
    }
    for (const [id, m] of this.mStates) o.mStates.set(id, { ...m });
    for (const [id, t] of this.activeTasks) o.activeTasks.set(id, { ...t });
    o.gcSeq = this.gcSeq;
    o.gcState = this.gcState;
    o.initialGen = this.initialGen;
    o.lastTime = this.lastTime;
    return o;
  }

  /** A readable dump of the state, for "failed to advance" messages. */
  dump(): string {
    const sortBy = <T>(m: IdTable<T>) => m.entries();
    let s = "";
    for (const [id, g] of sortBy(this.gStates)) {
      s += `G ${id} [status=${goStatusName(g.status)} seq=${g.seq} (gen=${g.seqGen})]\n`;
    }
    s += "\n";
    for (const [id, p] of sortBy(this.pStates)) {
      s += `P ${id} [status=${procStatusName(p.status)} seq=${p.seq} (gen=${p.seqGen})]\n`;
    }
    s += "\n";
    for (const [id, st] of sortBy(this.mStates)) s += `M ${id} [g=${st.g} p=${st.p}]\n`;
    s += "\n";
    s += `GC ${this.gcSeq} ${["Undetermined", "NotRunning", "Running"][this.gcState]}\n`;
    return s;
  }
}

/** True when `seq` in generation `gen` is the immediate successor of the resource's counter. */
function seqOk(s: { seqGen: number; seq: number }, seq: number, gen: number): boolean {
  return s.seqGen === gen && seq === s.seq + 1;
}

function newG(id: number, status: number, gen: number): GState {
  return { id, status, seqGen: gen, seq: 0, regions: [], ranges: [] };
}
