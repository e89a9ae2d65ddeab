/**
 * Reading a trace's generations in parallel, on Web Workers.
 *
 * Generations are self-contained (each starts with the status of every G
 * and P it touches), so a worker can order a run of them without the ones
 * before. What it cannot know is what those left: the `from` state of the
 * first statuses, the threads' P and G, regions, tasks, the GC sequence, the
 * last time. So each worker but the first starts from the state its first
 * generation announces (`announcedState`: its statuses and active ranges),
 * and the main thread compares that with the true one (the previous
 * worker's, or the sequential engine's). Equal states give equal events, by
 * determinism; entries only the true state has are inert until an event
 * names them, which each generation's notes say. Times are forced past the
 * last one and Syncs renumbered as the events are rebuilt. Anything else (a
 * state that differs, such as a region open across the boundary, a worker
 * whose ordering failed, bytes that cannot be split) is ordered on the main
 * thread by the sequential engine, seeded with the true state, and the
 * workers' results are taken up again once their state matches.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { headerLength, LEGACY_VERSIONS } from "../wire/header.ts";
import { buildGeneration, GenerationSplitter } from "../wire/generation.ts";
import { type GenerationSpan, splitGenerations } from "../wire/boundaries.ts";
import { Engine, NEED_MORE } from "../order/engine.ts";
import { Ordering } from "../order/rules.ts";
import {
  type Inert,
  inertDifference,
  orderingFromSnapshot,
  type OrderingSnapshot,
  refsAllowed,
  snapshotOrdering,
  withInert,
} from "../order/snapshot.ts";
import { Event } from "../events/event.ts";
import { EV_SYNC } from "../events/kinds.ts";
import type { GenTables } from "../wire/tables.ts";
import { forWorker } from "../wire/worker_bytes.ts";
import { Outcome, type ReaderOptions } from "./outcome.ts";
import { Reader } from "./reader.ts";
import {
  BlockPool,
  type PackedEvents,
  releaseBlock,
  scanEvents,
  type UnpackClock,
  unpackEvents,
} from "./packed.ts";
import type { ToMain, WorkerJob } from "./parallel_protocol.ts";

/**
 * Options of {@link ParallelReader} and {@link readEventsParallel}.
 *
 * @example
 * ```ts
 * import type { ParallelOptions } from "./parallel.ts";
 * const o: ParallelOptions = { workers: 2, batchSize: 4096 };
 * console.assert(o.workers === 2);
 * ```
 */
export interface ParallelOptions extends ReaderOptions {
  /** Number of workers (default: `navigator.hardwareConcurrency`, at least 1). */
  workers?: number;
  /** Most events per array handed out (default 8192). */
  batchSize?: number;
  /**
   * The main thread orders the first run of generations itself, with the
   * sequential engine, while the workers order the others: it would mostly
   * wait otherwise, and it has no new engine to compile. `workers` then
   * counts the main thread (2: the main thread and one worker). Default false.
   */
  mainRun?: boolean;
  /**
   * Events per block a worker posts as it orders (default 16384): the main
   * thread hands a generation's events out while the worker is still
   * ordering it. Tests take small blocks, to see many.
   */
  blockEvents?: number;
  /**
   * Most events a worker whose run comes later may order ahead of the main
   * thread (default 6,291,456: about 230 MB as the 37 bytes each crosses as).
   * It then waits until the main thread reaches its run and takes them up,
   * so a read's memory does not grow with the trace; the first run's worker
   * keeps 16 blocks ahead at most. Tests take few, to see the waits.
   */
  aheadEvents?: number;
}

/**
 * How a parallel read went, for tuning and for estimating other worker
 * counts (see `benches/parallel_bench.ts`).
 *
 * @example
 * ```ts
 * import type { ParallelStats } from "./parallel.ts";
 * const s: ParallelStats = { sequential: true, generations: [], workerMs: [], warmMs: [], mainMs: [], mainRun: [], onMainThread: [], reasons: [], splitMs: 0 };
 * console.assert(s.sequential);
 * ```
 */
