/**
 * The ordering engine: takes generations from the splitter, keeps a frontier
 * of per-M cursors, and repeatedly advances the earliest event that the
 * scheduler state allows. Emits a Sync event at every generation boundary.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import type { Generation, GenerationSplitter } from "../wire/generation.ts";
import type { CPUSampleRecord } from "../wire/tables.ts";
import { Ev, SPECS } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import { Event } from "../events/event.ts";
import { EV_SYNC } from "../events/kinds.ts";
import { BatchCursor, wireArg, type WireEvent } from "../wire/cursor.ts";
import {
  type Frontier,
  heapInsert,
  heapRemove,
  heapUpdate,
  newFrontier,
  siftDown,
  sortFrontier,
} from "./frontier.ts";
import { Ordering } from "./rules.ts";
import { formatU64 } from "../wire/uvarint.ts";

const NO_SAMPLES: CPUSampleRecord[] = [];

// Event types that reference the stack or string table.
const HAS_IDS: readonly boolean[] = Array.from(
  { length: 256 },
  (_, t) =>
    t !== EV_SYNC && !!SPECS[t] && (SPECS[t].stacks.length > 0 || SPECS[t].strings.length > 0),
);

// Argument slots (0-3) holding stack and string ids, per type; -1 for none.
// Flat tables, because the check runs for most events.
function slots(pick: (t: number) => readonly number[], k: number): Int8Array {
  const out = new Int8Array(256).fill(-1);
  for (let t = 0; t < SPECS.length; t++) out[t] = (pick(t)[k] ?? 0) - 1;
  return out;
}
const STACK_SLOT0 = slots((t) => SPECS[t].stacks, 0);
const STACK_SLOT1 = slots((t) => SPECS[t].stacks, 1);
const STRING_SLOT0 = slots((t) => SPECS[t].strings, 0);
const STRING_SLOT1 = slots((t) => SPECS[t].strings, 1);

/**
 * Whether the bitmaps show every stack and string id of `ev` present: the
 * cheap check made for every event; false only sends it to the full one.
 */
function idsInBitmaps(ev: WireEvent, stacks: Uint8Array, strings: Uint8Array): boolean {
  const type = ev.type;
  let k = STACK_SLOT0[type];
  if (k >= 0 && stacks[wireArg(ev, k)] !== 1) return false;
  k = STACK_SLOT1[type];
  if (k >= 0 && stacks[wireArg(ev, k)] !== 1) return false;
  k = STRING_SLOT0[type];
  if (k >= 0 && strings[wireArg(ev, k)] !== 1) return false;
  k = STRING_SLOT1[type];
  return k < 0 || strings[wireArg(ev, k)] === 1;
}

/**
 * The first stack or string id of a wire event missing from the tables. The
 * rules never rewrite id arguments, and the events they make up carry none,
 * so checking the cursor's event checks everything its advance placed.
 */
function badTableId(ev: WireEvent, t: GenTables): { what: string; id: number } | null {
  const type = ev.type;
  let k = STACK_SLOT0[type];
  if (k >= 0 && !t.hasStack(wireArg(ev, k))) return { what: "stack", id: wireArg(ev, k) };
  k = STACK_SLOT1[type];
  if (k >= 0 && !t.hasStack(wireArg(ev, k))) return { what: "stack", id: wireArg(ev, k) };
  k = STRING_SLOT0[type];
  if (k >= 0 && !t.hasString(wireArg(ev, k))) return { what: "string", id: wireArg(ev, k) };
  k = STRING_SLOT1[type];
  if (k >= 0 && !t.hasString(wireArg(ev, k))) return { what: "string", id: wireArg(ev, k) };
  return null;
}

/** Returned by {@link Engine.next} when the splitter needs more input bytes. */
export const NEED_MORE: unique symbol = Symbol("need-more");

/**
 * Puts the events of a trace in order. Pull with {@link next}.
 *
 * @example
 * ```ts
 * import { Engine } from "./engine.ts";
 * import { GenerationSplitter } from "../wire/generation.ts";
 * const s = new GenerationSplitter(22);
 * s.finish();
 * const e = new Engine(22, s);
 * console.assert((e.next() as { kind: string }).kind === "Sync"); // a Sync, then the error
 * ```
 */
