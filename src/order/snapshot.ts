/**
 * The ordering state as plain data, to send between threads and compare:
 * what one generation leaves for the next (G, P and M states, active tasks,
 * GC sequence). Placed events and the last time are not part of it.
 *
 * @module
 */

import { Ordering } from "./rules.ts";
import { Ev, type WireGoStatus, type WireProcStatus } from "../wire/spec.ts";
import type { GcState } from "./state.ts";

/** A goroutine: id, status, sequence generation and number, regions [task, name], ranges [type, desc]. */
export type GSnapshot = [number, number, number, number, [number, string][], [number, number][]];
/** A P: id, status, sequence generation and number, ranges [type, desc]. */
export type PSnapshot = [number, number, number, number, [number, number][]];

/**
 * The state an {@link Ordering} carries from one generation to the next.
 *
 * @example
 * ```ts
 * import { Ordering } from "./rules.ts";
import { Ev } from "../wire/spec.ts";
 * import { orderingFromSnapshot, snapshotOrdering } from "./snapshot.ts";
 * const o = new Ordering(25);
 * o.mStates.set(7, { g: 1, p: 0 });
 * const s = snapshotOrdering(o);
 * console.assert(s.ms[0].join() === "7,1,0");
 * console.assert(orderingFromSnapshot(25, s, 0).mStates.get(7)!.g === 1);
 * ```
 */
export interface OrderingSnapshot {
  /** Goroutines, by ascending id. */
  gs: GSnapshot[];
  /** Ps, by ascending id. */
  ps: PSnapshot[];
  /** Threads: id, goroutine, P. */
  ms: [number, number, number][];
  /** Active tasks: id, name, parent. */
  tasks: [number, string, number][];
  /** Last GC sequence number. */
  gcSeq: number;
  /** Where GC stands. */
  gcState: GcState;
  /** First generation seen (0: none yet). */
  initialGen: number;
}

/**
 * The carried-over state of `o`, as plain data.
 *
 * @example
 * ```ts
 * import { Ordering } from "./rules.ts";
import { Ev } from "../wire/spec.ts";
 * import { snapshotOrdering } from "./snapshot.ts";
 * console.assert(snapshotOrdering(new Ordering(22)).gs.length === 0);
 * ```
 */
export function snapshotOrdering(o: Ordering): OrderingSnapshot {
  return {
    gs: o.gStates.entries().map(([id, g]) => [
      id,
      g.status,
      g.seqGen,
      g.seq,
      g.regions.map((r) => [r.task, r.name]),
      g.ranges.map((r) => [r.typ, r.desc]),
    ]),
    ps: o.pStates.entries().map((
      [id, p],
    ) => [id, p.status, p.seqGen, p.seq, p.ranges.map((r) => [r.typ, r.desc])]),
    ms: o.mStates.entries().map(([id, m]) => [id, m.g, m.p]),
    tasks: [...o.activeTasks].map(([id, t]) => [id, t.name, t.parent]),
    gcSeq: o.gcSeq,
    gcState: o.gcState,
    initialGen: o.initialGen,
  };
}

/**
 * An {@link Ordering} in the state `s` describes, with `lastTime` as the time
 * of the last event handed out: where a reader goes on from. Given `into`,
 * a new Ordering that no event has gone through yet, that one is filled.
 *
 * @example
 * ```ts
 * import { orderingFromSnapshot } from "./snapshot.ts";
 * const s = { gs: [], ps: [[0, 1, 3, 0, []]], ms: [], tasks: [], gcSeq: 4, gcState: 1, initialGen: 1 };
 * const o = orderingFromSnapshot(22, s as never, 99);
 * console.assert(o.pStates.get(0)!.status === 1 && o.gcSeq === 4 && o.lastTime === 99);
 * ```
 */
