/**
 * Explanations: why an event at the frontier cannot happen yet, in a
 * sentence with the numbers, and which later event would unblock it.
 *
 * @module
 */

import type { BatchCursor } from "../wire/cursor.ts";
import type { Engine } from "../order/engine.ts";
import { goStatusName, procStatusName } from "../order/state.ts";
import { Ev, GoStatus, ProcStatus } from "../wire/spec.ts";
import { describeWire } from "./describe.ts";

/** Whether a frontier event can advance now, and if not, why. */
export interface Verdict {
  /** True if the ordering rules accept the event now. */
  canAdvance: boolean;
  /** Why not (empty when it can). */
  why: string;
  /** The error the rules would raise, if the event can never happen here. */
  error?: string;
}

// The dry run advances a fork of the cursor (the rules may rewrite its
// arguments), which also keeps the rules' call sites monomorphic.

// How far ahead in each M's batches to look for the event that unblocks another.
const LOOKAHEAD = 100_000;

/**
 * Asks a copy of the engine's state whether `bc`'s event could advance now;
 * nothing in the engine changes.
 *
 * @example
 * ```ts
 * import { judge } from "./explain.ts";
 * console.assert(typeof judge === "function");
 * ```
 */
export function judge(engine: Engine, bc: BatchCursor): Verdict {
  const gen = engine.gen;
  if (!gen) return { canAdvance: false, why: "no generation is loaded" };
  const o = engine.order.clone();
  try {
    if (o.advance(bc.fork(), gen.tables, bc.m, gen.gen)) return { canAdvance: true, why: "" };
  } catch (e) {
    const msg = (e as Error).message;
    return {
      canAdvance: false,
      why: `${describeWire(bc)} on M ${bc.m} can never happen here: ${msg}${context(engine, bc.m)}`,
      error: msg,
    };
  }
  return { canAdvance: false, why: waitReason(engine, bc) };
}

/** What M `m` holds, for messages. */
export function context(engine: Engine, m: number): string {
  const ms = engine.order.mStates.get(m);
  const p = ms?.p ?? -1;
  const g = ms?.g ?? -1;
  let s = ` (M ${m} holds ${p === -1 ? "no P" : `P ${p}`} and ${g === -1 ? "no G" : `G ${g}`}`;
  if (p !== -1) {
    const ps = engine.order.pStates.get(p);
    if (ps) s += `; P ${p} is ${procStatusName(ps.status)} at sequence ${ps.seq}`;
  }
  if (g !== -1) {
    const gs = engine.order.gStates.get(g);
    if (gs) s += `; G ${g} is ${goStatusName(gs.status)} at sequence ${gs.seq}`;
  }
  return s + ")";
}