export class Engine {
  /** The replayed scheduler state. */
  readonly order: Ordering;
  /** The generation being ordered. */
  gen: Generation | null = null;
  /** Cursors of the Ms that still have events, as a min-heap by time. */
  get frontier(): BatchCursor[] {
    return this.heap.cursors;
  }
  // The cursors' heap, with their times beside them.
  private heap: Frontier = newFrontier(8);
  /** Number of Sync events emitted. */
  syncs = 0;
  /** Time of the last event handed out or placed (times are forced to increase). */
  get lastTs(): number {
    return this.order.lastTime;
  }
  /** True after the final Sync. */
  done = false;
  /** The cursor whose event was placed last (null for Syncs and CPU samples). */
  lastCursor: BatchCursor | null = null;
  private cpuIdx = 0;
  /** The cursor being advanced (after an error: the one whose event failed). */
  current: BatchCursor | null = null;
  private pendingError: TraceError | null = null;
  private pendingSynced = false;
  /**
   * Whether the engine may place events ahead of those handed out: the
   * reader's fast path. The stepper turns it off, to see one advance a step.
   */
  batching = true;
  /**
   * Most events the fast path places ahead at once: enough to amortise a
   * fill (and its restart of an M's run), few enough that the queue's array
   * stays young (see `drained`). 512 read workmix 2-3% faster than 128.
   */
  fillLimit = 512;
  // An error met while placing ahead, thrown once the events before it are out.
  private deferred: unknown = null;

  /**
   * An engine over the generations a splitter yields.
   * @param version trace version
   * @param splitter source of generations
   * @param order the scheduler state to go on from (a fresh one by default):
   *   the state the generations before the splitter's first one left
   */
  constructor(
    version: number,
    splitter: GenerationSplitter,
    order: Ordering = new Ordering(version),
  ) {
    this.version = version;
    this.splitter = splitter;
    this.order = order;
  }
  // Declared, not parameter properties, so that the numeric fields stay
  // numbers (see Ordering.version).
  /** Trace version. */
  declare readonly version: number;
  /** Source of generations. */
  declare readonly splitter: GenerationSplitter;

  /** The next event, null at the end, or NEED_MORE if more input must be pushed first. */
  next(): Event | null | typeof NEED_MORE {
    // Events already placed (by an advance that yields several, or by the
    // fast path) go out first; an error met while placing them comes after.
    let ev: Event | typeof NEED_MORE | null = this.order.next();
    if (ev !== null || this.done) return ev;
    if (this.deferred === null) {
      if (this.batching) {
        this.fill();
        ev = this.order.next();
        if (ev !== null) return ev;
      }
      // A bad table id found by this step is kept in `deferred` too.
      if (this.deferred === null) ev = this.stepSafely();
    }
    if (ev === null && this.deferred !== null) {
      this.done = true;
      throw this.deferred;
    }
    return ev;
  }

