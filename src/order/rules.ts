/**
 * The ordering rules: given the next event of some M, decide whether it can
 * happen now given the replayed scheduler state, and if so apply it and queue
 * the event(s) it yields. One table, {@link RULES}, maps each event type to a
 * small named rule (as Go's reader's `order.go` does); the scheduling context
 * (the M, and the P and G it holds) is passed to the rule explicitly.
 *
 * A rule that cannot advance yet returns a {@link Wait} saying why, with the
 * numbers (another M must move first); an event that can never happen throws
 * a TraceError with code "ordering".
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import {
  Ev,
  eventName,
  WireGoStatus,
  wireGoStatusName,
  WireProcStatus,
  wireProcStatusName,
} from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import { Event, refillEvent } from "../events/event.ts";
import {
  GoStateCode,
  goStateOfWire,
  NO_TASK,
  ProcStateCode,
  procStateOfWire,
} from "../events/kinds.ts";
import type { WireEvent } from "../wire/cursor.ts";
import { IdTable } from "./id_table.ts";
import { Journal } from "./journal.ts";
import {
  activeRange,
  beginRange,
  endRange,
  GC_STATE_NAMES,
  GcState,
  type GoEntry,
  newGoEntry,
  newProcEntry,
  type ProcEntry,
  rangeBeginType,
  type ThreadEntry,
} from "./state.ts";

/**
 * Why an event cannot advance yet: the resource it waits on and the numbers
 * (statuses are the wire's, as the engine keeps them). Returned by the rules
 * instead of `false`, so explanations read the engine's own reason.
 *
 * @example
 * ```ts
 * import type { Wait } from "./rules.ts";
 * const w: Wait = { why: "seq", resource: "G", id: 7, have: 1, want: 3 };
 * console.assert(w.why === "seq");
 * ```
 */
export type Wait =
  /** The G or P has no entry yet (not created, or no status this generation). */
  | { why: "missing"; resource: "G" | "P"; id: number }
  /** The goroutine is not in the status the event moves it from. */
  | {
    why: "status";
    resource: "G";
    id: number;
    have: WireGoStatus;
    seq: number;
    want: WireGoStatus;
  }
  /** The P is not in the status the event moves it from. */
  | {
    why: "status";
    resource: "P";
    id: number;
    have: WireProcStatus;
    seq: number;
    want: WireProcStatus;
  }
  /** The G or P is at sequence `have` (of an earlier generation, or not `want` - 1). */
  | { why: "seq"; resource: "G" | "P"; id: number; have: number; want: number }
  /** ProcStart on M `m`, which still holds P `p`. */
  | { why: "holds-p"; m: number; p: number }
  /** GoSyscallEndBlocked on M `m`, whose P `p` is still in the syscall. */
  | { why: "p-in-syscall"; m: number; p: number }
  /** A GC event with sequence `want`; GC is at `have`. */
  | { why: "gc-seq"; have: number; want: number };

/**
 * What a rule returns: true when the event was placed, otherwise why it waits.
 *
 * @example
 * ```ts
 * import type { Advance } from "./rules.ts";
 * const why = (r: Advance) => r === true ? "placed" : r.why;
 * console.assert(why({ why: "gc-seq", have: 3, want: 5 }) === "gc-seq");
 * ```
 */
export type Advance = true | Wait;

/**
 * The scheduling context of the event under advance: its M, the P and G that
 * M holds (`p`, `g`), and what it holds after the rule (`np`, `ng`). A rule
 * may re-home the event onto another M by changing `m`, `p` and `g`.
 *
 * @example
 * ```ts
 * import type { SchedCtx } from "./rules.ts";
 * const cx: SchedCtx = { m: 0, p: 1, g: -1, np: 1, ng: 7 }; // a GoStart of G 7 on M 0
 * console.assert(cx.ng === 7);
 * ```
 */
export interface SchedCtx {
  /** Thread of the event (-1 for none). */
  m: number;
  /** P the thread holds, -1 if none. */
  p: number;
  /** Goroutine running on the thread, -1 if none. */
  g: number;
  /** P the thread holds after the event. */
  np: number;
  /** Goroutine on the thread after the event. */
  ng: number;
}

/**
 * A rule: places `ev` given the context `cx` in generation `gen`, or says
 * why it waits.
 *
 * @example
 * ```ts
 * import { type Rule, RULES } from "./rules.ts";
 * import { Ev } from "../wire/spec.ts";
 * const r: Rule = RULES[Ev.GoUnblock];
 * console.assert(typeof r === "function");
 * ```
 */
export type Rule = (o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number) => Advance;

/** Presence requirement for one part of the scheduling context. */
const enum Need {
  No,
  May,
  Must,
}

function fail(msg: string): TraceError {
  return new TraceError("ordering", msg);
}

/** Checks the presence of an M, P and G in the context. */
function need(cx: SchedCtx, m: Need, p: Need, g: Need): void {
  if (m === Need.Must && cx.m === -1) throw fail("expected a thread but didn't have one");
  if (p === Need.Must && cx.p === -1) throw fail("expected a proc but didn't have one");
  if (p === Need.No && cx.p !== -1) throw fail("expected no proc but had one");
  if (g === Need.Must && cx.g === -1) throw fail("expected a goroutine but didn't have one");
  if (g === Need.No && cx.g !== -1) throw fail("expected no goroutine but had one");
}

/** Events that run user code need an M, a P and a goroutine. */
function needUserG(cx: SchedCtx): void {
  need(cx, Need.Must, Need.Must, Need.Must);
}

