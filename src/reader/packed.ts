/**
 * Events as typed arrays, to move a generation's ordered events between
 * threads without cloning objects: a type byte, a time, and seven 32-bit
 * numbers (thread, P, goroutine, four arguments) per event; a number that
 * does not fit 32 bits is stored in a side array of doubles.
 *
 * @module
 */

import { Ev, WireGoStatus, WireProcStatus } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import type { GenerationRefs } from "../order/snapshot.ts";
import { Event } from "../events/event.ts";
import { EV_SYNC } from "../events/kinds.ts";

// Event types whose names are noted in the refs.
const NOTED = new Uint8Array(256);
for (
  const t of [
    Ev.ProcSteal,
    Ev.GoStatus,
    Ev.GoStatusStack,
    Ev.GoCreate,
    Ev.GoCreateBlocked,
    Ev.GoCreateSyscall,
    Ev.ProcStatus,
    Ev.UserTaskBegin,
    Ev.UserTaskEnd,
    Ev.GCActive,
    Ev.GCBegin,
    Ev.GCEnd,
  ]
) NOTED[t] = 1;

// Events per block: big enough to amortise messages, small enough to waste
// little in a generation's last block.
const BLOCK = 16384;

// Marks a number kept in the wide side array, in its order of appearance.
const WIDE = -0x80000000;

/**
 * A block of events as typed arrays (all transferable); the arrays may be
 * longer than the number of events.
 *
 * @example
 * ```ts
 * import { EventPacker, unpackEvents } from "./packed.ts";
 * import { Event } from "../events/event.ts";
 * const p = new EventPacker();
 * p.add(new Event(null, 2 ** 40, 0, 7, 10, 123, 1, 2, 3, 4));
 * const [packed] = p.finish();
 * const out: Event[] = [];
 * unpackEvents(packed, null, { last: 0, syncs: 0, wide: 0 }, 0, packed.n, out);
 * console.assert(out[0].thread === 2 ** 40 && out[0].a3 === 4 && packed.wide.length === 1);
 * ```
 */
export interface PackedEvents {
  /** Number of events. */
  n: number;
  /** Wire type of each ({@link EV_SYNC} for Sync). */
  types: Uint8Array<ArrayBuffer>;
  /** Time of each, in ns. */
  times: Float64Array<ArrayBuffer>;
  /** Thread, P, goroutine and four arguments of each. */
  ints: Int32Array<ArrayBuffer>;
  /** The numbers that did not fit in `ints`, in order. */
  wide: Float64Array<ArrayBuffer>;
}

/**
 * Packs events one by one, and notes what they name that the ordering state
 * of earlier generations could decide differently (see {@link GenerationRefs}).
 *
 * @example
 * ```ts
 * import { EventPacker } from "./packed.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev, WireGoStatus, WireProcStatus } from "../wire/spec.ts";
 * const p = new EventPacker();
 * p.add(new Event(null, 1, 0, -1, Ev.GoCreate, 5, 9, 0, 0, 0));
 * console.assert(p.refs.gs[0] === 9 && p.finish()[0].n === 1);
 * ```
 */
export class EventPacker {
  /** What the events packed so far name. */
  readonly refs: GenerationRefs = { ms: [], gs: [], ps: [], tasks: [], gc: null };
  private n = 0;
  private types = new Uint8Array(BLOCK);
  private times = new Float64Array(BLOCK);
  private ints = new Int32Array(7 * BLOCK);
  private wide: number[] = [];
  private blocks: PackedEvents[] = [];
  private lastM = NaN;

  /**
   * A packer for one generation of a worker's run.
   * @param seen threads that have had an event in the run so far (shared by
   *   the run's packers): the ordering state has an entry for them
   */
  constructor(private readonly seen: Set<number> = new Set()) {}

  /** Appends an event. */
  add(ev: Event): void {
    const i = this.n;
    if (i === BLOCK) return this.next(ev);
    const type = ev.type;
    this.types[i] = type;
    this.times[i] = ev.time;
    const ints = this.ints;
    const k = 7 * i;
    const m = ev.thread, p = ev.proc, g = ev.goroutine;
    const a0 = ev.a0, a1 = ev.a1, a2 = ev.a2, a3 = ev.a3;
    // Nearly always small integers: one check for all seven.
    if (
      (m | 0) === m && (p | 0) === p && (g | 0) === g && (a0 | 0) === a0 && (a1 | 0) === a1 &&
      (a2 | 0) === a2 && (a3 | 0) === a3 && m !== WIDE && a0 !== WIDE && a1 !== WIDE &&
      a2 !== WIDE && a3 !== WIDE && p !== WIDE && g !== WIDE
    ) {
      ints[k] = m;
      ints[k + 1] = p;
      ints[k + 2] = g;
      ints[k + 3] = a0;
      ints[k + 4] = a1;
      ints[k + 5] = a2;
      ints[k + 6] = a3;
    } else {
      ints[k] = this.fit(m);
      ints[k + 1] = this.fit(p);
      ints[k + 2] = this.fit(g);
      ints[k + 3] = this.fit(a0);
      ints[k + 4] = this.fit(a1);
      ints[k + 5] = this.fit(a2);
      ints[k + 6] = this.fit(a3);
    }
    this.n = i + 1;
    if (NOTED[type] === 1) this.note(ev);
    // Noted after the check: a GoStatus names its own thread.
    if (m !== this.lastM && type !== Ev.CPUSample && type !== EV_SYNC) {
      this.lastM = m;
      this.seen.add(m);
    }
  }