  /**
   * The fast path: while the earliest M's event can advance (and no CPU
   * sample comes first), advance it, up to a few hundred events, leaving them
   * in the order's queue. Anything else (a held-back event, a generation
   * boundary) is left to {@link step}. An error is kept until the events
   * placed before it have been handed out, as the one-at-a-time path would.
   */
  private fill(): void {
    const gen = this.gen;
    if (gen === null) return;
    const heap = this.heap;
    const f = heap.cursors;
    const o = this.order;
    const cpu = gen.cpuSamples;
    const tables = gen.tables;
    const stackIds = tables.stackIds;
    const stringIds = tables.stringIds;
    const g = gen.gen;
    let mark = o.tail;
    let markTime = o.lastTime;
    let advanced = false;
    // The cursor being advanced and the last one advanced, kept in locals
    // and stored once at the end.
    let current = this.current;
    let last = this.lastCursor;
    // A CPU sample earlier than every M's next event is step()'s to hand out.
    const cpuTime = this.cpuIdx < cpu.length ? cpu[this.cpuIdx].time : Infinity;
    try {
      const limit = this.fillLimit;
      const times = heap.times;
      outer: while (f.length > 0 && o.tail - o.head < limit) {
        const bc = f[0];
        if (cpuTime < times[0]) break;
        // While the root's next event is no later than its children's (and
        // the next CPU sample), it stays the root: the heap is restored once
        // the M's run ends, not after every event.
        const n = f.length;
        let stop = cpuTime;
        if (n > 1 && times[1] < stop) stop = times[1];
        if (n > 2 && times[2] < stop) stop = times[2];
        current = bc;
        for (;;) {
          mark = o.tail;
          markTime = o.lastTime;
          advanced = false;
          if (o.advance(bc, tables, bc.m, g) !== true) break outer;
          advanced = true;
          last = bc;
          if (
            HAS_IDS[bc.type] && !idsInBitmaps(bc, stackIds, stringIds) &&
            !this.checkPlaced(bc, mark, markTime)
          ) break outer;
          if (!bc.next()) {
            heapRemove(heap, 0);
            break;
          }
          times[0] = bc.time;
          if (bc.time > stop || o.tail - o.head >= limit) {
            siftDown(heap, 0);
            break;
          }
        }
      }
    } catch (e) {
      // Go's reader returns a decoding error of the M's next event in place
      // of the event just advanced: drop what that advance placed.
      if (advanced) o.unplace(mark, markTime);
      this.current = current;
      this.deferred = this.located(e);
    }
    this.current = current;
    this.lastCursor = last;
  }

  /** An error with the location of the event being advanced, when it has none. */
  private located(e: unknown): unknown {
    const bc = this.current;
    if (e instanceof TraceError && bc) {
      return e.withLocation({
        offset: bc.evOffset,
        generation: this.gen?.gen,
        m: bc.m,
        batch: bc.evBatch,
      });
    }
    return e;
  }

  /** {@link step}, with errors located at the event being advanced. */
  private stepSafely(): Event | typeof NEED_MORE | null {
    const time = this.order.lastTime;
    try {
      return this.step();
    } catch (e) {
      // Nothing placed by the failing advance goes out after the error.
      this.done = true;
      this.order.unplace(0, time);
      throw this.located(e);
    }
  }

  /** One step: a queued event, a CPU sample, an advance, or a new generation. */
  private step(): Event | typeof NEED_MORE | null {
    this.lastCursor = null;
    this.current = null;
    const gen = this.gen;
    const cpu = gen ? gen.cpuSamples : NO_SAMPLES;
    if (this.frontier.length === 0 && this.cpuIdx >= cpu.length) return this.nextGeneration();
    // A CPU sample goes first if it is earlier than every M's next event.
    if (this.cpuIdx < cpu.length) {
      const s = cpu[this.cpuIdx];
      if (this.frontier.length === 0 || s.time < this.frontier[0].time) {
        this.cpuIdx++;
        const time = this.stamp(s.time);
        return new Event(gen!.tables, s.m, s.p, s.g, Ev.CPUSample, time, s.stack, 0, 0, 0);
      }
    }
    if (this.frontier.length === 0) {
      throw this.stuck("broken trace: frontier is empty");
    }
    // Usually the earliest event can advance. If not, try the others in
    // time order (sorting keeps the heap a heap).
    if (!this.tryAdvance(0)) {
      sortFrontier(this.heap);
      let ok = false;
      for (let i = 1; i < this.frontier.length; i++) {
        if (this.tryAdvance(i)) {
          ok = true;
          break;
        }
      }
      if (!ok) throw this.stuck("broken trace: failed to advance: frontier:");
    }
    return this.order.next();
  }