/** The goroutine on this M, which must exist and be in status `want`. */
function runningG(
  o: Ordering,
  ev: WireEvent,
  cx: SchedCtx,
  want: WireGoStatus,
  wantName: string,
): GoEntry {
  const s = o.goEntry(cx.g);
  if (!s) throw fail(`event ${eventName(ev.type)} for goroutine (${cx.g}) that doesn't exist`);
  if (s.status !== want) {
    throw fail(`${eventName(ev.type)} event for goroutine that's not ${wantName}`);
  }
  return s;
}

/** A P that must have a status already. */
function knownProc(o: Ordering, id: number, ev: WireEvent): ProcEntry {
  const p = o.procEntry(id);
  if (!p) throw fail(`uninitialized proc ${id} found during ${eventName(ev.type)}`);
  return p;
}

/**
 * Whether G `g` (looked up as `id`) is in status `want` at the sequence just
 * before `seq` of generation `gen`: true, or why not.
 */
function gReady(
  g: GoEntry | undefined,
  id: number,
  want: WireGoStatus,
  seq: number,
  gen: number,
): Advance {
  if (!g) return { why: "missing", resource: "G", id };
  if (g.status !== want) {
    return { why: "status", resource: "G", id, have: g.status, seq: g.seq, want };
  }
  if (!seqOk(g, seq, gen)) return { why: "seq", resource: "G", id, have: g.seq, want: seq };
  return true;
}

/** {@link gReady} for a P, which may be in either of two statuses. */
function pReady(
  p: ProcEntry | undefined,
  id: number,
  want: WireProcStatus,
  orWant: WireProcStatus,
  seq: number,
  gen: number,
): Advance {
  if (!p) return { why: "missing", resource: "P", id };
  if (p.status !== want && p.status !== orWant) {
    return { why: "status", resource: "P", id, have: p.status, seq: p.seq, want };
  }
  if (!seqOk(p, seq, gen)) return { why: "seq", resource: "P", id, have: p.seq, want: seq };
  return true;
}

// --- Ps ---

/** ProcStatus: a P's status at the start of a generation. */
function procStatus(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  // It resets the P's sequence number and, if running, binds the P to this M.
  const pid = ev.a0;
  const status = ev.a1 as WireProcStatus;
  if (status < 0 || status > WireProcStatus.SyscallAbandoned) {
    throw fail(`invalid status for proc ${pid}: ${status}`);
  }
  let oldState = procStateOfWire(status);
  const s = o.procEntry(pid);
  if (s) {
    if (status === WireProcStatus.SyscallAbandoned && s.status === WireProcStatus.Syscall) {
      // Already known to be in a syscall: nothing was lost; it reads as a
      // Running -> Running transition and is about to be stolen.
      oldState = ProcStateCode.Running;
      ev.a1 = WireProcStatus.Syscall;
    } else if (
      status === WireProcStatus.SyscallAbandoned && s.status === WireProcStatus.SyscallAbandoned
    ) {
      oldState = ProcStateCode.Idle;
      ev.a1 = WireProcStatus.SyscallAbandoned;
    } else if (s.status !== status) {
      throw fail(
        `inconsistent status for proc ${pid}: old ${wireProcStatusName(s.status)} vs. new ${
          wireProcStatusName(status)
        }`,
      );
    }
    s.seqGen = gen;
    s.seq = 0;
  } else {
    o.pStates.set(pid, newProcEntry(pid, status, gen));
    oldState = gen === o.initialGen ? ProcStateCode.Undetermined : ProcStateCode.NotExist;
  }
  ev.a2 = oldState; // the reader's view of the previous state
  if (status === WireProcStatus.Running || status === WireProcStatus.Syscall) cx.np = pid;
  if (status === WireProcStatus.SyscallAbandoned && oldState === ProcStateCode.Running) {
    // Emit it on the M the P is bound to, not the M that wrote it.
    let found = false;
    for (const [mid, st] of o.mStates) {
      if (st.p === pid) {
        cx.m = mid;
        cx.p = pid;
        cx.g = st.g;
        found = true;
      }
    }
    if (!found) {
      throw fail(`failed to find sched context for proc ${pid} that's about to be stolen`);
    }
  }
  o.push(ev, cx);
  return true;
}

/** ProcStart: an idle P starts on this M. */
function procStart(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  // Only once the P is idle, at its next sequence number, and while this M
  // holds no P (an M still in a syscall with its P must first see that P
  // stolen or stopped).
  const p = o.procEntry(ev.a0);
  const ready = pReady(p, ev.a0, WireProcStatus.Idle, WireProcStatus.Idle, ev.a1, gen);
  if (ready !== true) return ready;
  if (cx.p !== -1) return { why: "holds-p", m: cx.m, p: cx.p };
  need(cx, Need.Must, Need.No, Need.May);
  p!.status = WireProcStatus.Running;
  p!.seqGen = gen;
  p!.seq = ev.a1;
  cx.np = ev.a0;
  o.push(ev, cx);
  return true;
}

/** ProcStop: this M lets go of its P. */
function procStop(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  // Only the M that holds a P stops it, so this can always advance.
  const p = o.procEntry(cx.p);
  if (!p) throw fail(`event ${eventName(ev.type)} for proc (${cx.p}) that doesn't exist`);
  if (p.status !== WireProcStatus.Running && p.status !== WireProcStatus.Syscall) {
    throw fail(`${eventName(ev.type)} event for proc that's not Running or Syscall`);
  }
  need(cx, Need.Must, Need.Must, Need.May);
  p.status = WireProcStatus.Idle;
  cx.np = -1;
  o.push(ev, cx);
  return true;
}