export interface ParallelStats {
  /** The whole trace was read by the sequential reader (old format, one generation, cannot be split...). */
  sequential: boolean;
  /** Generation number of each span ordered apart. */
  generations: number[];
  /** Per span: time its worker took to order it (ms; NaN if it did not). */
  workerMs: number[];
  /** Per worker: time it took to read the state its run starts from (ms; 0 for the first). */
  warmMs: number[];
  /** Per span: this thread's time to build its tables and show its events, or to order it (ms; waits for a worker not counted). */
  mainMs: number[];
  /** Generation numbers the main thread ordered as its own run ({@link ParallelOptions.mainRun}). */
  mainRun: number[];
  /** Generation numbers ordered on the main thread (fallbacks), in order. */
  onMainThread: number[];
  /** Why each of `onMainThread` was. */
  reasons: string[];
  /** Main-thread time to find the generations and start the workers (ms). */
  splitMs: number;
}

// Blocks messages a worker streaming the events the main thread takes next
// may post ahead of it: its memory stays bounded (16 x 16384 events).
const AHEAD = 16;

interface Chunk {
  from: number;
  to: number;
  worker: Worker | null;
  // The worker's credit for blocks messages (see WorkerJob.credit).
  credit: Int32Array | null;
  warm: Deferred<OrderingSnapshot | null> | null;
  clean: Deferred<boolean>;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  done: boolean;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => resolve = r);
  const d: Deferred<T> = {
    promise,
    resolve: (v) => {
      if (d.done) return;
      d.done = true;
      resolve(v);
    },
    done: false,
  };
  return d;
}

type GenResult = Extract<ToMain, { kind: "gen" | "fail" }>;
type Blocks = Extract<ToMain, { kind: "blocks" }>;

/** The blocks a worker posts for one generation as it orders it, until its result. */
class Flow {
  #queue: Blocks[] = [];
  #wake: Deferred<void> | null = null;
  #closed = false;

  /** Blocks posted. */
  push(m: Blocks): void {
    this.#queue.push(m);
    this.#wake?.resolve();
  }

  /** The generation's result is in (or never will be): no more blocks. */
  close(): void {
    this.#closed = true;
    this.#wake?.resolve();
  }

  /** The next blocks posted, waiting for them; null once closed and empty. */
  async next(): Promise<Blocks | null> {
    for (;;) {
      const m = this.#queue.shift();
      if (m !== undefined) return m;
      if (this.#closed) return null;
      this.#wake = deferred();
      await this.#wake.promise;
      this.#wake = null;
    }
  }
}

// A block of a worker's events, for the consumer to make or scan.
interface Piece {
  events: PackedEvents;
  tables: GenTables;
  clock: UnpackClock;
  index: number;
}

/**
 * Reads an uncompressed trace in memory with its generations ordered in
 * parallel on workers, handing out the same events, in the same order, with
 * the same error at the end, as `Reader.fromBytes(bytes).readEvent()` does.
 * Iterate it for arrays of events. Old-format traces, traces of one
 * generation and other partial modes are read sequentially.
 *
 * @example
 * ```ts
 * import { ParallelReader } from "./parallel.ts";
 * import { pingPongTrace } from "../../benches/synthetic.ts";
 * const r = ParallelReader.fromBytes(pingPongTrace(6, 2000), { workers: 2 });
 * let n = 0;
 * for await (const events of r) n += events.length;
 * console.assert(n > 12000 && r.stats.onMainThread.length === 0);
 * ```
 */
export class ParallelReader implements AsyncIterable<Event[]> {
  /** Trace version. */
  readonly version: number;
  /** How the read went (filled in as it goes). */
  readonly stats: ParallelStats = {
    sequential: false,
    generations: [],
    workerMs: [],
    warmMs: [],
    mainMs: [],
    mainRun: [],
    onMainThread: [],
    reasons: [],
    splitMs: 0,
  };
  readonly #bytes: Uint8Array;
  readonly #options: ParallelOptions;
  #used = false;

  private constructor(bytes: Uint8Array, version: number, options: ParallelOptions) {
    this.#bytes = bytes;
    this.version = version;
    this.#options = options;
  }

  /**
   * A parallel reader over uncompressed trace bytes. Throws what
   * `Reader.fromBytes` throws for a bad header.
   */
  static fromBytes(bytes: Uint8Array, options: ParallelOptions = {}): ParallelReader {
    const r = Reader.fromBytes(bytes, options); // the same header errors
    return new ParallelReader(bytes, r.version, options);
  }