  // Records the names that matter across generations (the common events name none).
  private note(ev: Event): void {
    const r = this.refs;
    switch (ev.type) {
      case Ev.ProcSteal:
        // The victim is looked up unless the P was abandoned or stolen back
        // by its own thread; a thread with events before has its entry.
        if (
          ev.a3 !== WireProcStatus.SyscallAbandoned && ev.a2 !== ev.thread && !this.seen.has(ev.a2)
        ) {
          r.ms.push(ev.a2);
        }
        break;
      case Ev.GoStatus:
      case Ev.GoStatusStack:
        // A goroutine in a syscall names its thread, which is looked up.
        if (ev.a2 % 65536 === WireGoStatus.Syscall && !this.seen.has(ev.a1)) r.ms.push(ev.a1);
        break;
      case Ev.GoCreate:
      case Ev.GoCreateBlocked:
      case Ev.GoCreateSyscall:
        r.gs.push(ev.a0);
        break;
      case Ev.ProcStatus:
        r.ps.push(ev.a0);
        break;
      case Ev.UserTaskBegin:
      case Ev.UserTaskEnd:
        r.tasks.push(ev.a0);
        break;
      case Ev.GCActive:
      case Ev.GCBegin:
      case Ev.GCEnd:
        r.gc ??= [ev.type, ev.a0];
        break;
    }
  }

  private fit(v: number): number {
    if ((v | 0) === v && v !== WIDE) return v;
    this.wide.push(v);
    return WIDE;
  }

  // A full block is kept as is and a new one begun: no copying.
  private next(ev: Event): void {
    this.close();
    this.types = new Uint8Array(BLOCK);
    this.times = new Float64Array(BLOCK);
    this.ints = new Int32Array(7 * BLOCK);
    this.wide = [];
    this.n = 0;
    this.add(ev);
  }

  private close(): void {
    const { n, types, times, ints } = this;
    this.blocks.push({ n, types, times, ints, wide: Float64Array.from(this.wide) });
  }

  /** The events packed, in blocks (the last one not full); the packer is spent. */
  finish(): PackedEvents[] {
    if (this.n > 0 || this.blocks.length === 0) this.close();
    this.n = BLOCK;
    return this.blocks;
  }
}

/**
 * Where unpacking stands: the time of the last event handed out (times are
 * forced to increase across generations, as the sequential read does), the
 * number of Sync events so far, and the next wide number.
 *
 * @example
 * ```ts
 * import type { UnpackClock } from "./packed.ts";
 * const c: UnpackClock = { last: 0, syncs: 0, wide: 0 };
 * console.assert(c.syncs === 0);
 * ```
 */
export interface UnpackClock {
  /** Time of the last event made. */
  last: number;
  /** Sync events made so far. */
  syncs: number;
  /** Index of the next number in the wide array. */
  wide: number;
}

/**
 * Makes events `from` to `to` of `p` (read in order: wide numbers are taken
 * as they come), with `tables`, into `out`. A Sync is numbered after the
 * ones before it, and every time is forced past the last one: a generation
 * ordered on its own knew neither.
 */
export function unpackEvents(
  p: PackedEvents,
  tables: GenTables | null,
  clock: UnpackClock,
  from: number,
  to: number,
  out: Event[],
): void {
  const { types, times, ints, wide } = p;
  let last = clock.last;
  let w = clock.wide;
  for (let i = from; i < to; i++) {
    const k = 7 * i;
    let m = ints[k], pr = ints[k + 1], g = ints[k + 2];
    let a0 = ints[k + 3], a1 = ints[k + 4], a2 = ints[k + 5], a3 = ints[k + 6];
    if (m === WIDE) m = wide[w++];
    if (pr === WIDE) pr = wide[w++];
    if (g === WIDE) g = wide[w++];
    if (a0 === WIDE) a0 = wide[w++];
    if (a1 === WIDE) a1 = wide[w++];
    if (a2 === WIDE) a2 = wide[w++];
    if (a3 === WIDE) a3 = wide[w++];
    const type = types[i];
    if (type === EV_SYNC) a0 = ++clock.syncs;
    let t = times[i];
    if (t <= last) t = last + 1;
    last = t;
    out.push(new Event(tables, m, pr, g, type, t, a0, a1, a2, a3));
  }
  clock.last = last;
  clock.wide = w;
}