/** ProcSteal: another M takes a P left in a syscall. */
function procSteal(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  // The sequence number pins the steal after exactly the GoSyscallBegin
  // that put the P there.
  const pid = ev.a0;
  const p = o.procEntry(pid);
  const ready = pReady(
    p,
    pid,
    WireProcStatus.Syscall,
    WireProcStatus.SyscallAbandoned,
    ev.a1,
    gen,
  );
  if (ready !== true) return ready;
  need(cx, Need.Must, Need.May, Need.May);
  const oldStatus = p!.status;
  ev.a3 = oldStatus; // Idle -> Idle for an abandoned P, Running -> Idle otherwise
  p!.status = WireProcStatus.Idle;
  p!.seqGen = gen;
  p!.seq = ev.a1;
  if (oldStatus === WireProcStatus.SyscallAbandoned) {
    // The M it came from may have moved on; leave it alone.
    o.push(ev, cx);
    return true;
  }
  const mid = ev.a2;
  if (mid === cx.m) {
    // Stealing from ourselves is a ProcStop.
    if (cx.p !== pid) {
      throw fail(`tried to self-steal proc ${pid} (thread ${mid}), but got proc ${cx.p} instead`);
    }
    cx.np = -1;
    o.push(ev, cx);
    return true;
  }
  const victim = o.threadEntry(mid);
  if (!victim) throw fail(`stole proc from non-existent thread ${mid}`);
  if (victim.p !== pid) {
    throw fail(`tried to steal proc ${pid} from thread ${mid}, but got proc ${victim.p} instead`);
  }
  // The victim M is in the syscall and loses its P; its GoSyscallEndBlocked can now advance.
  victim.p = -1;
  o.push(ev, cx);
  return true;
}

// --- Goroutines ---

/** GoStatus, GoStatusStack: a goroutine's status at the start of a generation. */
function goStatus(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  const gid = ev.a0;
  const mid = ev.a1;
  const status = ev.a2 as WireGoStatus;
  if (status < 0 || status > WireGoStatus.Waiting) {
    throw fail(`invalid status for goroutine ${gid}: ${status}`);
  }
  let oldState = goStateOfWire(status);
  const s = o.goEntry(gid);
  if (s) {
    if (s.status !== status) {
      throw fail(
        `inconsistent status for goroutine ${gid}: old ${wireGoStatusName(s.status)} vs. new ${
          wireGoStatusName(status)
        }`,
      );
    }
    s.seqGen = gen;
    s.seq = 0;
  } else if (gen === o.initialGen) {
    o.gStates.set(gid, newGoEntry(gid, status, gen));
    oldState = GoStateCode.Undetermined;
  } else {
    throw fail(
      `found goroutine status for new goroutine after the first generation: id=${gid} status=${
        wireGoStatusName(status)
      }`,
    );
  }
  ev.a2 = oldState * 65536 + status; // the event shows old -> new
  if (status === WireGoStatus.Running) {
    cx.ng = gid;
  } else if (status === WireGoStatus.Syscall) {
    if (mid === -1) throw fail(`found goroutine ${gid} in syscall without a thread`);
    if (mid === cx.m) {
      // The syscall is on this thread: bind it.
      if (gen !== o.initialGen && cx.g !== gid) {
        throw fail(
          `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${cx.g}`,
        );
      }
      cx.ng = gid;
    } else {
      // A goroutine sitting in a syscall on another M for the whole
      // generation; that M holds no P.
      const other = o.threadEntry(mid);
      if (other) {
        if (other.g !== gid) {
          throw fail(
            `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${other.g}`,
          );
        }
        cx.g = other.g;
      } else {
        o.mStates.set(mid, { g: gid, p: -1 });
      }
      cx.m = mid;
    }
  }
  o.push(ev, cx);
  return true;
}

/** GoCreate, GoCreateBlocked: a new goroutine, runnable or waiting. */
function goCreate(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  // Created on a running P, by a running goroutine if there is one.
  need(cx, Need.Must, Need.Must, Need.May);
  const cur = o.goEntry(cx.g);
  if (cur && cur.status !== WireGoStatus.Running) {
    throw fail(`${eventName(ev.type)} event for goroutine that's not Running`);
  }
  if (o.goEntry(ev.a0)) throw fail(`tried to create goroutine (${ev.a0}) that already exists`);
  const status = ev.type === Ev.GoCreate ? WireGoStatus.Runnable : WireGoStatus.Waiting;
  o.gStates.set(ev.a0, newGoEntry(ev.a0, status, gen));
  o.push(ev, cx);
  return true;
}

/** GoCreateSyscall: a cgo callback's goroutine appears in a syscall on this M. */
function goCreateSyscall(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  need(cx, Need.Must, Need.May, Need.No);
  if (o.goEntry(ev.a0)) {
    throw fail(`tried to create goroutine (${ev.a0}) in syscall that already exists`);
  }
  o.gStates.set(ev.a0, newGoEntry(ev.a0, WireGoStatus.Syscall, gen));
  cx.ng = ev.a0;
  o.push(ev, cx);
  return true;
}

/** GoStart: a runnable goroutine runs, at its next sequence number, on this M's P. */
function goStart(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  const g = o.goEntry(ev.a0);
  const ready = gReady(g, ev.a0, WireGoStatus.Runnable, ev.a1, gen);
  if (ready !== true) return ready;
  need(cx, Need.Must, Need.Must, Need.No);
  g!.status = WireGoStatus.Running;
  g!.seqGen = gen;
  g!.seq = ev.a1;
  cx.ng = ev.a0;
  o.push(ev, cx);
  return true;
}

/** GoDestroy, GoStop, GoBlock: the running goroutine leaves this M. */
function goStopExec(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  // Bound to this M, so always advanceable.
  needUserG(cx);
  const g = runningG(o, ev, cx, WireGoStatus.Running, "Running");
  if (ev.type === Ev.GoDestroy) o.gStates.delete(cx.g);
  else g.status = ev.type === Ev.GoStop ? WireGoStatus.Runnable : WireGoStatus.Waiting;
  cx.ng = -1;
  o.push(ev, cx);
  return true;
}