  /** The events in order, in arrays; throws the sequential read's error after the events before it. */
  [Symbol.asyncIterator](): AsyncIterator<Event[]> {
    return this.#arrays();
  }

  async *#arrays(): AsyncGenerator<Event[]> {
    const size = this.#batchSize;
    for await (const piece of this.#pieces()) {
      if (typeof piece === "number") continue; // only a scan gets counts
      if (Array.isArray(piece)) {
        yield piece;
        continue;
      }
      const { events, tables, clock, index } = piece;
      for (let from = 0; from < events.n; from += size) {
        const out: Event[] = [];
        const t = performance.now();
        unpackEvents(events, tables, clock, from, Math.min(events.n, from + size), out);
        this.stats.mainMs[index] += performance.now() - t;
        yield out;
      }
      releaseBlock(events);
    }
  }

  /**
   * Calls `fn` with every event, in order, through one reused Event object
   * (rewritten for each, as `Reader.scan` does), and resolves to how many
   * there were: the events ordered by the workers cross to this thread as
   * numbers and are never made into objects, so this thread's share of the
   * work stays small. Throws the sequential read's error after the events
   * before it.
   *
   * @example
   * ```ts
   * import { ParallelReader } from "./parallel.ts";
   * import { readEvents } from "./reader.ts";
   * import { pingPongTrace } from "../../benches/synthetic.ts";
   * const bytes = pingPongTrace(4, 500);
   * const lines: string[] = [];
   * const n = await ParallelReader.fromBytes(bytes, { workers: 2 }).scan((ev) => lines.push(ev.toString()));
   * const seq = readEvents(bytes).map(String);
   * console.assert(n === seq.length && lines.every((l, i) => l === seq[i]));
   * ```
   */
  async scan(fn: (ev: Event) => void): Promise<number> {
    let n = 0;
    for await (const piece of this.#pieces(fn)) {
      if (typeof piece === "number") {
        n += piece;
        continue;
      }
      if (Array.isArray(piece)) {
        for (const ev of piece) fn(ev);
        n += piece.length;
        continue;
      }
      const { events, tables, clock, index } = piece;
      const t = performance.now();
      scanEvents(events, tables, clock, 0, events.n, fn);
      releaseBlock(events);
      this.stats.mainMs[index] += performance.now() - t;
      n += events.n;
    }
    return n;
  }

  get #batchSize(): number {
    return Math.max(1, this.#options.batchSize ?? 8192);
  }