export function orderingFromSnapshot(
  version: number,
  s: OrderingSnapshot,
  lastTime: number,
  into?: Ordering,
): Ordering {
  // A fresh ordering of the caller's own class (a worker's packs its events).
  const o = into ?? new Ordering(version);
  for (const [id, status, seqGen, seq, regions, ranges] of s.gs) {
    o.gStates.set(id, {
      id,
      status: status as WireGoStatus,
      seqGen,
      seq,
      regions: regions.map(([task, name]) => ({ task, name })),
      ranges: ranges.map(([typ, desc]) => ({ typ, desc })),
    });
  }
  for (const [id, status, seqGen, seq, ranges] of s.ps) {
    o.pStates.set(id, {
      id,
      status: status as WireProcStatus,
      seqGen,
      seq,
      ranges: ranges.map(([typ, desc]) => ({ typ, desc })),
    });
  }
  for (const [id, g, p] of s.ms) o.mStates.set(id, { g, p });
  for (const [id, name, parent] of s.tasks) o.activeTasks.set(id, { name, parent });
  o.gcSeq = s.gcSeq;
  o.gcState = s.gcState;
  o.initialGen = s.initialGen;
  o.lastTime = lastTime;
  return o;
}

/**
 * What the true state before a generation holds beyond the state a worker
 * starts it from (the one the generation announces, or one the worker
 * reached by ordering the generations before it): entries the worker never
 * saw. They are inert as long as no later event names them (see
 * {@link refsAllowed}); the GC sequence is unknown to the worker until its
 * first GC event.
 *
 * @example
 * ```ts
 * import { inertDifference } from "./snapshot.ts";
 * const base = { gs: [], ps: [], ms: [[3, -1, -1]], tasks: [], gcSeq: 2, gcState: 1, initialGen: 1 };
 * const own = { gs: [], ps: [], ms: [], tasks: [], gcSeq: 0, gcState: 0, initialGen: 4 };
 * const d = inertDifference(base as never, own as never)!;
 * console.assert(d.ms.has(3) && d.gc);
 * ```
 */
