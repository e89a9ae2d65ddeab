/**
 * Events as typed arrays, to move a generation's ordered events between
 * threads without cloning objects: per event a type byte, its time as a
 * float and seven 32-bit integers (thread, P, goroutine, four arguments),
 * 37 bytes. A number that is not a small enough integer (a heap size past
 * 2 GiB, a 64-bit id) goes to a side array of floats, and its slot holds
 * where. The receiving side makes `Event` objects from them, or shows them
 * through one reused object.
 *
 * @module
 */

import { Ev, typeSet, WireGoStatus, WireProcStatus } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import type { GenerationRefs } from "../order/snapshot.ts";
import { Event, refillEvent } from "../events/event.ts";
import { EV_SYNC } from "../events/kinds.ts";

// Event types whose names are noted in the refs.
const NOTED = typeSet([
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
]);

// Events per block: big enough to amortise messages, small enough to waste
// little in a generation's last block.
const BLOCK = 16384;

// Room kept free at the end of a block for what one ordering step writes
// before it is packed (the engine places at most a few hundred at a time).
const ROOM = 1024;

/** Integers per event in {@link PackedEvents.ints}: M, P, G, four arguments. */
const STRIDE = 7;

// A slot below NARROW holds no number but WIDE plus the index of the number
// in the block's `wide` array: every integer from NARROW up is kept as is
// (-1 and the ids, counters and sizes of real traces), anything else moves.
const WIDE = -(2 ** 31);
const NARROW = WIDE + 2 ** 24;

/** A slot's number (see WIDE). */
function slot(ints: Int32Array<ArrayBufferLike>, k: number, wide: Float64Array): number {
  const v = ints[k];
  return v >= NARROW ? v : wide[v - WIDE];
}

const NO_WIDE = new Float64Array(0);

/**
 * A block of events as typed arrays (both transferable); the arrays may be
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
 * unpackEvents(packed, null, { last: 0, syncs: 0 }, 0, packed.n, out);
 * console.assert(out[0].thread === 2 ** 40 && out[0].a3 === 4 && out[0].time === 123);
 * console.assert(packed.wide.length === 1); // the thread id
 * ```
 */
export interface PackedEvents {
  /** Number of events. */
  n: number;
  /** Wire type of each ({@link EV_SYNC} for Sync). */
  types: Uint8Array<ArrayBufferLike>;
  /** Time of each. */
  times: Float64Array<ArrayBufferLike>;
  /**
   * Thread, P, goroutine and four arguments of each, seven per event; a
   * slot below -2^31 + 2^24 names an entry of `wide` instead.
   */
  ints: Int32Array<ArrayBufferLike>;
  /** The numbers that are not integers of 32 bits, in the order they were packed. */
  wide: Float64Array;
  /**
   * A block of a {@link BlockPool}: its slot, and the pool's slot states,
   * through which the reader gives it back ({@link releaseBlock}).
   */
  pooled?: { slot: number; states: Int32Array<SharedArrayBuffer> };
}

/**
 * Blocks of events in shared memory, filled by a worker's packer and given
 * back by the thread that reads them: a block of fresh memory for every
 * 16,384 events (a megabyte, zeroed and faulted in page by page) took a
 * quarter of a worker's time. When every slot is taken the packer makes a
 * block of its own, as before. Plain data: it is posted to the worker.
 *
 * @example
 * ```ts
 * import { BlockPool, EventPacker, releaseBlock } from "./packed.ts";
 * import { Event } from "../events/event.ts";
 * const pool = BlockPool.create(2, 4096);
 * const p = new EventPacker(new Set(), 4096, pool);
 * p.add(new Event(null, 1, 0, -1, 10, 5, 9, 0, 0, 0));
 * const [block] = p.finish();
 * console.assert(block.pooled?.slot === 0 && block.ints.buffer === pool.ints);
 * releaseBlock(block); // slot 0 is free again
 * console.assert(new EventPacker(new Set(), 4096, pool).finish()[0].pooled?.slot === 0);
 * ```
 */
export interface BlockPool {
  /** Events per block. */
  block: number;
  /** Number of slots. */
  slots: number;
  /** The slots' types, `block` bytes each. */
  types: SharedArrayBuffer;
  /** The slots' times, `block` floats each. */
  times: SharedArrayBuffer;
  /** The slots' integers, `7 * block` each. */
  ints: SharedArrayBuffer;
  /** Per slot, 0 free or 1 taken (Int32, changed atomically). */
  states: SharedArrayBuffer;
}

/** Makes and takes {@link BlockPool}s. */
export const BlockPool = {
  /** A pool of `slots` free blocks of `block` events (the memory is touched only when used). */
  create(slots: number, block: number = BLOCK): BlockPool {
    return {
      block,
      slots,
      types: new SharedArrayBuffer(slots * block),
      times: new SharedArrayBuffer(slots * block * 8),
      ints: new SharedArrayBuffer(slots * block * STRIDE * 4),
      states: new SharedArrayBuffer(4 * slots),
    };
  },
};