  /**
   * The events in order: arrays of events read on this thread, and blocks
   * of a worker's events as numbers, which the consumer makes into events
   * (or scans) before asking for more, keeping `clock` up to date. Given
   * `scan`, a read that is sequential throughout is `Reader.scan` with it
   * instead, and yields how many events it saw.
   */
  async *#pieces(scan?: (ev: Event) => void): AsyncGenerator<Event[] | Piece | number> {
    if (this.#used) throw new TypeError("a ParallelReader reads once");
    this.#used = true;
    const bytes = this.#bytes;
    const version = this.version;
    const opts = this.#options;
    const t0 = performance.now();
    const workers = Math.max(1, Math.floor(opts.workers ?? navigator.hardwareConcurrency ?? 1));
    const mainRun = opts.mainRun === true;
    const partial = opts.partial ?? "reference";
    // The main thread alone is the sequential read.
    if (LEGACY_VERSIONS.includes(version) || partial !== "reference" || (mainRun && workers < 2)) {
      yield* this.#sequential(scan);
      return;
    }
    const hl = headerLength(version);
    const { spans, rest } = splitGenerations(bytes, version, hl);
    // One generation is the main thread's own run, unless it only takes
    // the events (then a worker orders it and streams them).
    if (spans.length === 0 || (mainRun && spans.length < 2)) {
      yield* this.#sequential(scan);
      return;
    }
    const st = this.stats;
    st.generations = spans.map((s) => s.gen);
    st.workerMs = spans.map(() => NaN);
    st.mainMs = spans.map(() => 0);
    const results = spans.map(() => deferred<GenResult>());
    const flows = spans.map(() => new Flow());
    const own: (OrderingSnapshot | undefined)[] = [];
    const planned = plan(spans, workers);
    st.warmMs = planned.map(() => 0);
    const chunks = planned.map((c, k) =>
      mainRun && k === 0
        ? this.#own(c, results, flows)
        : this.#start(c, k, spans, results, flows, own)
    );
    const chunkOf = new Int32Array(spans.length);
    chunks.forEach((c, k) => chunkOf.fill(k, c.from, c.to + 1));
    st.splitMs = performance.now() - t0;

    const clock: UnpackClock = { last: 0, syncs: 0 };
    const size = this.#batchSize;
    // The true state after the last generation handed out (null: none yet).
    let exact: OrderingSnapshot | null = null;
    // Entries the current worker's state lacks; null when its state is the true one.
    let inert: Inert | null = null;
    let fromWorker = -1; // chunk whose results are being taken, -1 after a fallback
    let tail: Tail | null = null;
    try {
      for (let i = 0; i < spans.length; i++) {
        const c = chunkOf[i];
        // The main thread's own run: ordered here, as a fallback is.
        const mine = mainRun && c === 0;
        let ok = !mine;
        let why = "";
        // Taking up a worker's results: its state before this span must be the true one.
        const takeUp = ok && fromWorker !== c;
        const before = !takeUp
          ? null
          : i === chunks[c].from && c > 0
          ? await chunks[c].warm!.promise
          : own[i - 1] ?? null;
        // This thread's time on the span, not counting its waits for the worker.
        const tm = performance.now();
        if (takeUp) {
          if (i === 0) inert = null;
          else if (exact === null || before === null) ok = false;
          else {
            inert = inertDifference(exact, before, spans[i].gen);
            ok = inert !== null;
          }
          if (!ok) why = "the worker's state before it differs";
        }
        const built = ok ? buildGeneration(spans[i].gen, spans[i].batches, version) : null;
        if (built !== null && "error" in built) {
          ok = false;
          why = "its tables";
        }
        const tables = built !== null && !("error" in built) ? built.tables : null;
        const busy = performance.now() - tm;
        // The worker's blocks as they come, when its state is the true one
        // (nothing its events name can be missing): only a failure later can
        // undo them, and the fallback then skips the events handed out.
        const clockAtStart = { ...clock };
        let handed = 0;
        const flow = flows[i];
        // Otherwise they are kept until then (taken off the worker's credit).
        const kept: Blocks[] = [];
        const live = ok && inert === null;
        for (let m = await flow.next(); m !== null; m = await flow.next()) {
          if (live) {
            for (const s of m.extras) tables!.addExtraString(s);
            for (const events of m.events) {
              yield { events, tables: tables!, clock, index: i };
              handed += events.n;
            }
          } else kept.push(m);
          giveCredit(chunks[c].credit);
        }
        const res = await results[i].promise;
        if (ok && res.kind === "fail") {
          ok = false;
          why = `worker: ${res.why}`;
        }
        if (ok && res.kind === "gen" && inert !== null && !refsAllowed(res.refs, inert)) {
          ok = false;
          why = "it names what the worker's state lacks";
        }
        // The trace's last generation: only if the worker then ended it cleanly.
        if (ok && i === spans.length - 1 && rest === -1 && !await chunks[c].clean.promise) {
          ok = false;
          why = "the worker did not end cleanly";
        }
        if (ok && res.kind === "gen") {
          tail = null;
          fromWorker = c;
          st.workerMs[i] = res.ms;
          st.mainMs[i] += busy;
          // Blocks kept back until the result said they could be trusted.
          for (const m of kept) {
            for (const s of m.extras) tables!.addExtraString(s);
            for (const events of m.events) yield { events, tables: tables!, clock, index: i };
          }
          for (const s of res.extras) tables!.addExtraString(s);
          for (const events of res.events) yield { events, tables: tables!, clock, index: i };
          exact = inert === null ? res.state : withInert(res.state, inert);
        } else {
          // Blocks never handed out are dropped.
          for (const m of kept) m.events.forEach(releaseBlock);
          if (res.kind === "gen") res.events.forEach(releaseBlock);
          fromWorker = -1;
          if (mine) st.mainRun.push(spans[i].gen);
          else {
            st.onMainThread.push(spans[i].gen);
            st.reasons.push(why);
          }
          // Ordered again from its start, where the clock goes back to; the
          // events the worker's blocks gave are the same, and not given twice.
          clock.last = clockAtStart.last;
          clock.syncs = clockAtStart.syncs;
          const tf = performance.now();
          st.mainMs[i] += busy;
          tail ??= new Tail(version, bytes, spans[i].start, exact, clock);
          if (scan) {
            // Scanned as Reader.scan does: no array, no Event made per event.
            const n = tail.scanGeneration(scan, handed);
            st.mainMs[i] += performance.now() - tf;
            yield n;
          } else {
            const it = tail.generation(size);
            let skip = handed;
            for (let t = tf;; t = performance.now()) {
              const r = it.next();
              st.mainMs[i] += performance.now() - t;
              if (r.done) break;
              let events = r.value;
              if (skip > 0) {
                const n = Math.min(skip, events.length);
                skip -= n;
                events = events.slice(n);
                if (events.length === 0) continue;
              }
              yield events;
            }
          }
          exact = snapshotOrdering(tail.engine.order);
        }
        own[i - 1] = undefined;
      }
      if (tail === null && rest !== -1) tail = new Tail(version, bytes, rest, exact, clock);
      if (tail !== null) {
        // The bytes after the last whole generation, or the rest of a
        // fallback that reached the end: in order, to the end.
        if (scan) yield tail.scanToEnd(scan);
        else yield* tail.toEnd(size);
      } else {
        yield [new Event(null, -1, -1, -1, EV_SYNC, clock.last + 1, ++clock.syncs, 0, 0, 0)];
      }
    } finally {
      for (const ch of chunks) ch.worker?.terminate();
    }
  }