/** GoUnblock: a waiting goroutine becomes runnable. */
function goUnblock(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  // Anything (even an M with no G, like sysmon) may unblock; the
  // goroutine's sequence number says when.
  const g = o.goEntry(ev.a0);
  const ready = gReady(g, ev.a0, WireGoStatus.Waiting, ev.a1, gen);
  if (ready !== true) return ready;
  g!.status = WireGoStatus.Runnable;
  g!.seqGen = gen;
  g!.seq = ev.a1;
  o.push(ev, cx);
  return true;
}

/** GoSwitch, GoSwitchDestroy: a coroutine switch (unblock, block or destroy, start). */
function goSwitch(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  // Unblock the next goroutine, block (or destroy) the current one, and
  // start the next, all at once. Ordered like a GoStart.
  needUserG(cx);
  const cur = runningG(o, ev, cx, WireGoStatus.Running, "Running");
  const nextId = ev.a0;
  const next = o.goEntry(nextId);
  const ready = gReady(next, nextId, WireGoStatus.Waiting, ev.a1, gen);
  if (ready !== true) return ready;
  o.push(ev, cx);
  if (ev.type === Ev.GoSwitch) {
    cur.status = WireGoStatus.Waiting;
    o.pushMade(Ev.GoBlock, ev.time, cx, cx.g);
  } else {
    o.gStates.delete(cx.g);
    o.pushMade(Ev.GoDestroy, ev.time, cx, cx.g);
  }
  next!.status = WireGoStatus.Running;
  next!.seqGen = gen;
  next!.seq = ev.a1;
  cx.ng = nextId;
  o.pushMade(Ev.GoStart, ev.time, cx, -1, nextId, ev.a1);
  return true;
}

/** GoSyscallBegin: the running goroutine enters a syscall, keeping its P. */
function syscallBegin(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  // The P's sequence number advances too: that is what a later ProcSteal
  // names, so the steal binds to exactly this syscall.
  needUserG(cx);
  const g = runningG(o, ev, cx, WireGoStatus.Running, "Running");
  g.status = WireGoStatus.Syscall;
  const p = knownProc(o, cx.p, ev);
  p.status = WireProcStatus.Syscall;
  if (!seqOk(p, ev.a0, gen)) {
    throw fail(
      `failed to advance ${
        eventName(ev.type)
      }: can't make sequence: ${p.seq} (gen=${p.seqGen}) -> ${ev.a0} (gen=${gen})`,
    );
  }
  p.seq = ev.a0;
  o.push(ev, cx);
  return true;
}

/** GoSyscallEnd: back from a syscall on the same M, its P still held. */
function syscallEnd(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  // Always advanceable.
  needUserG(cx);
  const g = runningG(o, ev, cx, WireGoStatus.Syscall, "Running");
  g.status = WireGoStatus.Running;
  const p = knownProc(o, cx.p, ev);
  if (p.status !== WireProcStatus.Syscall) {
    throw fail(
      `expected proc ${cx.p} in state Syscall, but got ${wireProcStatusName(p.status)} instead`,
    );
  }
  p.status = WireProcStatus.Running;
  o.push(ev, cx);
  return true;
}

/** GoSyscallEndBlocked: back from a syscall that lost its P. */
function syscallEndBlocked(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  // Waits until that P has left the syscall state (stolen or stopped).
  // Having a new P by now is fine.
  if (cx.p !== -1) {
    const p = knownProc(o, cx.p, ev);
    if (p.status === WireProcStatus.Syscall) return { why: "p-in-syscall", m: cx.m, p: cx.p };
  }
  need(cx, Need.Must, Need.May, Need.Must);
  const g = runningG(o, ev, cx, WireGoStatus.Syscall, "Running");
  g.status = WireGoStatus.Runnable;
  cx.ng = -1;
  o.push(ev, cx);
  return true;
}

/** GoDestroySyscall: a cgo callback's goroutine goes away. */
function goDestroySyscall(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  // If it held a P, that P is abandoned (the thread id may be reused
  // later), with a self-steal.
  need(cx, Need.Must, Need.May, Need.Must);
  runningG(o, ev, cx, WireGoStatus.Syscall, "Syscall");
  o.gStates.delete(cx.g);
  cx.ng = -1;
  if (cx.p !== -1) {
    const p = o.procEntry(cx.p);
    if (!p) throw fail(`found invalid proc ${cx.p} during ${eventName(ev.type)}`);
    if (p.status !== WireProcStatus.Syscall) {
      throw fail(
        `proc ${cx.p} in unexpected state ${wireProcStatusName(p.status)} during ${
          eventName(ev.type)
        }`,
      );
    }
    p.status = WireProcStatus.SyscallAbandoned;
    cx.np = -1;
    o.pushMade(Ev.ProcSteal, ev.time, cx, cx.g, cx.p, 0, 0, WireProcStatus.Syscall);
  }
  o.push(ev, cx);
  return true;
}

// --- Ranges bound to goroutines (STW, mark assist) ---

/** STWBegin, GCMarkAssistBegin: the running goroutine begins a range on its own M. */
function goRangeBegin(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  // Always advanceable; the same range (and STW kind) may not be open twice.
  needUserG(cx);
  const g = o.goEntry(cx.g);
  if (!g) {
    throw fail(
      `encountered event of type ${ev.type} without known state for current goroutine ${cx.g}`,
    );
  }
  const desc = ev.type === Ev.STWBegin ? ev.a0 : 0;
  beginRange(g.ranges, { typ: rangeBeginType(ev.type), desc });
  o.push(ev, cx);
  return true;
}

