/**
 * The ordering state a generation's own announcements imply held before it:
 * a generation names the status of every goroutine and P it touches before
 * it touches them, and the ranges in flight (`GCMarkAssistActive`,
 * `GCSweepActive`, `GCActive`). A worker that orders a run of generations
 * starts from this instead of ordering the generation before its run; the
 * main thread then checks it against the true state exactly as it would a
 * state reached by ordering (see `inertDifference`), so a guess that is
 * wrong costs a fallback, never a different event.
 *
 * @module
 */

import type { Generation } from "../wire/generation.ts";
import { BatchCursor } from "../wire/cursor.ts";
import { Ev, WireGoStatus, WireProcStatus } from "../wire/spec.ts";
import { GcState } from "./state.ts";
import type { GSnapshot, OrderingSnapshot, PSnapshot } from "./snapshot.ts";

/**
 * The state before generation `g` as its events announce it, read from its
 * batches (the engine's cursors are left alone):
 *
 * - a goroutine or P per first status event, with that status, its counter
 *   of an earlier generation (which no rule can tell apart from any other),
 *   no regions, and the ranges the generation says are active on it;
 * - a thread holding the goroutine its batch first says is running there (or
 *   that a status says is in a syscall on it) and the P its batch first says
 *   is running or in a syscall there;
 * - a P that another thread says was abandoned in a syscall: still in its
 *   syscall, held by the thread the generation's first steal of it names,
 *   or, when that thread has no goroutine in a syscall and exactly one
 *   thread that has one holds no P, by that thread;
 * - the GC running, one sequence number before `GCActive`'s, if it says so,
 *   and otherwise not known;
 * - no tasks, and `initialGen` as given (the trace's first generation).
 *
 * Bad bytes end the reading early: what was read so far is returned, and
 * ordering the generation meets the error.
 *
 * @example
 * ```ts
 * import { announcedState } from "./announced.ts";
 * import { TraceBuilder } from "../wire/builder.ts";
 * import { WireGoStatus, WireProcStatus } from "../wire/spec.ts";
 * import { GenerationSplitter } from "../wire/generation.ts";
 * const t = new TraceBuilder(22);
 * t.generation(2).batch(7, 100)
 *   .event("ProcStatus", { dt: 0, p: 0, pstatus: WireProcStatus.Running })
 *   .event("GoStatus", { dt: 0, g: 5, m: 7, gstatus: WireGoStatus.Running });
 * const bytes = t.toBytes();
 * const sp = new GenerationSplitter(22, 16);
 * sp.push(bytes.subarray(16));
 * sp.finish();
 * const r = sp.next();
 * if (r.kind !== "generation") throw new Error(r.kind);
 * const s = announcedState(r.generation, 1);
 * console.assert(s.gs[0][0] === 5 && s.ps[0][0] === 0 && s.ms[0].join() === "7,5,0");
 * ```
 */
export function announcedState(g: Generation, initialGen: number): OrderingSnapshot {
  const gs = new Map<number, GSnapshot>();
  const ps = new Map<number, PSnapshot>();
  const ms = new Map<number, [number, number, number]>();
  const steals = new Map<number, number>();
  let gcSeq = 0;
  let gcState: GcState = GcState.Undetermined;
  const thread = (m: number) => {
    let e = ms.get(m);
    if (!e) ms.set(m, e = [m, -1, -1]);
    return e;
  };
  for (const m of g.batchMs) {
    const c = new BatchCursor(m, g.batches.get(m)!, g.tables);
    try {
      while (c.next()) {
        const t = c.type;
        if (t === Ev.GoStatus || t === Ev.GoStatusStack) {
          if (gs.has(c.a0)) continue;
          gs.set(c.a0, [c.a0, c.a2, 0, 0, [], []]);
          if (c.a2 === WireGoStatus.Running) {
            const e = thread(m);
            if (e[1] === -1) e[1] = c.a0;
          } else if (c.a2 === WireGoStatus.Syscall && c.a1 !== -1) {
            const e = thread(c.a1);
            if (e[1] === -1) e[1] = c.a0;
          }
        } else if (t === Ev.ProcStatus) {
          if (ps.has(c.a0)) continue;
          ps.set(c.a0, [c.a0, c.a1, 0, 0, []]);
          if (c.a1 === WireProcStatus.Running || c.a1 === WireProcStatus.Syscall) {
            const e = thread(m);
            if (e[2] === -1) e[2] = c.a0;
          }
        } else if (t === Ev.GCMarkAssistActive) {
          gs.get(c.a0)?.[5].push([Ev.GCMarkAssistBegin, 0]);
        } else if (t === Ev.GCSweepActive) {
          ps.get(c.a0)?.[4].push([Ev.GCSweepBegin, 0]);
        } else if (t === Ev.GCActive) {
          if (gcState === GcState.Undetermined) {
            gcSeq = c.a0 - 1;
            gcState = GcState.Running;
          }
        } else if (t === Ev.ProcSteal && !steals.has(c.a0)) steals.set(c.a0, c.a2);
      }
    } catch {
      // Ordering meets the bad bytes and fails the same way; a guess is enough.
    }
  }
  // Threads a status puts a goroutine in a syscall on, holding no P yet:
  // where an abandoned P most likely still is.
  const inSyscall = new Set<number>();
  for (const e of ms.values()) {
    const g = gs.get(e[1]);
    if (g && g[1] === WireGoStatus.Syscall && e[2] === -1) inSyscall.add(e[0]);
  }
  for (const p of ps.values()) {
    if (p[1] !== WireProcStatus.SyscallAbandoned) continue;
    const victim = steals.get(p[0]);
    if (victim === undefined) continue;
    // The steal names the thread the P was last with; when that is not one
    // in a syscall but exactly one such thread is left, that one held it.
    let holder = victim;
    if (!inSyscall.has(victim) && inSyscall.size === 1) holder = [...inSyscall][0];
    const e = thread(holder);
    if (e[2] !== -1) continue;
    p[1] = WireProcStatus.Syscall;
    e[2] = p[0];
    inSyscall.delete(holder);
  }
  const byId = <T extends [number, ...unknown[]]>(m: Map<number, T>) =>
    [...m.values()].sort((a, b) => a[0] - b[0]);
  return {
    gs: byId(gs),
    ps: byId(ps),
    ms: byId(ms).filter((e) => e[1] !== -1 || e[2] !== -1),
    tasks: [],
    gcSeq,
    gcState,
    initialGen,
  };
}
