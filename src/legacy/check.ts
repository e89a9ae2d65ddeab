/**
 * Consistency checks over the merged old-format stream, replaying goroutine
 * and P states as the old parser does, and the few fix-ups it makes on the
 * way: a goroutine's first start gets its creation stack, unblocks by the
 * network poller and GC starts move to their fake Ps, and events lose stack
 * ids that name no stack.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { goQuoteString as goQuote } from "../wire/go_quote.ts";
import type { LegacyEvent } from "./batches.ts";
import { u64 } from "./raw.ts";
import { FakeP, LEGACY_SPECS, LegacyEv } from "./spec.ts";

const Dead = 0;
const Runnable = 1;
const Running = 2;
const Waiting = 3;

interface G {
  state: number;
  /** The event that last blocked, unblocked or made it runnable. */
  last: LegacyEvent | null;
  /** Its creation, until it first starts. */
  create: LegacyEvent | null;
  assist: boolean;
}

interface P {
  running: boolean;
  g: number;
  sweeping: boolean;
}

/**
 * The old parser's text for an event (used in some of its messages).
 *
 * @example
 * ```ts
 * import { LegacyEvent } from "./batches.ts";
 * import { legacyEventText } from "./check.ts";
 * import { LegacyEv } from "./spec.ts";
 * const ev = new LegacyEvent(LegacyEv.UserRegion, 9, 0, 5, 1, 2, 3, 0, 0, 0);
 * console.assert(legacyEventText(ev) === "9 UserRegion p=0 g=5 stk=0 taskid=1 mode=2 typeid=3");
 * ```
 */
export function legacyEventText(ev: LegacyEvent): string {
  const spec = LEGACY_SPECS[ev.type];
  let s = `${ev.ts} ${spec.name} p=${ev.p} g=${u64(ev.g)} stk=${ev.stk}`;
  spec.args.forEach((a, i) => s += ` ${a}=${u64(ev.arg(i))}`);
  return s;
}

/**
 * Replays the stream (times in ns) and throws an "ordering" TraceError at
 * the first event that contradicts the states before it; applies the
 * fix-ups described above in place.
 *
 * @example
 * ```ts
 * import { LegacyEvent } from "./batches.ts";
 * import { checkLegacy } from "./check.ts";
 * import { LegacyEv } from "./spec.ts";
 * const stop = new LegacyEvent(LegacyEv.ProcStop, 5, 0, 0, 0, 0, 0, 0, 0, 16);
 * try {
 *   checkLegacy([stop], new Map());
 * } catch (e) {
 *   console.assert((e as Error).message === "p 0 is not running before stop (time 5)");
 * }
 * ```
 */