export interface Inert {
  /** The true state the difference was taken against. */
  base: OrderingSnapshot;
  /** Goroutines only the true state has. */
  gs: Set<number>;
  /** Ps only the true state has. */
  ps: Set<number>;
  /** Threads only the true state has (all idle: no G, no P). */
  ms: Set<number>;
  /** Active tasks only the true state has. */
  tasks: Set<number>;
  /** The worker has seen no GC event yet, the true state has. */
  gc: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Compares the true state `base` before a generation with `own`, the state a
 * worker reached on its own. Null when the worker's next generation could be
 * ordered differently from the sequential read: an entry both have differs
 * (a region or range carried from further back, a P left in a syscall), the
 * worker has an entry the true state lacks, a thread only the true state
 * knows holds something, or either has not seen an event yet (its next
 * generation would be taken for the first). Otherwise what only `base` has.
 *
 * Given `gen`, the generation about to be ordered, a goroutine's or P's
 * sequence counter from an earlier generation is not compared: no rule can
 * tell two of them apart (an event's sequence number is checked only against
 * a counter of its own generation, which the entry's status event sets).
 */
export function inertDifference(
  base: OrderingSnapshot,
  own: OrderingSnapshot,
  gen?: number,
): Inert | null {
  if (base.initialGen === 0 || own.initialGen === 0) return null;
  const out: Inert = {
    base,
    gs: new Set(),
    ps: new Set(),
    ms: new Set(),
    tasks: new Set(),
    gc: false,
  };
  const extra = <T extends [number, ...unknown[]]>(
    a: T[],
    b: T[],
    into: Set<number>,
    idle?: (e: T) => boolean,
  ): boolean => {
    const mine = new Map(b.map((e) => [e[0], e]));
    for (const e of a) {
      const o = mine.get(e[0]);
      if (o === undefined) {
        if (idle && !idle(e)) return false;
        into.add(e[0]);
      } else if (!same(e, o)) return false;
      mine.delete(e[0]);
    }
    return mine.size === 0;
  };
  // An earlier generation's counter, as any other (see above).
  const stale = <T extends GSnapshot | PSnapshot>(e: T): T =>
    gen !== undefined && e[2] < gen ? [e[0], e[1], -1, -1, ...e.slice(4)] as T : e;
  if (!extra(base.gs.map(stale), own.gs.map(stale), out.gs)) return null;
  if (!extra(base.ps.map(stale), own.ps.map(stale), out.ps)) return null;
  if (!extra(base.ms, own.ms, out.ms, (m) => m[1] === -1 && m[2] === -1)) return null;
  if (!extra(base.tasks, own.tasks, out.tasks)) return null;
  if (own.gcState === 0 && own.gcSeq === 0) out.gc = base.gcState !== 0 || base.gcSeq !== 0;
  else if (own.gcSeq !== base.gcSeq || own.gcState !== base.gcState) return null;
  return out;
}

/** What a generation's events name, where an inert entry would change the rules' verdict. */
export interface GenerationRefs {
  /** Threads named by ProcSteal (the victim) and GoStatus. */
  ms: number[];
  /** Goroutines created (GoCreate, GoCreateBlocked, GoCreateSyscall). */
  gs: number[];
  /** Ps given a status. */
  ps: number[];
  /** Tasks begun or ended. */
  tasks: number[];
  /** The first GC event placed: type and sequence number. */
  gc: [number, number] | null;
}

/**
 * Whether a generation a worker ordered from its own state is also what the
 * sequential read gives, given the entries only the true state has: no
 * event of it names an inert thread, goroutine, P or task, and its first GC
 * event (if the worker had seen none) is the GCBegin that follows the true
 * state's sequence. Updates `inert` past the generation.
 *
 * @example
 * ```ts
 * import { refsAllowed } from "./snapshot.ts";
 * import { Ev } from "../wire/spec.ts";
 * const base = { gs: [], ps: [], ms: [], tasks: [], gcSeq: 2, gcState: 1, initialGen: 1 };
 * const inert = { base, gs: new Set<number>(), ps: new Set<number>(), ms: new Set([5]), tasks: new Set<number>(), gc: true };
 * console.assert(!refsAllowed({ ms: [5], gs: [], ps: [], tasks: [], gc: null }, inert as never));
 * console.assert(refsAllowed({ ms: [], gs: [], ps: [], tasks: [], gc: [Ev.GCBegin, 3] }, inert as never));
 * ```
 */
export function refsAllowed(refs: GenerationRefs, inert: Inert): boolean {
  if (refs.ms.some((m) => inert.ms.has(m))) return false;
  if (refs.gs.some((g) => inert.gs.has(g))) return false;
  if (refs.ps.some((p) => inert.ps.has(p))) return false;
  if (refs.tasks.some((t) => inert.tasks.has(t))) return false;
  if (inert.gc && refs.gc !== null) {
    const b = inert.base;
    if (refs.gc[0] !== Ev.GCBegin || refs.gc[1] !== b.gcSeq + 1 || b.gcState !== 1) return false;
    inert.gc = false;
  }
  return true;
}

/**
 * The true state after a generation, from the worker's own state `own` and
 * the inert entries it lacks.
 *
 * @example
 * ```ts
 * import { withInert } from "./snapshot.ts";
 * const base = { gs: [], ps: [], ms: [[3, -1, -1]], tasks: [], gcSeq: 2, gcState: 1, initialGen: 1 };
 * const own = { gs: [], ps: [], ms: [[4, 1, 0]], tasks: [], gcSeq: 0, gcState: 0, initialGen: 5 };
 * const inert = { base, gs: new Set<number>(), ps: new Set<number>(), ms: new Set([3]), tasks: new Set<number>(), gc: true };
 * const s = withInert(own as never, inert as never);
 * console.assert(s.ms.length === 2 && s.gcSeq === 2 && s.initialGen === 1);
 * ```
 */
export function withInert(own: OrderingSnapshot, inert: Inert): OrderingSnapshot {
  const b = inert.base;
  const add = <T extends [number, ...unknown[]]>(mine: T[], theirs: T[], ids: Set<number>) => {
    if (ids.size === 0) return mine;
    const have = new Set(mine.map((e) => e[0]));
    const all = mine.concat(theirs.filter((e) => ids.has(e[0]) && !have.has(e[0])));
    return all.sort((x, y) => x[0] - y[0]);
  };
  const gcOwn = !(inert.gc && own.gcState === 0 && own.gcSeq === 0);
  return {
    gs: add(own.gs, b.gs, inert.gs),
    ps: add(own.ps, b.ps, inert.ps),
    ms: add(own.ms, b.ms, inert.ms),
    tasks: add(own.tasks, b.tasks, inert.tasks),
    gcSeq: gcOwn ? own.gcSeq : b.gcSeq,
    gcState: gcOwn ? own.gcState : b.gcState,
    initialGen: b.initialGen,
  };
}