/** GCMarkAssistActive: a goroutine was in a range when the generation began. */
function goRangeActive(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  // Names a goroutine that need not be running: no context checks.
  const g = o.goEntry(ev.a0);
  if (!g) throw fail(`uninitialized goroutine ${ev.a0} found during ${eventName(ev.type)}`);
  activeRange(g.ranges, { typ: rangeBeginType(ev.type), desc: 0 }, gen === o.initialGen);
  o.push(ev, cx);
  return true;
}

/** STWEnd, GCMarkAssistEnd: the goroutine in the range ends it, on its own M. */
function goRangeEnd(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  // The goroutine that began it, or that was active in it when the trace started.
  needUserG(cx);
  const g = o.goEntry(cx.g);
  if (!g) {
    throw fail(
      `encountered event of type ${ev.type} without known state for current goroutine ${cx.g}`,
    );
  }
  const desc = endRange(g.ranges, ev.type);
  // The end carries the kind of its begin, so it can name the range.
  if (ev.type === Ev.STWEnd) ev.a0 = desc;
  o.push(ev, cx);
  return true;
}

// --- GC: begin and end carry a global sequence number ---

/** GCActive: a GC already running when the trace (or generation) began. */
function gcActive(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  // In the first generation it establishes the sequence; later it must be the next one.
  const seq = ev.a0;
  if (gen === o.initialGen) {
    if (o.gcState !== GcState.Undetermined) {
      throw fail("GCActive in the first generation isn't first GC event");
    }
    o.gcSeq = seq;
    o.gcState = GcState.Running;
    o.push(ev, cx);
    return true;
  }
  if (seq !== o.gcSeq + 1) return { why: "gc-seq", have: o.gcSeq, want: seq };
  if (o.gcState !== GcState.Running) {
    throw fail("encountered GCActive while GC was not in progress");
  }
  o.gcSeq = seq;
  needUserG(cx);
  o.push(ev, cx);
  return true;
}

/** GCBegin: a GC cycle begins. */
function gcBegin(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  // Begin and end may be on different Ms: the sequence number, not the
  // timestamps, says which GC cycle comes next.
  const seq = ev.a0;
  if (o.gcState === GcState.Undetermined) {
    o.gcSeq = seq;
    o.gcState = GcState.Running;
    o.push(ev, cx);
    return true;
  }
  if (seq !== o.gcSeq + 1) return { why: "gc-seq", have: o.gcSeq, want: seq };
  if (o.gcState === GcState.Running) {
    throw fail("encountered GCBegin while GC was already in progress");
  }
  o.gcSeq = seq;
  o.gcState = GcState.Running;
  needUserG(cx);
  o.push(ev, cx);
  return true;
}

/** GCEnd: the GC cycle ends. */
function gcEnd(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  const seq = ev.a0;
  if (seq !== o.gcSeq + 1) return { why: "gc-seq", have: o.gcSeq, want: seq };
  if (o.gcState === GcState.NotRunning) {
    throw fail("encountered GCEnd when GC was not in progress");
  }
  if (o.gcState === GcState.Undetermined) {
    throw fail("encountered GCEnd when GC was in an undetermined state");
  }
  o.gcSeq = seq;
  o.gcState = GcState.NotRunning;
  needUserG(cx);
  o.push(ev, cx);
  return true;
}

// --- Sweep: a range bound to a P ---

/** GCSweepBegin: a P sweeps (with or without a goroutine); its own M begins and ends it. */
function sweepBegin(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  need(cx, Need.Must, Need.Must, Need.May);
  beginRange(o.pStates.get(cx.p)!.ranges, { typ: rangeBeginType(ev.type), desc: 0 });
  o.push(ev, cx);
  return true;
}

/** GCSweepActive: a P was sweeping when the generation began. */
function sweepActive(o: Ordering, ev: WireEvent, cx: SchedCtx, gen: number): Advance {
  // Names a P that may not be this M's: no context checks.
  const p = o.pStates.get(ev.a0);
  if (!p) throw fail(`encountered GCSweepActive for unknown proc ${ev.a0}`);
  activeRange(p.ranges, { typ: rangeBeginType(ev.type), desc: 0 }, gen === o.initialGen);
  o.push(ev, cx);
  return true;
}

/** GCSweepEnd: on the M that holds the sweeping P. */
function sweepEnd(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  need(cx, Need.Must, Need.Must, Need.May);
  endRange(o.pStates.get(cx.p)!.ranges, ev.type);
  o.push(ev, cx);
  return true;
}

// --- Metrics and annotations: instantaneous, need only context ---

/** HeapAlloc, HeapGoal: on a running P. */
function heapMetric(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  need(cx, Need.Must, Need.Must, Need.May);
  o.push(ev, cx);
  return true;
}

/** ProcsChange, GoLabel, UserLog: by a running goroutine. */
function annotation(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  needUserG(cx);
  o.push(ev, cx);
  return true;
}

/** The alloc/free experiment's events: instantaneous, a P is optional. */
function experimental(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  need(cx, Need.Must, Need.May, Need.May);
  o.push(ev, cx);
  return true;
}

// --- Tasks: may span generations; ends may repeat or lack a begin ---

/** UserTaskBegin: a task begins, named and with its parent. */
function taskBegin(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  const id = ev.a0;
  if (o.activeTasks.has(id)) throw fail(`task ID conflict: ${id}`);
  // Parent 0 means "no parent", not the background task.
  let parent = ev.a1;
  if (parent === 0) parent = ev.a1 = NO_TASK;
  const name = o.tables!.string(ev.a2);
  if (name === undefined) throw fail(`invalid string ID ${ev.a2} for ${ev.type} event`);
  o.activeTasks.set(id, { name, parent });
  needUserG(cx);
  o.push(ev, cx);
  return true;
}