export function checkLegacy(events: LegacyEvent[], stacks: Map<number, number[]>): void {
  const gs = new Map<number, G>([[0, { state: Running, last: null, create: null, assist: false }]]);
  const ps = new Map<number, P>();
  const tasks = new Map<number, LegacyEvent>();
  const regions = new Map<number, LegacyEvent[]>();
  let inGC = false;
  let inSTW = false;
  const g = (id: number): G =>
    gs.get(id) ?? { state: Dead, last: null, create: null, assist: false };
  const p = (id: number): P => ps.get(id) ?? { running: false, g: 0, sweeping: false };

  for (const ev of events) {
    const fail = (msg: string) => new TraceError("ordering", msg, { offset: ev.off });
    const at = `(time ${ev.ts})`;
    const name = LEGACY_SPECS[ev.type].name;
    const running = (gd: G, pd: P, allowG0: boolean) => {
      if (gd.state !== Running) throw fail(`g ${u64(ev.g)} is not running while ${name} ${at}`);
      if (pd.g !== ev.g) {
        throw fail(`p ${ev.p} is not running g ${u64(ev.g)} while ${name} ${at}`);
      }
      if (!allowG0 && ev.g === 0) throw fail(`g 0 did ${name} ${at}`);
    };
    switch (ev.type) {
      case LegacyEv.ProcStart: {
        const pd = p(ev.p);
        if (pd.running) throw fail(`p ${ev.p} is running before start ${at}`);
        pd.running = true;
        ps.set(ev.p, pd);
        break;
      }
      case LegacyEv.ProcStop: {
        const pd = p(ev.p);
        if (!pd.running) throw fail(`p ${ev.p} is not running before stop ${at}`);
        if (pd.g !== 0) {
          throw fail(`p ${ev.p} is running a goroutine ${u64(pd.g)} during stop ${at}`);
        }
        pd.running = false;
        ps.set(ev.p, pd);
        break;
      }
      case LegacyEv.GCStart:
        if (inGC) throw fail(`previous GC is not ended before a new one ${at}`);
        inGC = true;
        ev.p = FakeP.GC;
        break;
      case LegacyEv.GCDone:
        if (!inGC) throw fail(`bogus GC end ${at}`);
        inGC = false;
        break;
      case LegacyEv.STWStart:
        if (inSTW) throw fail(`previous STW is not ended before a new one ${at}`);
        inSTW = true;
        break;
      case LegacyEv.STWDone:
        if (!inSTW) throw fail(`bogus STW end ${at}`);
        inSTW = false;
        break;
      case LegacyEv.GCSweepStart: {
        const pd = p(ev.p);
        if (pd.sweeping) throw fail(`previous sweeping is not ended before a new one ${at}`);
        pd.sweeping = true;
        ps.set(ev.p, pd);
        break;
      }
      case LegacyEv.GCSweepDone: {
        const pd = p(ev.p);
        if (!pd.sweeping) throw fail(`bogus sweeping end ${at}`);
        pd.sweeping = false;
        ps.set(ev.p, pd);
        break;
      }
      case LegacyEv.GCMarkAssistStart: {
        const gd = g(ev.g);
        if (gd.assist) throw fail(`previous mark assist is not ended before a new one ${at}`);
        gd.assist = true;
        gs.set(ev.g, gd);
        break;
      }
      case LegacyEv.GCMarkAssistDone: {
        // An assist may have begun before tracing did: no check.
        const gd = g(ev.g);
        gd.assist = false;
        gs.set(ev.g, gd);
        break;
      }
      case LegacyEv.GoWaiting:
      case LegacyEv.GoInSyscall: {
        const gd = g(ev.g);
        if (gd.state !== Runnable) {
          throw fail(`g ${u64(ev.g)} is not runnable before Ev${name} ${at}`);
        }
        gd.state = Waiting;
        gd.last = ev;
        gs.set(ev.g, gd);
        break;
      }
      case LegacyEv.GoCreate: {
        running(g(ev.g), p(ev.p), true);
        if (gs.has(ev.a0)) throw fail(`g ${u64(ev.a0)} already exists ${at}`);
        gs.set(ev.a0, { state: Runnable, last: ev, create: ev, assist: false });
        break;
      }
      case LegacyEv.GoStart:
      case LegacyEv.GoStartLabel: {
        const gd = g(ev.g);
        const pd = p(ev.p);
        if (gd.state !== Runnable) throw fail(`g ${u64(ev.g)} is not runnable before start ${at}`);
        if (pd.g !== 0) {
          throw fail(
            `p ${ev.p} is already running g ${u64(pd.g)} while start g ${u64(ev.g)} ${at}`,
          );
        }
        gd.state = Running;
        pd.g = ev.g;
        if (gd.create) {
          // A goroutine's first start shows where it was created.
          ev.stk = gd.create.a1 >>> 0;
          gd.create = null;
        }
        gd.last = null;
        gs.set(ev.g, gd);
        ps.set(ev.p, pd);
        break;
      }
      case LegacyEv.GoEnd:
      case LegacyEv.GoStop: {
        const gd = g(ev.g);
        const pd = p(ev.p);
        running(gd, pd, false);
        gd.state = Dead;
        pd.g = 0;
        if (ev.type === LegacyEv.GoEnd) regions.delete(ev.g);
        gs.set(ev.g, gd);
        ps.set(ev.p, pd);
        break;
      }
      case LegacyEv.GoSched:
      case LegacyEv.GoPreempt: {
        const gd = g(ev.g);
        const pd = p(ev.p);
        running(gd, pd, false);
        gd.state = Runnable;
        pd.g = 0;
        gd.last = ev;
        gs.set(ev.g, gd);
        ps.set(ev.p, pd);
        break;
      }
      case LegacyEv.GoUnblock: {
        const gd = g(ev.g);
        const pd = p(ev.p);
        if (gd.state !== Running) throw fail(`g ${u64(ev.g)} is not running while unpark ${at}`);
        if (ev.p !== FakeP.Timer && pd.g !== ev.g) {
          throw fail(`p ${ev.p} is not running g ${u64(ev.g)} while unpark ${at}`);
        }
        const target = g(ev.a0);
        if (target.state !== Waiting) {
          throw fail(`g ${u64(ev.a0)} is not waiting before unpark ${at}`);
        }
        if (target.last?.type === LegacyEv.GoBlockNet) ev.p = FakeP.Netpoll;
        target.state = Runnable;
        target.last = ev;
        gs.set(ev.a0, target);
        break;
      }
      case LegacyEv.GoSysCall: {
        const gd = g(ev.g);
        running(gd, p(ev.p), false);
        gd.last = ev;
        gs.set(ev.g, gd);
        break;
      }
      case LegacyEv.GoSysBlock: {
        const gd = g(ev.g);
        const pd = p(ev.p);
        running(gd, pd, false);
        gd.state = Waiting;
        pd.g = 0;
        gs.set(ev.g, gd);
        ps.set(ev.p, pd);
        break;
      }
      case LegacyEv.GoSysExit: {
        const gd = g(ev.g);
        if (gd.state !== Waiting) {
          throw fail(`g ${u64(ev.g)} is not waiting during syscall exit ${at}`);
        }
        gd.state = Runnable;
        gd.last = ev;
        gs.set(ev.g, gd);
        break;
      }
      case LegacyEv.GoSleep:
      case LegacyEv.GoBlock:
      case LegacyEv.GoBlockSend:
      case LegacyEv.GoBlockRecv:
      case LegacyEv.GoBlockSelect:
      case LegacyEv.GoBlockSync:
      case LegacyEv.GoBlockCond:
      case LegacyEv.GoBlockNet:
      case LegacyEv.GoBlockGC: {
        const gd = g(ev.g);
        const pd = p(ev.p);
        running(gd, pd, false);
        gd.state = Waiting;
        gd.last = ev;
        pd.g = 0;
        gs.set(ev.g, gd);
        ps.set(ev.p, pd);
        break;
      }
      case LegacyEv.UserTaskCreate: {
        const prev = tasks.get(ev.a0);
        if (prev) {
          throw fail(
            `task id conflicts (id:${u64(ev.a0)}), ${goQuote(legacyEventText(ev))} vs ${
              goQuote(legacyEventText(prev))
            }`,
          );
        }
        tasks.set(ev.a0, ev);
        break;
      }
      case LegacyEv.UserTaskEnd:
        tasks.delete(ev.a0);
        break;
      case LegacyEv.UserRegion:
        region(ev, regions, fail);
        break;
    }
    if (ev.stk !== 0 && !stacks.get(ev.stk)?.length) ev.stk = 0;
  }
}

// Regions nest per goroutine; an end must match the innermost open region
// (when its begin is in the trace at all).
function region(
  ev: LegacyEvent,
  regions: Map<number, LegacyEvent[]>,
  fail: (msg: string) => TraceError,
): void {
  const open = regions.get(ev.g) ?? [];
  if (ev.a1 === 0) {
    open.push(ev);
    regions.set(ev.g, open);
  } else if (ev.a1 === 1) {
    const top = open.at(-1);
    if (!top) return;
    if (top.a0 !== ev.a0 || top.a2 !== ev.a2) {
      throw fail(
        `misuse of region in goroutine ${u64(ev.g)}: span end ${
          goQuote(legacyEventText(ev))
        } when the inner-most active span start event is ${goQuote(legacyEventText(top))}`,
      );
    }
    open.pop();
    if (open.length === 0) regions.delete(ev.g);
  } else {
    throw fail(`invalid user region mode: ${goQuote(legacyEventText(ev))}`);
  }
}