/**
 * The reader is done with a block: a pooled one goes back to its pool, any
 * other is freed at once (its arrays came from a worker, and this thread
 * may allocate too little for a collection to come and reclaim them).
 *
 * @example
 * ```ts
 * import { releaseBlock } from "./packed.ts";
 * const b = { n: 0, types: new Uint8Array(4), times: new Float64Array(4), ints: new Int32Array(28), wide: new Float64Array(0) };
 * releaseBlock(b);
 * console.assert(b.ints.buffer.byteLength === 0);
 * ```
 */
export function releaseBlock(p: PackedEvents): void {
  if (p.pooled) {
    Atomics.store(p.pooled.states, p.pooled.slot, 0);
    return;
  }
  for (const b of [p.types.buffer, p.times.buffer, p.ints.buffer, p.wide.buffer]) {
    if (b instanceof ArrayBuffer && b.byteLength > 0) b.transfer(0);
  }
}

/** What a posted message transfers of `blocks`: the arrays of those not in a pool. */
export function blockTransfers(blocks: PackedEvents[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const b of blocks) {
    if (b.wide.length > 0) out.push(b.wide.buffer as ArrayBuffer);
    if (b.pooled) continue;
    out.push(b.types.buffer as ArrayBuffer, b.times.buffer as ArrayBuffer);
    out.push(b.ints.buffer as ArrayBuffer);
  }
  return out;
}

/**
 * Packs a generation's events as they are ordered, and notes what they name
 * that the ordering state of earlier generations could decide differently
 * (see {@link GenerationRefs}). Events come one by one ({@link add}) or are
 * written straight into the arrays by the ordering engine ({@link put}, then
 * {@link commit}), which then makes no object for them.
 *
 * @example
 * ```ts
 * import { EventPacker } from "./packed.ts";
 * import { Event } from "../events/event.ts";
 * import { Ev } from "../wire/spec.ts";
 * const p = new EventPacker();
 * p.add(new Event(null, 1, 0, -1, Ev.GoCreate, 5, 9, 0, 0, 0));
 * p.put(0, 1, 0, -1, Ev.GoCreate, 6, 11, 0, 0, 0);
 * p.commit(1);
 * console.assert(p.refs.gs.join() === "9,11" && p.finish()[0].n === 2);
 * ```
 */
export class EventPacker {
  /** What the events packed so far name. */
  readonly refs: GenerationRefs = { ms: [], gs: [], ps: [], tasks: [], gc: null };
  private n = 0;
  private types!: Uint8Array<ArrayBufferLike>;
  private times!: Float64Array<ArrayBufferLike>;
  private ints!: Int32Array<ArrayBufferLike>;
  // The block's numbers that are no 32-bit integers (see WIDE); those of
  // events taken back stay, unused.
  private wide: number[] = [];
  private pooled: PackedEvents["pooled"] = undefined;
  declare private readonly states: Int32Array<SharedArrayBuffer> | null;
  private blocks: PackedEvents[] = [];
  private lastM = NaN;
  // A block is closed once it holds more than this many events.
  declare private readonly closeAt: number;
  declare private readonly seen: Set<number>;
  declare private readonly block: number;
  declare private readonly pool: BlockPool | null;

  /**
   * A packer for one generation of a worker's run.
   * @param seen threads that have had an event in the run so far (shared by
   *   the run's packers): the ordering state has an entry for them
   * @param block events per block (the default suits messages; tests
   *   take small ones, to see many blocks)
   * @param pool shared blocks to fill while one is free (of `block` events)
   */
  constructor(seen: Set<number> = new Set(), block: number = BLOCK, pool: BlockPool | null = null) {
    // Not parameter properties, which would make every field above start
    // undefined and its numbers boxed (see BatchCursor).
    this.seen = seen;
    this.block = block;
    this.pool = pool;
    this.states = pool && pool.block === block ? new Int32Array(pool.states) : null;
    this.newBlock();
    this.closeAt = block > 2 * ROOM ? block - ROOM : block;
  }

  // An empty block to fill: a free one of the pool, else a new one.
  private newBlock(): void {
    const states = this.states;
    if (states !== null) {
      for (let i = 0; i < states.length; i++) {
        if (Atomics.compareExchange(states, i, 0, 1) !== 0) continue;
        const pool = this.pool!, b = this.block;
        this.types = new Uint8Array(pool.types, i * b, b);
        this.times = new Float64Array(pool.times, i * b * 8, b);
        this.ints = new Int32Array(pool.ints, i * b * STRIDE * 4, b * STRIDE);
        this.pooled = { slot: i, states };
        return;
      }
    }
    this.types = new Uint8Array(this.block);
    this.times = new Float64Array(this.block);
    this.ints = new Int32Array(STRIDE * this.block);
    this.pooled = undefined;
  }

