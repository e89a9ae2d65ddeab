/**
 * Ordering of the old format. Each P's batches are in order by themselves;
 * they are merged by repeatedly taking, among the Ps' next events that the
 * goroutines' states allow (per-goroutine sequence numbers, and the GC's own
 * count), the earliest one. This keeps a consistent order even when CPU
 * clocks disagree. Syscall exits then get their real times, and events are
 * sorted by time.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { sortLikeGo } from "../wire/go_sort.ts";
import type { BatchSet, LegacyEvent } from "./batches.ts";
import { FakeP, LegacyEv } from "./spec.ts";

// Goroutine statuses for ordering.
const Dead = 0;
const Runnable = 1;
const Running = 2;
const Waiting = 3;

// In the uint64 number convention (2^64-1 is -1): the key of events with no
// requirement, the key of the GC's sequence, "any sequence" and "one more
// than before". Garbage input can hit these values, as it can in Go.
const UNORDERED = -1;
const GC_KEY = -2;
const ANY_SEQ = -1;
const INC_SEQ = -2;

/** Where a rule takes a value from. */
type Src = "g" | "a0" | "gc" | 0 | 1 | 2 | "a1" | "a1+1" | "a0+1" | "any" | "inc";

/** [whose state, sequence and status needed, sequence and status after]. */
type Rule = [key: Src, seq: Src, status: number, nextSeq: Src, nextStatus: number];

const BLOCKING: Rule = ["g", "any", Running, "any", Waiting];
const UNBLOCK: Rule = ["a0", "a1", Waiting, "a1+1", Runnable];
const UNBLOCK_LOCAL: Rule = ["a0", "any", Waiting, "inc", Runnable];

// Events of other types can be merged at any time. The "Local" variants were
// written on the P that made the goroutine runnable, so they need no sequence.
const RULES: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  [LegacyEv.GoCreate, ["a0", 0, Dead, 1, Runnable]],
  [LegacyEv.GoWaiting, ["g", 1, Runnable, 2, Waiting]],
  [LegacyEv.GoInSyscall, ["g", 1, Runnable, 2, Waiting]],
  [LegacyEv.GoStart, ["g", "a1", Runnable, "a1+1", Running]],
  [LegacyEv.GoStartLabel, ["g", "a1", Runnable, "a1+1", Running]],
  [LegacyEv.GoStartLocal, ["g", "any", Runnable, "inc", Running]],
  [LegacyEv.GoBlock, BLOCKING],
  [LegacyEv.GoBlockSend, BLOCKING],
  [LegacyEv.GoBlockRecv, BLOCKING],
  [LegacyEv.GoBlockSelect, BLOCKING],
  [LegacyEv.GoBlockSync, BLOCKING],
  [LegacyEv.GoBlockCond, BLOCKING],
  [LegacyEv.GoBlockNet, BLOCKING],
  [LegacyEv.GoSleep, BLOCKING],
  [LegacyEv.GoSysBlock, BLOCKING],
  [LegacyEv.GoBlockGC, BLOCKING],
  [LegacyEv.GoSched, ["g", "any", Running, "any", Runnable]],
  [LegacyEv.GoPreempt, ["g", "any", Running, "any", Runnable]],
  [LegacyEv.GoUnblock, UNBLOCK],
  [LegacyEv.GoSysExit, UNBLOCK],
  [LegacyEv.GoUnblockLocal, UNBLOCK_LOCAL],
  [LegacyEv.GoSysExitLocal, UNBLOCK_LOCAL],
  [LegacyEv.GCStart, ["gc", "a0", Dead, "a0+1", Dead]],
]);

// "Local" events only matter for ordering; afterwards they are the plain ones.
const UNLOCAL: ReadonlyMap<number, number> = new Map([
  [LegacyEv.GoStartLocal, LegacyEv.GoStart],
  [LegacyEv.GoUnblockLocal, LegacyEv.GoUnblock],
  [LegacyEv.GoSysExitLocal, LegacyEv.GoSysExit],
]);