/** UserTaskEnd: a task ends. */
function taskEnd(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  // The end names its task's parent and type, which may come from an
  // earlier generation whose string table is gone: carry the name over.
  const t = o.activeTasks.get(ev.a0);
  if (t) {
    ev.a2 = t.parent;
    ev.a3 = o.tables!.addExtraString(t.name);
    o.activeTasks.delete(ev.a0);
  } else {
    ev.a2 = NO_TASK;
    ev.a3 = 0;
  }
  needUserG(cx);
  o.push(ev, cx);
  return true;
}

/** UserRegionBegin, UserRegionEnd: regions nest per goroutine. */
function region(o: Ordering, ev: WireEvent, cx: SchedCtx): Advance {
  // An end with nothing open is allowed (the region began before the trace did).
  needUserG(cx);
  const name = o.tables!.string(ev.a1);
  if (name === undefined) throw fail(`invalid string ID ${ev.a1} for ${ev.type} event`);
  const g = o.goEntry(cx.g);
  if (!g) {
    const which = ev.type === Ev.UserRegionBegin ? "EvUserRegionBegin" : "EvUserRegionEnd";
    throw fail(`encountered ${which} without known state for current goroutine ${cx.g}`);
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
  o.push(ev, cx);
  return true;
}

/** Any type without a rule: the trace is corrupt. */
function badType(_o: Ordering, ev: WireEvent): Advance {
  throw fail(`bad event type found while ordering: ${ev.type}`);
}

// The table: each rule, its name (for explanations) and the event types it orders.
const TABLE: readonly [name: string, rule: Rule, types: readonly number[]][] = [
  ["proc-status", procStatus, [Ev.ProcStatus]],
  ["proc-start", procStart, [Ev.ProcStart]],
  ["proc-stop", procStop, [Ev.ProcStop]],
  ["proc-steal", procSteal, [Ev.ProcSteal]],
  ["go-status", goStatus, [Ev.GoStatus, Ev.GoStatusStack]],
  ["go-create", goCreate, [Ev.GoCreate, Ev.GoCreateBlocked]],
  ["go-create-syscall", goCreateSyscall, [Ev.GoCreateSyscall]],
  ["go-start", goStart, [Ev.GoStart]],
  ["go-stop-exec", goStopExec, [Ev.GoDestroy, Ev.GoStop, Ev.GoBlock]],
  ["go-unblock", goUnblock, [Ev.GoUnblock]],
  ["go-switch", goSwitch, [Ev.GoSwitch, Ev.GoSwitchDestroy]],
  ["syscall-begin", syscallBegin, [Ev.GoSyscallBegin]],
  ["syscall-end", syscallEnd, [Ev.GoSyscallEnd]],
  ["syscall-end-blocked", syscallEndBlocked, [Ev.GoSyscallEndBlocked]],
  ["go-destroy-syscall", goDestroySyscall, [Ev.GoDestroySyscall]],
  ["go-range-begin", goRangeBegin, [Ev.STWBegin, Ev.GCMarkAssistBegin]],
  ["go-range-active", goRangeActive, [Ev.GCMarkAssistActive]],
  ["go-range-end", goRangeEnd, [Ev.STWEnd, Ev.GCMarkAssistEnd]],
  ["gc-active", gcActive, [Ev.GCActive]],
  ["gc-begin", gcBegin, [Ev.GCBegin]],
  ["gc-end", gcEnd, [Ev.GCEnd]],
  ["sweep-begin", sweepBegin, [Ev.GCSweepBegin]],
  ["sweep-active", sweepActive, [Ev.GCSweepActive]],
  ["sweep-end", sweepEnd, [Ev.GCSweepEnd]],
  ["heap-metric", heapMetric, [Ev.HeapAlloc, Ev.HeapGoal]],
  ["annotation", annotation, [Ev.ProcsChange, Ev.GoLabel, Ev.UserLog]],
  ["task-begin", taskBegin, [Ev.UserTaskBegin]],
  ["task-end", taskEnd, [Ev.UserTaskEnd]],
  ["region-begin", region, [Ev.UserRegionBegin]],
  ["region-end", region, [Ev.UserRegionEnd]],
  [
    "experimental",
    experimental,
    Array.from({ length: Ev.GoroutineStackFree - Ev.Span + 1 }, (_, i) => Ev.Span + i),
  ],
];

/**
 * The rule for each event type (256 entries; types without one throw), from
 * the one table in this module.
 *
 * @example
 * ```ts
 * import { RULES } from "./rules.ts";
 * import { Ev } from "../wire/spec.ts";
 * console.assert(RULES[Ev.GoStart].name === "goStart");
 * ```
 */
export const RULES: readonly Rule[] = (() => {
  const out: Rule[] = new Array(256).fill(badType);
  for (const [, rule, types] of TABLE) for (const t of types) out[t] = rule;
  return out;
})();

/**
 * Names of the rules by event type, for explanations: which rule placed an
 * event. Derived from the same table as {@link RULES}.
 *
 * @example
 * ```ts
 * import { RULE_NAMES } from "./rules.ts";
 * import { Ev } from "../wire/spec.ts";
 * console.assert(RULE_NAMES[Ev.ProcSteal] === "proc-steal");
 * ```
 */
export const RULE_NAMES: Readonly<Record<number, string>> = (() => {
  const out: Record<number, string> = {};
  for (const [name, , types] of TABLE) for (const t of types) out[t] = name;
  return out;
})();

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
  readonly gStates: IdTable<GoEntry> = new IdTable();
  /** Ps by id. */
  readonly pStates: IdTable<ProcEntry> = new IdTable();
  /** Threads by id. */
  readonly mStates: IdTable<ThreadEntry> = new IdTable();
  /** Tasks begun and not ended: name and parent, carried across generations. */
  readonly activeTasks: Map<number, { name: string; parent: number }> = new Map();
  /** Last GC sequence number seen. */
  gcSeq = 0;
  /** Where GC stands. */
  gcState: GcState = GcState.Undetermined;
  /** First generation seen (where unknown prior state is allowed). */
  initialGen = 0;
  /** Events placed but not yet handed out: `queue[head..tail)`. */
  queue: Event[] = [];
  /**
   * Whether the queue's Event objects are filled again once handed out,
   * instead of new ones made: for a reader whose caller keeps no event
   * (`Reader.scan`). Fewer young objects, fewer collections.
   */
  reuseEvents = false;
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
   * (see `fastLane`); off for tests that hold it to the rules, and while a
   * journal is kept.
   */
  useFastLane = true;
  /** The tables of the generation under advance (string look-ups of the task and region rules). */
  tables: GenTables | null = null;
  /**
   * What each advance touched, as it was before: kept only when asked for
   * ({@link keepJournal}), for the stepper's account of each step.
   */
  journal: Journal | null = null;
  // Last thread looked up: consecutive events mostly come from the same M.
  private lastM = NaN; // matches no M id, not even the wrapped 2^64-2
  private lastMs: ThreadEntry | undefined;
  // Recently seen threads by the low bits of their id (entries, once made,
  // stay the same objects); NaN matches no id.
  private readonly recentM = new Float64Array(8).fill(NaN);
  private readonly recentMs: (ThreadEntry | undefined)[] = new Array(8).fill(undefined);
  // The context of the event under advance, one object reused for every advance.
  private readonly cx: SchedCtx = { m: -1, p: -1, g: -1, np: -1, ng: -1 };

  /**
   * An empty scheduler state.
   * @param version trace version (the minor number of Go 1.x)
   */
  constructor(version: number) {
    this.version = version;
  }
  /** Trace version (the minor number of Go 1.x). */
  // Not a parameter property: a class with one has every field emitted as
  // declared undefined and set in the constructor, and V8 then keeps the
  // numbers as tagged values, boxing each time written (see BatchCursor).
  declare readonly version: number;

  /** Starts keeping a journal of what each advance touches (the fast lane is left off). */
  keepJournal(): Journal {
    this.useFastLane = false;
    return this.journal ??= new Journal();
  }

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
   * more than the array. (Unless the events are reused: then the array
   * and its events are kept, to be filled again.)
   */
  drained(): void {
    this.head = this.tail = 0;
    if (!this.reuseEvents) this.queue = [];
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

  /** Goroutine `id`'s entry, for a rule that may change it (noted in the journal). */
  goEntry(id: number): GoEntry | undefined {
    const s = this.gStates.get(id);
    if (this.journal !== null) this.journal.noteG(id, s);
    return s;
  }

  /** P `id`'s entry, for a rule that may change it (noted in the journal). */
  procEntry(id: number): ProcEntry | undefined {
    const s = this.pStates.get(id);
    if (this.journal !== null) this.journal.noteP(id, s);
    return s;
  }

  /** Thread `id`'s entry, for a rule that may change it (noted in the journal). */
  threadEntry(id: number): ThreadEntry | undefined {
    const s = this.mStates.get(id);
    if (this.journal !== null) this.journal.noteM(id, s);
    return s;
  }

  /** Queues the event under advance with its context. */
  push(ev: WireEvent, cx: SchedCtx): void {
    this.place(ev, cx.m, cx.p, cx.g);
  }

  /** Queues the event under advance on thread `m`, with `p` and `g` as its context. */
  private place(ev: WireEvent, m: number, p: number, g: number): void {
    this.enqueue(m, p, g, ev.type, this.stamp(ev.time), ev.a0, ev.a1, ev.a2, ev.a3);
  }

  /** Queues an event a rule makes up (GoSwitch yields three), on `cx`'s M and P. */
  pushMade(
    type: number,
    time: number,
    cx: SchedCtx,
    g: number,
    a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0,
  ): void {
    this.enqueue(cx.m, cx.p, g, type, this.stamp(time), a0, a1, a2, a3);
  }

  /** The time of an event placed now: `time`, forced past the last one placed. */
  private stamp(time: number): number {
    if (time <= this.lastTime) time = this.lastTime + 1;
    this.lastTime = time;
    return time;
  }

  /**
   * Queues a placed event, its time already stamped: the one way into the
   * queue, which a subclass may send elsewhere (the parallel reader's
   * workers write the numbers into typed arrays instead).
   */
  protected enqueue(
    m: number,
    p: number,
    g: number,
    type: number,
    time: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
  ): void {
    const old = this.reuseEvents ? this.queue[this.tail] : undefined;
    if (old !== undefined) refillEvent(old, this.tables, m, p, g, type, time, a0, a1, a2, a3);
    else this.queue[this.tail] = new Event(this.tables, m, p, g, type, time, a0, a1, a2, a3);
    this.tail++;
  }

  /**
   * Tries to advance `ev`, the next event of thread `m` in generation `gen`.
   * Returns true and queues the event(s) if it can happen now; otherwise
   * why it must wait for another thread; throws if the trace is inconsistent.
   */
  advance(ev: WireEvent, tables: GenTables, m: number, gen: number): Advance {
    if (this.initialGen === 0) this.initialGen = gen;
    // Stored only when it changes (a young object stored into an old one
    // takes the write barrier's slow path, and this runs for every event).
    if (this.tables !== tables) this.tables = tables;
    const cx = this.cx;
    const j = this.journal;
    if (j !== null) j.begin(this.gcSeq, this.gcState);
    let ms: ThreadEntry | undefined;
    cx.m = m;
    if (m === -1) {
      cx.p = -1;
      cx.g = -1;
    } else {
      if (m === this.lastM) ms = this.lastMs!;
      else {
        // Thread ids are the OS's, too large for the table's array part:
        // a few recent ones are kept by their low bits instead of hashed.
        const slot = m & 7;
        if (this.recentM[slot] === m) ms = this.recentMs[slot]!;
        else {
          ms = this.mStates.get(m);
          if (!ms) {
            if (j !== null) j.noteM(m, undefined);
            this.mStates.set(m, ms = { g: -1, p: -1 });
          }
          this.recentM[slot] = m;
          this.recentMs[slot] = ms;
        }
        this.lastM = m;
        this.lastMs = ms;
      }
      if (j !== null) j.noteM(m, ms);
      if (this.useFastLane && this.fastLane(ev, ms, m, gen)) return true;
      cx.p = ms.p;
      cx.g = ms.g;
    }
    cx.np = cx.p;
    cx.ng = cx.g;
    const from = this.tail;
    const r = RULES[ev.type](this, ev, cx, gen);
    if (r === true) {
      if (ms) {
        ms.p = cx.np;
        ms.g = cx.ng;
      }
      if (j !== null && this.tail > from) j.commit(this.queue[from]);
    }
    return r;
  }

  /**
   * The fast lane: the events that make up most traces (a goroutine
   * starting, stopping or blocking, being woken, entering a syscall and
   * coming back from it with its P, the heap metrics) when every check of
   * their rule passes. It is the one deliberate copy of rules (`goStart`,
   * `goStopExec`, `goUnblock`, `syscallBegin`, `syscallEnd`, `heapMetric`):
   * the same changes made on the M's entry directly instead of through the
   * context, which pays for itself on the read speed. Any other event, and any of these whose checks do not all
   * pass, is left to {@link RULES} (false), which then decide as if this lane
   * did not exist. tests/order/fast_lane_test.ts and the fuzzer hold it to them.
   */
  private fastLane(ev: WireEvent, ms: ThreadEntry, m: number, gen: number): boolean {
    // Goroutines are looked up in the dense part of their table only: a
    // goroutine elsewhere is no fast case.
    switch (ev.type) {
      case Ev.GoStart: {
        if (ms.p === -1 || ms.g !== -1) return false;
        const g = this.gStates.dense[ev.a0];
        // seqOk holds only for this generation, so seqGen needs no update.
        if (!g || g.status !== WireGoStatus.Runnable || !seqOk(g, ev.a1, gen)) return false;
        g.status = WireGoStatus.Running;
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
        if (!g || g.status !== WireGoStatus.Running) return false;
        g.status = ev.type === Ev.GoStop ? WireGoStatus.Runnable : WireGoStatus.Waiting;
        this.place(ev, m, ms.p, cg);
        ms.g = -1;
        return true;
      }
      case Ev.GoUnblock: {
        const g = this.gStates.dense[ev.a0];
        if (!g || g.status !== WireGoStatus.Waiting || !seqOk(g, ev.a1, gen)) return false;
        g.status = WireGoStatus.Runnable;
        g.seq = ev.a1;
        this.place(ev, m, ms.p, ms.g);
        return true;
      }
      case Ev.GoSyscallBegin:
      case Ev.GoSyscallEnd:
        return this.fastSyscall(ev, ms, m, gen);
      case Ev.HeapAlloc:
      case Ev.HeapGoal:
        // Through the table, the most common metric cost a call per event.
        if (ms.p === -1) return false;
        this.place(ev, m, ms.p, ms.g);
        return true;
    }
    return false;
  }

  /** The fast lane's syscall pair (`syscallBegin`, `syscallEnd`), apart to keep the lane small. */
  private fastSyscall(ev: WireEvent, ms: ThreadEntry, m: number, gen: number): boolean {
    switch (ev.type) {
      case Ev.GoSyscallBegin: {
        const cg = ms.g;
        if (ms.p === -1 || cg === -1) return false;
        const g = this.gStates.dense[cg];
        const p = this.pStates.dense[ms.p];
        if (!g || g.status !== WireGoStatus.Running || !p || !seqOk(p, ev.a0, gen)) return false;
        g.status = WireGoStatus.Syscall;
        p.status = WireProcStatus.Syscall;
        p.seq = ev.a0;
        this.place(ev, m, ms.p, cg);
        return true;
      }
      case Ev.GoSyscallEnd: {
        const cg = ms.g;
        if (ms.p === -1 || cg === -1) return false;
        const g = this.gStates.dense[cg];
        const p = this.pStates.dense[ms.p];
        if (!g || g.status !== WireGoStatus.Syscall) return false;
        if (!p || p.status !== WireProcStatus.Syscall) return false;
        g.status = WireGoStatus.Running;
        p.status = WireProcStatus.Running;
        this.place(ev, m, ms.p, cg);
        return true;
      }
    }
    return false;
  }

  /**
   * A deep copy of the state (without the queue and journal), for dry runs:
   * the stepper asks a copy whether an event could advance without changing
   * anything.
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
    let s = "";
    for (const [id, g] of this.gStates.entries()) {
      s += `G ${id} [status=${wireGoStatusName(g.status)} seq=${g.seq} (gen=${g.seqGen})]\n`;
    }
    s += "\n";
    for (const [id, p] of this.pStates.entries()) {
      s += `P ${id} [status=${wireProcStatusName(p.status)} seq=${p.seq} (gen=${p.seqGen})]\n`;
    }
    s += "\n";
    for (const [id, st] of this.mStates.entries()) s += `M ${id} [g=${st.g} p=${st.p}]\n`;
    s += "\n";
    s += `GC ${this.gcSeq} ${GC_STATE_NAMES[this.gcState]}\n`;
    return s;
  }
}

/** True when `seq` in generation `gen` is the immediate successor of the resource's counter. */
function seqOk(s: { seqGen: number; seq: number }, seq: number, gen: number): boolean {
  return s.seqGen === gen && seq === s.seq + 1;
}
