/**
 * Explanations: why an event at the frontier cannot happen yet, in a
 * sentence with the numbers, and which later event would unblock it.
 *
 * @module
 */

import type { BatchCursor } from "../wire/cursor.ts";
import type { Engine } from "../order/engine.ts";
import type { Wait } from "../order/rules.ts";
import { Ev, wireGoStatusName, WireProcStatus, wireProcStatusName } from "../wire/spec.ts";
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
  let r;
  try {
    r = o.advance(bc.fork(), gen.tables, bc.m, gen.gen);
    if (r === true) return { canAdvance: true, why: "" };
  } catch (e) {
    const msg = (e as Error).message;
    return {
      canAdvance: false,
      why: `${describeWire(bc)} on M ${bc.m} can never happen here: ${msg}${context(engine, bc.m)}`,
      error: msg,
    };
  }
  return { canAdvance: false, why: waitReason(engine, bc, r) };
}

/** What M `m` holds, for messages. */
export function context(engine: Engine, m: number): string {
  const ms = engine.order.mStates.get(m);
  const p = ms?.p ?? -1;
  const g = ms?.g ?? -1;
  let s = ` (M ${m} holds ${p === -1 ? "no P" : `P ${p}`} and ${g === -1 ? "no G" : `G ${g}`}`;
  if (p !== -1) {
    const ps = engine.order.pStates.get(p);
    if (ps) s += `; P ${p} is ${wireProcStatusName(ps.status)} at sequence ${ps.seq}`;
  }
  if (g !== -1) {
    const gs = engine.order.gStates.get(g);
    if (gs) s += `; G ${g} is ${wireGoStatusName(gs.status)} at sequence ${gs.seq}`;
  }
  return s + ")";
}

/** The engine's reason `w` as a sentence, with the event that would unblock it. */
function waitReason(engine: Engine, bc: BatchCursor, w: Wait): string {
  const head = `${describeWire(bc)} on M ${bc.m} waits: `;
  return head + sentence(engine, w);
}

function sentence(engine: Engine, w: Wait): string {
  switch (w.why) {
    case "missing":
      return w.resource === "P"
        ? `P ${w.id} has no status yet in generation ${engine.gen!.gen}`
        : `G ${w.id} does not exist yet (not created, and no status for it in generation ${
          engine.gen!.gen
        })` + nextCreator(engine, w.id);
    case "status": {
      const have = w.resource === "P" ? wireProcStatusName(w.have) : wireGoStatusName(w.have);
      const want = w.resource === "P"
        ? (w.want === WireProcStatus.Syscall ? "in a syscall" : wireProcStatusName(w.want))
        : wireGoStatusName(w.want);
      return `${w.resource} ${w.id} is ${have} at sequence ${w.seq}, not ${want}` +
        nextFor(engine, w.resource, w.id, w.seq + 1);
    }
    case "seq":
      return `${w.resource} ${w.id} is at sequence ${w.have}` +
        nextFor(engine, w.resource, w.id, w.have + 1);
    case "holds-p":
      return `M ${w.m} still holds P ${w.p}` + nextFor(engine, "P", w.p, -1);
    case "p-in-syscall":
      return `M ${w.m} still holds P ${w.p}, which is in a syscall; the syscall's P must be ` +
        `stolen or stopped first` + nextFor(engine, "P", w.p, -1);
    case "gc-seq":
      return `GC is at sequence ${w.have}; this event needs ${w.want - 1}`;
  }
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