function value(src: Src, ev: LegacyEvent): number {
  switch (src) {
    case "g":
      return ev.g;
    case "a0":
      return ev.a0;
    case "a1":
      return ev.a1;
    case "a0+1":
      return wrapInc(ev.a0);
    case "a1+1":
      return wrapInc(ev.a1);
    case "gc":
      return GC_KEY;
    case "any":
      return ANY_SEQ;
    case "inc":
      return INC_SEQ;
    default:
      return src;
  }
}

// uint64 increment in the number convention: 2^64-1 (-1) wraps to 0.
function wrapInc(v: number): number {
  return v + 1;
}

interface GState {
  seq: number;
  status: number;
}

const DEAD: GState = { seq: 0, status: Dead };

function ready(rule: Rule | undefined, ev: LegacyEvent, gs: Map<number, GState>): boolean {
  if (!rule) return true;
  const key = value(rule[0], ev);
  if (key === UNORDERED) return true;
  const cur = gs.get(key) ?? DEAD;
  const seq = value(rule[1], ev);
  return (seq === ANY_SEQ || seq === cur.seq) && rule[2] === cur.status;
}

function apply(rule: Rule | undefined, ev: LegacyEvent, gs: Map<number, GState>): void {
  if (!rule) return;
  const key = value(rule[0], ev);
  if (key === UNORDERED) return;
  if (!ready(rule, ev, gs)) {
    throw new TraceError("ordering", "encountered impossible goroutine state transition", {
      offset: ev.off,
    });
  }
  const cur = gs.get(key) ?? DEAD;
  let seq = value(rule[3], ev);
  if (seq === ANY_SEQ) seq = cur.seq;
  else if (seq === INC_SEQ) seq = wrapInc(cur.seq);
  gs.set(key, { seq, status: rule[4] });
}

interface Proc {
  pid: number;
  events: LegacyEvent[];
  pos: number;
  done: boolean;
}

// A binary min-heap by time over [event, proc] pairs, sifting as Go's
// container/heap does so that equal times come out in the same order.
class TimeHeap {
  readonly evs: LegacyEvent[] = [];
  readonly procs: Proc[] = [];

  get size(): number {
    return this.evs.length;
  }

  push(ev: LegacyEvent, p: Proc): void {
    this.evs.push(ev);
    this.procs.push(p);
    let j = this.evs.length - 1;
    while (j > 0) {
      const i = (j - 1) >> 1;
      if (!(this.evs[j].ts < this.evs[i].ts)) break;
      this.#swap(i, j);
      j = i;
    }
  }

  pop(): [LegacyEvent, Proc] {
    const n = this.evs.length - 1;
    this.#swap(0, n);
    let i = 0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      if (j1 + 1 < n && this.evs[j1 + 1].ts < this.evs[j1].ts) j = j1 + 1;
      if (!(this.evs[j].ts < this.evs[i].ts)) break;
      this.#swap(i, j);
      i = j;
    }
    return [this.evs.pop()!, this.procs.pop()!];
  }

  #swap(i: number, j: number): void {
    const e = this.evs[i];
    this.evs[i] = this.evs[j];
    this.evs[j] = e;
    const p = this.procs[i];
    this.procs[i] = this.procs[j];
    this.procs[j] = p;
  }
}

function swapRemove(list: Proc[], i: number): void {
  list[i] = list[list.length - 1];
  list.pop();
}

