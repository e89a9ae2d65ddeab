/**
 * The replayed scheduler state as plain objects: tables of goroutines, Ps
 * and Ms that print with `console.table` and serialise as JSON.
 *
 * @module
 */

import type { Ordering } from "../order/rules.ts";
import { GC_STATE_NAMES } from "../order/state.ts";
import { wireGoStatusName, WireProcStatus, wireProcStatusName } from "../wire/spec.ts";

/** A goroutine as the ordering engine sees it. */
export interface GoroutineRow {
  /** Goroutine id. */
  id: number;
  /** Wire status: Runnable, Running, Syscall, Waiting. */
  status: string;
  /** M it runs on (or sits in a syscall on), -1 if none. */
  m: number;
  /** P of that M, -1 if none. */
  p: number;
  /** Sequence number within its generation. */
  seq: number;
  /** Generation of the sequence number. */
  seqGen: number;
  /** Why it last blocked or stopped, or the syscall it is in (from the events seen). */
  detail: string;
}

/** A P as the ordering engine sees it. */
export interface ProcRow {
  /** P id. */
  id: number;
  /** Wire status: Running, Idle, Syscall (SyscallAbandoned shows as Abandoned). */
  status: string;
  /** M holding it, -1 if none. */
  m: number;
  /** Goroutine running on that M, -1 if none. */
  g: number;
  /** Sequence number within its generation. */
  seq: number;
  /** Generation of the sequence number. */
  seqGen: number;
}

/** A thread and what it holds. */
export interface ThreadRow {
  /** M id. */
  id: number;
  /** P it holds, -1 if none. */
  p: number;
  /** Goroutine it runs, -1 if none. */
  g: number;
}

/** The three tables. */
export interface SchedState {
  /** Goroutines by id. */
  goroutines: GoroutineRow[];
  /** Ps by id. */
  procs: ProcRow[];
  /** Threads by id. */
  threads: ThreadRow[];
  /** GC: last sequence number and whether it is running. */
  gc: { seq: number; state: string };
}

/**
 * Copies the state out of an ordering engine.
 *
 * @example
 * ```ts
 * import { snapshot } from "./snapshot.ts";
 * import { Ordering } from "../order/rules.ts";
 * const s = snapshot(new Ordering(22), () => "");
 * console.assert(s.goroutines.length === 0 && s.gc.state === "Undetermined");
 * ```
 */
export function snapshot(o: Ordering, detail: (g: number) => string): SchedState {
  const gOnM = new Map<number, number>();
  const pOnM = new Map<number, number>();
  const threads: ThreadRow[] = [];
  for (const [id, m] of o.mStates) {
    threads.push({ id, p: m.p, g: m.g });
    if (m.g !== -1) gOnM.set(m.g, id);
    if (m.p !== -1) pOnM.set(m.p, id);
  }
  const goroutines: GoroutineRow[] = [];
  for (const [id, g] of o.gStates) {
    const m = gOnM.get(id) ?? -1;
    const p = m === -1 ? -1 : o.mStates.get(m)!.p;
    goroutines.push({
      id,
      status: wireGoStatusName(g.status),
      m,
      p,
      seq: g.seq,
      seqGen: g.seqGen,
      detail: detail(id),
    });
  }
  const procs: ProcRow[] = [];
  for (const [id, p] of o.pStates) {
    const m = pOnM.get(id) ?? -1;
    procs.push({
      id,
      status: p.status === WireProcStatus.SyscallAbandoned
        ? "Abandoned"
        : wireProcStatusName(p.status),
      m,
      g: m === -1 ? -1 : o.mStates.get(m)!.g,
      seq: p.seq,
      seqGen: p.seqGen,
    });
  }
  const gc = { seq: o.gcSeq, state: GC_STATE_NAMES[o.gcState] };
  return { goroutines, procs, threads, gc };
}