  /** Appends an event. */
  add(ev: Event): void {
    this.put(0, ev.thread, ev.proc, ev.goroutine, ev.type, ev.time, ev.a0, ev.a1, ev.a2, ev.a3);
    this.commit(1);
  }

  /**
   * Writes an event `offset` places past the events packed so far, without
   * packing it yet: the ordering engine may still take it back.
   */
  put(
    offset: number,
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
    const i = this.n + offset;
    if (i >= this.types.length) this.grow(i + 1);
    this.types[i] = type;
    this.times[i] = time;
    const k = STRIDE * i;
    const ints = this.ints;
    // One test for the seven (real traces need no wide number).
    if (
      (m | 0) === m && (p | 0) === p && (g | 0) === g && (a0 | 0) === a0 && (a1 | 0) === a1 &&
      (a2 | 0) === a2 && (a3 | 0) === a3 &&
      Math.min(m, p, g, a0, a1, a2, a3) >= NARROW
    ) {
      ints[k] = m;
      ints[k + 1] = p;
      ints[k + 2] = g;
      ints[k + 3] = a0;
      ints[k + 4] = a1;
      ints[k + 5] = a2;
      ints[k + 6] = a3;
    } else this.putWide(k, [m, p, g, a0, a1, a2, a3]);
  }

  // put() for an event with a number that is no small 32-bit integer.
  private putWide(k: number, values: number[]): void {
    for (let j = 0; j < STRIDE; j++) {
      const v = values[j];
      this.ints[k + j] = (v | 0) === v && v >= NARROW ? v : this.toWide(v);
    }
  }

  // Keeps `v` in the block's wide numbers; what its slot holds instead.
  private toWide(v: number): number {
    const at = this.wide.length;
    // Past 2^24 (which takes more than 2^21 events in one block) a slot
    // could not say where: the worker fails, and the main thread orders it.
    if (at >= NARROW - WIDE) throw new RangeError("too many wide numbers in a block");
    this.wide.push(v);
    return WIDE + at;
  }

  /** Packs the `count` events written past the packed ones. */
  commit(count: number): void {
    const from = this.n;
    const to = from + count;
    const types = this.types;
    const ints = this.ints;
    for (let i = from; i < to; i++) {
      const type = types[i];
      const m = ints[STRIDE * i];
      if (NOTED[type] === 1) this.note(i);
      // Noted after the check: a GoStatus names its own thread.
      if (m !== this.lastM && type !== Ev.CPUSample && type !== EV_SYNC) {
        this.lastM = m;
        this.seen.add(m);
      }
    }
    this.n = to;
    // A full block is kept as is and a new one begun: no copying.
    if (to > this.closeAt) this.close();
  }

  // Records the names that matter across generations (the common events name none).
  private note(i: number): void {
    const r = this.refs;
    const type = this.types[i];
    const ints = this.ints;
    const k = STRIDE * i;
    // As slot() reads them, from the wide numbers kept so far.
    const at = (j: number) => ints[j] >= NARROW ? ints[j] : this.wide[ints[j] - WIDE];
    const thread = at(k);
    const a0 = at(k + 3), a1 = at(k + 4), a2 = at(k + 5), a3 = at(k + 6);
    switch (type) {
      case Ev.ProcSteal:
        // The victim is looked up unless the P was abandoned or stolen back
        // by its own thread; a thread with events before has its entry.
        if (a3 !== WireProcStatus.SyscallAbandoned && a2 !== thread && !this.seen.has(a2)) {
          r.ms.push(a2);
        }
        break;
      case Ev.GoStatus:
      case Ev.GoStatusStack:
        // A goroutine in a syscall names its thread, which is looked up.
        if (a2 % 65536 === WireGoStatus.Syscall && !this.seen.has(a1)) r.ms.push(a1);
        break;
      case Ev.GoCreate:
      case Ev.GoCreateBlocked:
      case Ev.GoCreateSyscall:
        r.gs.push(a0);
        break;
      case Ev.ProcStatus:
        r.ps.push(a0);
        break;
      case Ev.UserTaskBegin:
      case Ev.UserTaskEnd:
        r.tasks.push(a0);
        break;
      case Ev.GCActive:
      case Ev.GCBegin:
      case Ev.GCEnd:
        r.gc ??= [type, a0];
        break;
    }
  }

  // Room for `need` events in the block being filled (an ordering step
  // that writes past its end).
  private grow(need: number): void {
    const size = Math.max(need, 2 * this.types.length);
    const types = new Uint8Array(size);
    types.set(this.types);
    this.types = types;
    const times = new Float64Array(size);
    times.set(this.times);
    this.times = times;
    const ints = new Int32Array(STRIDE * size);
    ints.set(this.ints);
    this.ints = ints;
    // Copied out of its slot, which is free again.
    if (this.pooled) Atomics.store(this.pooled.states, this.pooled.slot, 0);
    this.pooled = undefined;
  }

