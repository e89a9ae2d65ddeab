/**
 * Events as typed arrays, to move a generation's ordered events between
 * threads without cloning objects: a type byte and eight numbers per event
 * (time, thread, P, goroutine, four arguments). The receiving side makes
 * `Event` objects from them, or shows them through one reused object.
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

/** Numbers per event in {@link PackedEvents.nums}: time, M, P, G, four arguments. */
const STRIDE = 8;

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
 * ```
 */
export interface PackedEvents {
  /** Number of events. */
  n: number;
  /** Wire type of each ({@link EV_SYNC} for Sync). */
  types: Uint8Array<ArrayBufferLike>;
  /** Time, thread, P, goroutine and four arguments of each, eight numbers per event. */
  nums: Float64Array<ArrayBufferLike>;
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
 * console.assert(block.pooled?.slot === 0 && block.nums.buffer === pool.nums);
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
  /** The slots' numbers, `STRIDE * block` each. */
  nums: SharedArrayBuffer;
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
      nums: new SharedArrayBuffer(slots * block * STRIDE * 8),
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
 * const b = { n: 0, types: new Uint8Array(4), nums: new Float64Array(32) };
 * releaseBlock(b);
 * console.assert(b.nums.buffer.byteLength === 0);
 * ```
 */
export function releaseBlock(p: PackedEvents): void {
  if (p.pooled) {
    Atomics.store(p.pooled.states, p.pooled.slot, 0);
    return;
  }
  const t = p.types.buffer, n = p.nums.buffer;
  if (t instanceof ArrayBuffer) t.transfer(0);
  if (n instanceof ArrayBuffer) n.transfer(0);
}

/** What a posted message transfers of `blocks`: the arrays of those not in a pool. */
export function blockTransfers(blocks: PackedEvents[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const b of blocks) {
    if (b.pooled) continue;
    out.push(b.types.buffer as ArrayBuffer, b.nums.buffer as ArrayBuffer);
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
  private nums!: Float64Array<ArrayBufferLike>;
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
        this.nums = new Float64Array(pool.nums, i * b * STRIDE * 8, b * STRIDE);
        this.pooled = { slot: i, states };
        return;
      }
    }
    this.types = new Uint8Array(this.block);
    this.nums = new Float64Array(STRIDE * this.block);
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
    const k = STRIDE * i;
    const nums = this.nums;
    nums[k] = time;
    nums[k + 1] = m;
    nums[k + 2] = p;
    nums[k + 3] = g;
    nums[k + 4] = a0;
    nums[k + 5] = a1;
    nums[k + 6] = a2;
    nums[k + 7] = a3;
  }

  /** Packs the `count` events written past the packed ones. */
  commit(count: number): void {
    const from = this.n;
    const to = from + count;
    const types = this.types;
    const nums = this.nums;
    for (let i = from; i < to; i++) {
      const type = types[i];
      const m = nums[STRIDE * i + 1];
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
    const nums = this.nums;
    const k = STRIDE * i;
    const thread = nums[k + 1];
    const a0 = nums[k + 4], a1 = nums[k + 5], a2 = nums[k + 6], a3 = nums[k + 7];
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
    const nums = new Float64Array(STRIDE * size);
    nums.set(this.nums);
    this.nums = nums;
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
    const { n, types, nums, pooled } = this;
    return pooled ? { n, types, nums, pooled } : { n, types, nums };
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

  /** Drops the events packed in the block being filled (a warm-up's, never sent). */
  clear(): void {
    this.n = 0;
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
  const nums = p.nums, types = p.types;
  let last = clock.last;
  for (let i = from; i < to; i++) {
    const k = STRIDE * i;
    const type = types[i];
    // Each time forced past the last one and each Sync numbered, in place
    // (as the sequential read does: a generation ordered on its own knew
    // neither), in the same pass that shows the event.
    let t = nums[k];
    if (t <= last) nums[k] = t = last + 1;
    last = t;
    if (type === EV_SYNC) nums[k + 4] = ++clock.syncs;
    refillEvent(
      ev,
      tables,
      nums[k + 1],
      nums[k + 2],
      nums[k + 3],
      type,
      t,
      nums[k + 4],
      nums[k + 5],
      nums[k + 6],
      nums[k + 7],
    );
    fn(ev);
  }
  clock.last = last;
}