function waitReason(engine: Engine, bc: BatchCursor): string {
  const o = engine.order;
  const gen = engine.gen!.gen;
  const head = `${describeWire(bc)} on M ${bc.m} waits: `;
  const procSeq = (pid: number, want: number, needStatus: number[], statusWord: string) => {
    const p = o.pStates.get(pid);
    if (!p) return `P ${pid} has no status yet in generation ${gen}`;
    if (!needStatus.includes(p.status)) {
      return `P ${pid} is ${procStatusName(p.status)} at sequence ${p.seq}, not ${statusWord}` +
        nextFor(engine, "P", pid, p.seq + 1);
    }
    if (p.seqGen !== gen || want !== p.seq + 1) {
      return `P ${pid} is at sequence ${p.seq}` + nextFor(engine, "P", pid, p.seq + 1);
    }
    return "";
  };
  const goSeq = (gid: number, want: number, needStatus: number, statusWord: string) => {
    const g = o.gStates.get(gid);
    if (!g) {
      return `G ${gid} does not exist yet (not created, and no status for it in generation ${gen})` +
        nextCreator(engine, gid);
    }
    if (g.status !== needStatus) {
      return `G ${gid} is ${goStatusName(g.status)} at sequence ${g.seq}, not ${statusWord}` +
        nextFor(engine, "G", gid, g.seq + 1);
    }
    if (g.seqGen !== gen || want !== g.seq + 1) {
      return `G ${gid} is at sequence ${g.seq}` + nextFor(engine, "G", gid, g.seq + 1);
    }
    return "";
  };
  let why = "";
  switch (bc.type) {
    case Ev.ProcStart: {
      why = procSeq(bc.a0, bc.a1, [ProcStatus.Idle], "Idle");
      const held = o.mStates.get(bc.m)?.p ?? -1;
      if (!why && held !== -1) {
        why = `M ${bc.m} still holds P ${held}` + nextFor(engine, "P", held, -1);
      }
      break;
    }
    case Ev.ProcSteal:
      why = procSeq(
        bc.a0,
        bc.a1,
        [ProcStatus.Syscall, ProcStatus.SyscallAbandoned],
        "in a syscall",
      );
      break;
    case Ev.GoStart:
      why = goSeq(bc.a0, bc.a1, GoStatus.Runnable, "Runnable");
      break;
    case Ev.GoUnblock:
    case Ev.GoSwitch:
    case Ev.GoSwitchDestroy:
      why = goSeq(bc.a0, bc.a1, GoStatus.Waiting, "Waiting");
      break;
    case Ev.GoSyscallEndBlocked: {
      const held = o.mStates.get(bc.m)?.p ?? -1;
      why = `M ${bc.m} still holds P ${held}, which is in a syscall; the syscall's P must be ` +
        `stolen or stopped first` + nextFor(engine, "P", held, -1);
      break;
    }
    case Ev.GCBegin:
    case Ev.GCActive:
    case Ev.GCEnd:
      why = `GC is at sequence ${o.gcSeq}; this event needs ${bc.a0 - 1}`;
      break;
  }
  return head + (why || "another M must move first");
}

/**
 * The first event ahead in any M's batches that would advance resource
 * `kind id` to sequence `want` (or, with want -1, free P `id` from its
 * syscall), as ", the next event that advances it is X on M n".
 */
function nextFor(engine: Engine, kind: "P" | "G", id: number, want: number): string {
  const holder = kind === "P"
    ? [...engine.order.mStates].find(([, st]) => st.p === id)?.[0] ?? -2
    : -2;
  const hit = scan(engine, (c) => {
    if (kind === "P") {
      if ((c.type === Ev.ProcStart || c.type === Ev.ProcSteal) && c.a0 === id) {
        return want === -1 || c.a1 === want;
      }
      if (c.type === Ev.ProcStop && c.m === holder) return want === -1;
      if (c.type === Ev.GoSyscallBegin && c.m === holder) return want === -1 || c.a0 === want;
      return false;
    }
    return (c.type === Ev.GoStart || c.type === Ev.GoUnblock || c.type === Ev.GoSwitch ||
      c.type === Ev.GoSwitchDestroy) && c.a0 === id && c.a1 === want;
  });
  if (!hit) return `; no event ahead advances ${kind} ${id}`;
  return `; the next event that advances it is ${describeWire(hit)} on M ${hit.m}`;
}

function nextCreator(engine: Engine, gid: number): string {
  const hit = scan(
    engine,
    (c) =>
      (c.type === Ev.GoCreate || c.type === Ev.GoCreateBlocked || c.type === Ev.GoCreateSyscall) &&
      c.a0 === gid,
  );
  return hit ? `; it is created by ${describeWire(hit)} on M ${hit.m}` : "";
}

function scan(engine: Engine, match: (c: BatchCursor) => boolean): BatchCursor | null {
  // Earliest match by time across Ms.
  let best: BatchCursor | null = null;
  for (const bc of engine.frontier) {
    const c = bc.fork();
    for (let i = 0; i < LOOKAHEAD; i++) {
      if (match(c)) {
        if (!best || c.time < best.time) best = c;
        break;
      }
      if (!c.next()) break;
    }
  }
  return best;
}