  /** The main thread's own run: its spans' results say so, and no worker starts. */
  #own(ch: { from: number; to: number }, results: Deferred<GenResult>[], flows: Flow[]): Chunk {
    for (let j = ch.from; j <= ch.to; j++) {
      results[j].resolve({ kind: "fail", index: j, why: "the main thread's run" });
      flows[j].close();
    }
    return { ...ch, worker: null, credit: null, warm: null, clean: deferred() };
  }

  /** Starts the worker of a chunk, routing what it posts to the spans' results. */
  #start(
    ch: { from: number; to: number },
    k: number,
    spans: GenerationSpan[],
    results: Deferred<GenResult>[],
    flows: Flow[],
    own: (OrderingSnapshot | undefined)[],
  ): Chunk {
    const bytes = this.#bytes;
    // A later run starts from the state its first generation announces.
    const warm = ch.from > 0;
    const first = ch.from;
    const start = spans[first].start;
    const through = spans[ch.to].through;
    const end = through === -1 ? bytes.length : through;
    // The first run's events are taken as they come: its worker keeps a
    // few blocks ahead. The others' wait until the main thread reaches
    // them, up to the events they may order ahead of it.
    const block = count(this.#options.blockEvents, 16384, 1 << 20);
    const ahead = count(this.#options.aheadEvents, 6 << 20, 2 ** 50);
    const credit = new Int32Array(new SharedArrayBuffer(4));
    credit[0] = k === 0 ? AHEAD : Math.min(2 ** 30, Math.max(AHEAD, Math.ceil(ahead / block)));
    const chunk: Chunk = {
      ...ch,
      worker: null,
      credit,
      warm: warm ? deferred() : null,
      clean: deferred(),
    };
    const failFrom = (k: number, why: string) => {
      if (k <= first) chunk.warm?.resolve(null);
      for (let j = Math.max(k, ch.from); j <= ch.to; j++) {
        results[j].resolve({ kind: "fail", index: j, why });
        flows[j].close();
      }
      chunk.clean.resolve(false);
    };
    const w = new Worker(new URL("./parallel_worker.ts", import.meta.url), { type: "module" });
    chunk.worker = w;
    w.onmessage = (e: MessageEvent<ToMain>) => {
      const m = e.data;
      if (m.kind === "warm") {
        this.stats.warmMs[k] = m.ms;
        chunk.warm?.resolve(m.state);
      } else if (m.kind === "blocks") {
        flows[m.index].push(m);
      } else if (m.kind === "gen") {
        own[m.index] = m.state;
        results[m.index].resolve(m);
        flows[m.index].close();
      } else if (m.kind === "fail") {
        failFrom(m.index, m.why);
      } else {
        chunk.clean.resolve(m.clean);
        failFrom(ch.to + 1, "no result");
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      failFrom(first, e.message);
    };
    // Bytes in shared memory are read in place; others are copied to it.
    const { part, transfer } = forWorker(bytes, start, end);
    const job: WorkerJob = {
      ...part,
      start,
      version: this.version,
      finish: through === -1,
      first,
      warm,
      initialGen: spans[0].gen,
      credit: credit.buffer as SharedArrayBuffer,
      block,
      // Enough blocks for the messages it may post ahead, and a few being read.
      pool: BlockPool.create(AHEAD + 4, block),
    };
    w.postMessage(job, transfer);
    return chunk;
  }

  /** The sequential read, in arrays; or, given `scan`, a scan with it (yielding its count). */
  async *#sequential(scan?: (ev: Event) => void): AsyncGenerator<Event[] | number> {
    this.stats.sequential = true;
    const r = Reader.fromBytes(this.#bytes, this.#options);
    if (scan) {
      // One Event refilled for each, as the workers' events are scanned.
      yield await r.scan(scan);
      return;
    }
    const size = this.#batchSize;
    let out: Event[] = [];
    try {
      for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) {
        out.push(ev);
        if (out.length === size) {
          yield out;
          out = [];
        }
      }
    } catch (e) {
      if (out.length) yield out;
      throw e;
    }
    if (out.length) yield out;
  }
}

/** A count option: a whole number from 1 to `max` (NaN or none: `dflt`). */
function count(n: number | undefined, dflt: number, max: number): number {
  return n === undefined || Number.isNaN(n) ? dflt : Math.min(max, Math.max(1, Math.floor(n)));
}

/** Gives a streaming worker back the credit of one blocks message taken. */
function giveCredit(credit: Int32Array | null): void {
  if (credit === null) return;
  Atomics.add(credit, 0, 1);
  Atomics.notify(credit, 0);
}

/**
 * Splits spans into `workers` runs of consecutive generations of about the
 * same number of bytes, counting a generation for each later run's start:
 * its worker reads the state its first generation announces in a pass over
 * it, and a new engine's first generation is cold.
 */
function plan(spans: GenerationSpan[], workers: number): { from: number; to: number }[] {
  const n = spans.length;
  const k = Math.min(workers, n);
  const sizes = spans.map((s) => s.end - s.start);
  const total = sizes.reduce((a, b) => a + b, 0);
  const target = (total + (k - 1) * total / n) / k;
  const out: { from: number; to: number }[] = [];
  let i = 0;
  for (let c = 0; c < k; c++) {
    const from = i;
    let cost = c > 0 ? sizes[i - 1] : 0;
    const keep = k - c - 1; // spans left for the runs after this one
    if (c === k - 1) i = n;
    else {
      while (i < n - keep) {
        cost += sizes[i++];
        if (cost >= target) break;
      }
    }
    out.push({ from, to: i - 1 });
  }
  return out;
}

/**
 * The sequential engine from a generation on, seeded with the state the
 * generations before left: what the Reader gives from there, errors and all.
 */
class Tail {
  declare private readonly clock: UnpackClock;
  readonly engine: Engine;
  readonly #outcome: Outcome;
  readonly #order: Ordering;
  #pending: Event | null = null;
  #started = false;

  constructor(
    version: number,
    bytes: Uint8Array,
    offset: number,
    state: OrderingSnapshot | null,
    clock: UnpackClock,
  ) {
    this.clock = clock; // not a parameter property: see BatchCursor
    const splitter = new GenerationSplitter(version, offset);
    splitter.push(bytes.subarray(offset));
    splitter.finish();
    const order = state ? orderingFromSnapshot(version, state, clock.last) : new Ordering(version);
    order.lastTime = clock.last;
    this.#order = order;
    this.engine = new Engine(version, splitter, order);
    this.engine.syncs = clock.syncs;
    this.#outcome = new Outcome(splitter);
  }

  /** The next event, as `Reader.readEvent` gives it. */
  #next(): Event | null {
    return this.#order.next() ?? this.#step();
  }

  /**
   * The events of one generation, in arrays: up to the Sync that opens the
   * next one, which is kept back (and handed out first by the next call).
   */
  *generation(size: number): Generator<Event[]> {
    yield* this.#run(size, true);
  }

  /** Everything to the end of the trace. */
  *toEnd(size: number): Generator<Event[]> {
    yield* this.#run(size, false);
  }

  *#run(size: number, oneGeneration: boolean): Generator<Event[]> {
    let out: Event[] = [];
    try {
      for (let ev = this.#nextInRun(oneGeneration); ev; ev = this.#nextInRun(oneGeneration)) {
        out.push(ev);
        if (out.length >= size) {
          yield out;
          out = [];
        }
      }
    } catch (e) {
      if (out.length) yield out;
      throw e;
    }
    if (out.length) yield out;
  }

  /**
   * {@link generation} for a scan: calls `fn` with each event but the
   * first `skip` (the engine's Event objects filled again, as in
   * `Reader.scan`) and returns how many it was called with.
   */
  scanGeneration(fn: (ev: Event) => void, skip: number): number {
    return this.#scan(fn, skip, true);
  }

  /** {@link toEnd} for a scan (see {@link scanGeneration}). */
  scanToEnd(fn: (ev: Event) => void): number {
    return this.#scan(fn, 0, false);
  }

  // The same loop as #nextInRun, written out: the main thread's own run
  // goes through it, and it measured 14% faster than one call per event.
  #scan(fn: (ev: Event) => void, skip: number, oneGeneration: boolean): number {
    let n = 0;
    const order = this.#order;
    const clock = this.clock;
    let last = clock.last;
    let ev = this.#pending;
    this.#pending = null;
    order.reuseEvents = true;
    try {
      for (;; ev = null) {
        if (ev === null) {
          try {
            ev = order.next() ?? this.#step();
          } catch (e) {
            throw e instanceof TraceError ? e : TraceError.from(e);
          }
          if (ev === null) break;
          if (oneGeneration && this.#started && ev.type === EV_SYNC && ev.tables !== null) {
            this.#pending = ev;
            break;
          }
          this.#started = true;
        }
        last = ev.time;
        if (ev.type === EV_SYNC) clock.syncs = ev.a0;
        if (skip > 0) skip--;
        else {
          fn(ev);
          n++;
        }
      }
    } finally {
      clock.last = last;
      order.reuseEvents = false;
    }
    return n;
  }

  // The engine's next event once nothing placed is left (see #next).
  #step(): Event | null {
    const ev = this.#outcome.next(this.#source, this.engine);
    if (ev === NEED_MORE) throw new TraceError("internal", "the splitter asked for more input");
    return ev;
  }

  readonly #source = (): Event | null | typeof NEED_MORE => this.engine.next();

  /**
   * The run's next event, noted on the clock; null at its end. With
   * `oneGeneration`, the Sync that opens the next generation ends it and is
   * kept back, to come first in the next run. Throws a TraceError.
   */
  #nextInRun(oneGeneration: boolean): Event | null {
    let ev = this.#pending;
    if (ev) this.#pending = null;
    else {
      try {
        ev = this.#next();
      } catch (e) {
        throw e instanceof TraceError ? e : TraceError.from(e);
      }
      if (ev === null) return null;
      if (oneGeneration && this.#started && ev.type === EV_SYNC && ev.tables !== null) {
        this.#pending = ev;
        return null;
      }
      this.#started = true;
    }
    return this.#take(ev);
  }

  /** Notes an event handed out on the shared clock. */
  #take(ev: Event): Event {
    this.clock.last = ev.time;
    if (ev.type === EV_SYNC) this.clock.syncs = ev.a0;
    return ev;
  }
}

/**
 * Reads every event of an uncompressed trace in memory, ordering its
 * generations in parallel on workers; the same events as `readEvents`.
 *
 * @example
 * ```ts
 * import { readEventsParallel } from "./parallel.ts";
 * import { readEvents } from "./reader.ts";
 * import { pingPongTrace } from "../../benches/synthetic.ts";
 * const bytes = pingPongTrace(4, 500);
 * const par = await readEventsParallel(bytes, { workers: 2 });
 * const seq = readEvents(bytes);
 * console.assert(par.length === seq.length && par.every((e, i) => e.toString() === seq[i].toString()));
 * ```
 */
export async function readEventsParallel(
  bytes: Uint8Array,
  options: ParallelOptions = {},
): Promise<Event[]> {
  const all: Event[] = [];
  for await (const events of ParallelReader.fromBytes(bytes, options)) {
    for (const ev of events) all.push(ev);
  }
  return all;
}