  /** Advances the event of frontier entry `i` if the rules allow it. */
  private tryAdvance(i: number): boolean {
    const bc = this.frontier[i];
    const gen = this.gen!;
    this.current = bc;
    const mark = this.order.tail;
    const markTime = this.order.lastTime;
    if (this.order.advance(bc, gen.tables, bc.m, gen.gen) !== true) return false;
    this.lastCursor = bc;
    if (HAS_IDS[bc.type] && !this.checkPlaced(bc, mark, markTime)) return true;
    if (bc.next()) {
      this.heap.times[i] = bc.time;
      heapUpdate(this.heap, i);
    } else heapRemove(this.heap, i);
    return true;
  }

  /** Loads the next generation (or reports the end or a deferred error). */
  private nextGeneration(): Event | typeof NEED_MORE {
    if (this.pendingError) {
      // The error comes after a Sync that closes what was read before it.
      if (this.pendingSynced) throw this.pendingError;
      this.pendingSynced = true;
      return this.sync(null, this.lastTs);
    }
    if (this.version < 26 && this.gen && this.splitter.done) return this.finish();
    const r = this.splitter.next();
    if (r.kind === "more") return NEED_MORE;
    if (r.kind === "end") return this.finish();
    if (r.kind === "error") {
      this.gen = null;
      this.pendingError = r.error;
      this.pendingSynced = true;
      return this.sync(null, this.lastTs);
    }
    if (r.error) {
      this.pendingError = r.error;
      this.pendingSynced = false;
    }
    return this.install(r.generation);
  }

  /** The final Sync. */
  private finish(): Event {
    this.gen = null;
    const ev = this.sync(null, this.lastTs);
    this.done = true;
    return ev;
  }

  /** Makes a generation current and builds its frontier. */
  private install(g: Generation): Event {
    this.gen = g;
    this.cpuIdx = 0;
    for (const m of g.batchMs) {
      const bc = new BatchCursor(m, g.batches.get(m)!, g.tables);
      if (!bc.next()) continue;
      heapInsert(this.heap, bc);
    }
    return this.sync(g.tables, g.tables.toNs(g.minTs));
  }

  /** A Sync event. */
  private sync(tables: GenTables | null, time: number): Event {
    this.syncs++;
    return new Event(tables, -1, -1, -1, EV_SYNC, this.stamp(time), this.syncs, 0, 0, 0);
  }

  /** The time for an event made here and handed out at once, forced past the last one. */
  private stamp(time: number): number {
    const o = this.order;
    if (time <= o.lastTime) time = o.lastTime + 1;
    o.lastTime = time;
    return time;
  }

  /**
   * Checks the stack and string ids of the event `bc` just advanced, which
   * placed events from queue index `from`. Go's reader reports a bad id when
   * it hands that event out: the events before it stay queued and the error
   * waits behind them. False on a bad id.
   */
  private checkPlaced(bc: BatchCursor, from: number, fromTime: number): boolean {
    const bad = badTableId(bc, this.gen!.tables);
    if (bad === null) return true;
    this.order.unplace(from, fromTime);
    this.deferred = new TraceError(
      "bad-table-id",
      `found invalid ${bad.what} ID ${formatU64(bad.id)} for event ${SPECS[bc.type].name}`,
      { offset: bc.evOffset, generation: this.gen?.gen, m: bc.m, batch: bc.evBatch },
    );
    return false;
  }

  /** The frontier as text: each M's next event with its arguments. */
  dumpFrontier(): string {
    let s = "";
    for (const bc of this.frontier) {
      const spec = SPECS[bc.type];
      s += `M ${bc.m} [${spec.name} time=${bc.time}`;
      spec.args.slice(1).forEach((a, i) => s += ` ${a}=${formatU64(wireArg(bc, i))}`);
      s += "]\n";
    }
    return s;
  }

  /** The error for a frontier that cannot move, with the state dumped. */
  private stuck(what: string): TraceError {
    const g = this.gen?.gen ?? 0;
    const msg = `${what}\n[gen=${g}]\n\n${this.dumpFrontier()}\n${this.order.dump()}\n`;
    const bc = this.frontier[0];
    return new TraceError("ordering", msg, {
      generation: g,
      offset: bc?.evOffset,
      m: bc?.m,
      batch: bc?.evBatch,
    });
  }
}