  // Keeps the block being filled and starts an empty one.
  private close(): void {
    this.blocks.push(this.current());
    this.newBlock();
    this.n = 0;
  }

  private current(): PackedEvents {
    const { n, types, times, ints, pooled } = this;
    const wide = this.wide.length === 0 ? NO_WIDE : new Float64Array(this.wide);
    this.wide = [];
    return pooled ? { n, types, times, ints, wide, pooled } : { n, types, times, ints, wide };
  }

  /** Whether a block is full and waiting for {@link takeFull}. */
  get hasFull(): boolean {
    return this.blocks.length > 0;
  }

  /** The full blocks so far, in order, handed over (to stream them before the generation ends). */
  takeFull(): PackedEvents[] {
    const full = this.blocks;
    this.blocks = [];
    return full;
  }

  /** The events packed, in blocks (the last one not full); the packer is spent. */
  finish(): PackedEvents[] {
    if (this.n > 0 || this.blocks.length === 0) this.blocks.push(this.current());
    else if (this.pooled) Atomics.store(this.pooled.states, this.pooled.slot, 0);
    return this.blocks;
  }
}

/**
 * Where unpacking stands: the time of the last event handed out (times are
 * forced to increase across generations, as the sequential read does) and
 * the number of Sync events so far.
 *
 * @example
 * ```ts
 * import type { UnpackClock } from "./packed.ts";
 * const c: UnpackClock = { last: 0, syncs: 0 };
 * console.assert(c.syncs === 0);
 * ```
 */
export interface UnpackClock {
  /** Time of the last event made. */
  last: number;
  /** Sync events made so far. */
  syncs: number;
}

/**
 * Makes events `from` to `to` of `p`, with `tables`, into `out`. A Sync is
 * numbered after the ones before it, and every time is forced past the last
 * one: a generation ordered on its own knew neither.
 */
export function unpackEvents(
  p: PackedEvents,
  tables: GenTables | null,
  clock: UnpackClock,
  from: number,
  to: number,
  out: Event[],
): void {
  // What a scan shows, each copied into an object of its own.
  scanEvents(p, tables, clock, from, to, (e) => {
    out.push(
      new Event(e.tables, e.thread, e.proc, e.goroutine, e.type, e.time, e.a0, e.a1, e.a2, e.a3),
    );
  });
}

/**
 * Shows events `from` to `to` of `p` to `fn` one after another through one
 * Event object filled again from the arrays for each (numbered and timed as
 * {@link unpackEvents} makes them): no object per event, and the consumer
 * sees the same kind of object as from the sequential reader, so its field
 * reads stay monomorphic (a view whose fields were getters made the
 * analyses over it half as fast). The object is valid until `fn` returns.
 *
 * @example
 * ```ts
 * import { EventPacker, scanEvents } from "./packed.ts";
 * import { Event } from "../events/event.ts";
 * const p = new EventPacker();
 * p.add(new Event(null, 1, 0, 7, 10, 50, 1, 2, 3, 4));
 * p.add(new Event(null, 1, 0, 7, 10, 50, 5, 6, 7, 8));
 * const [packed] = p.finish();
 * const seen: number[] = [];
 * scanEvents(packed, null, { last: 0, syncs: 0 }, 0, packed.n, (ev) => {
 *   console.assert(ev instanceof Event && ev.goroutine === 7);
 *   seen.push(ev.time, ev.a0);
 * });
 * console.assert(seen.join() === "50,1,51,5");
 * ```
 */
export function scanEvents(
  p: PackedEvents,
  tables: GenTables | null,
  clock: UnpackClock,
  from: number,
  to: number,
  fn: (ev: Event) => void,
): void {
  const ev = new Event(tables, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  const { times, ints, types, wide } = p;
  let last = clock.last;
  for (let i = from; i < to; i++) {
    const k = STRIDE * i;
    const type = types[i];
    // Each time forced past the last one and each Sync numbered, in place
    // (as the sequential read does: a generation ordered on its own knew
    // neither), in the same pass that shows the event.
    let t = times[i];
    if (t <= last) times[i] = t = last + 1;
    last = t;
    if (type === EV_SYNC) ints[k + 3] = ++clock.syncs;
    refillEvent(
      ev,
      tables,
      slot(ints, k, wide),
      slot(ints, k + 1, wide),
      slot(ints, k + 2, wide),
      type,
      t,
      slot(ints, k + 3, wide),
      slot(ints, k + 4, wide),
      slot(ints, k + 5, wide),
      slot(ints, k + 6, wide),
    );
    fn(ev);
  }
  clock.last = last;
}