/**
 * Merges every P's batches (and the CPU samples) into one consistent
 * stream, gives syscall exits their real times and sorts by time. Times
 * stay in ticks. Throws an "ordering" TraceError when no consistent order
 * exists or times disagree with it.
 *
 * Events with the very same tick on different Ps come out in an order that
 * depends on the order the Ps are first visited in. Go's reader visits them
 * in map order, which is random from run to run, so for such ties it has no
 * one answer; by default Ps are visited by ascending id, and `pOrder` can
 * name another order (Ps it leaves out follow, by ascending id).
 *
 * @example
 * ```ts
 * import { BatchSet } from "./batches.ts";
 * import { mergeBatches } from "./order.ts";
 * // P 0's batch at tick 5: frequency, then GoCreate(g=1, stack 0) with stack 0.
 * const body = new Uint8Array([0x41, 0, 5, 0x02, 100, 0xcd, 4, 1, 1, 0, 0]);
 * const events = mergeBatches(new BatchSet(body, 19, 16));
 * console.assert(events.length === 1 && events[0].a0 === 1);
 * ```
 */
export function mergeBatches(set: BatchSet, pOrder: readonly number[] = []): LegacyEvent[] {
  // CPU samples are written late, by another goroutine: merge them by the
  // time their signal handler saw.
  const samples = set.cpuSamples.slice();
  sortLikeGo(samples, (s) => s.ts); // Go's unstable sort: ties as the reference leaves them
  const pids = set.pids().sort((a, b) => a - b);
  const first = pOrder.filter((p) => pids.includes(p));
  const order = [...new Set([...first, ...pids])];
  const all: Proc[] = order.map((pid) => ({ pid, events: [], pos: 0, done: false }));
  all.push({ pid: FakeP.Profile, events: samples, pos: 0, done: false });
  const gs = new Map<number, GState>();
  const frontier = new TimeHeap();
  const out: LegacyEvent[] = [];
  const avail = all.slice();
  for (;;) {
    next: for (let i = 0; i < avail.length; i++) {
      const proc = avail[i];
      while (proc.pos >= proc.events.length) {
        const evs = set.load(proc.pid);
        if (!evs) {
          proc.done = true;
          swapRemove(avail, i--);
          continue next;
        }
        proc.events = evs;
        proc.pos = 0;
      }
      const ev = proc.events[proc.pos];
      if (!ready(RULES.get(ev.type), ev, gs)) continue;
      proc.pos++;
      swapRemove(avail, i--);
      frontier.push(ev, proc);
    }
    if (frontier.size === 0) {
      const stuck = all.find((p) => !p.done);
      if (stuck) {
        throw new TraceError("ordering", "no consistent ordering of events possible", {
          offset: stuck.events[stuck.pos]?.off,
        });
      }
      break;
    }
    const [ev, proc] = frontier.pop();
    const rule = RULES.get(ev.type);
    ev.type = UNLOCAL.get(ev.type) ?? ev.type;
    out.push(ev);
    apply(rule, ev, gs);
    avail.push(proc);
  }
  for (let i = 1; i < out.length; i++) {
    if (out[i].ts < out[i - 1].ts) throw timeOrder(out[i]);
  }
  fixSyscallExits(out, set.zeroTicks);
  return out.sort((a, b) => a.ts - b.ts);
}

function timeOrder(ev: LegacyEvent): TraceError {
  return new TraceError("ordering", "time stamps out of order", { offset: ev.off });
}

// A syscall exit is written when the goroutine next runs; the time it left
// the syscall is its argument. Use it now that the order is settled.
function fixSyscallExits(events: LegacyEvent[], zero: number): void {
  const lastBlock = new Map<number, number>();
  for (const ev of events) {
    if (ev.type === LegacyEv.GoSysBlock || ev.type === LegacyEv.GoInSyscall) {
      lastBlock.set(ev.g, ev.ts);
    } else if (ev.type === LegacyEv.GoSysExit && ev.a2 !== 0) {
      const block = lastBlock.get(ev.g) ?? zero;
      if (block === zero) {
        throw new TraceError("ordering", "stray syscall exit", { offset: ev.off });
      }
      if (ev.a3 < block) throw timeOrder(ev);
      ev.ts = ev.a3;
    }
  }
}
