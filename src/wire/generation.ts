/**
 * Generations: the trace is a sequence of self-contained generations, each a
 * set of batches with its own string and stack tables. This module splits
 * the byte stream into generations and parses their structural batches.
 *
 * Before Go 1.26 a generation ends only where a batch of the next one
 * begins, so that first batch "spills" over into the next read. From Go
 * 1.26 an explicit end-of-generation byte closes each one.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { type Batch, batchIs, completePrefix, isSyncBatch, readBatch } from "./batch.ts";
import { Ev } from "./spec.ts";
import { sortLikeGo } from "./go_sort.ts";
import {
  addCPUSamples,
  addStacks,
  addStrings,
  checkStackStrings,
  type CPUSampleRecord,
  GenTables,
  setSync,
} from "./tables.ts";

/** One parsed generation: its event batches grouped by M, and its tables. */
export interface Generation {
  /** Generation number. */
  gen: number;
  /** Event batches by M, in file order. */
  batches: Map<number, Batch[]>;
  /** Ms in the order their first batch appeared (the frontier is built in this order). */
  batchMs: number[];
  /** CPU samples sorted by time (ns). */
  cpuSamples: CPUSampleRecord[];
  /** Smallest batch timestamp, in ticks. */
  minTs: number;
  /** Lookup tables. */
  tables: GenTables;
  /** Number of batches of every kind, for locating errors. */
  batchCount: number;
  /** Byte offset of the generation's first batch. */
  offset: number;
}

/** What asking for the next generation gave. */
export type GenerationRead =
  | { kind: "generation"; generation: Generation; error?: TraceError }
  | { kind: "end" }
  | { kind: "more" }
  | { kind: "error"; error: TraceError };

/**
 * What to do with a generation whose end is missing (the input was cut, or a
 * batch after it cannot be read):
 *
 * - `reference` (the default): exactly what Go's reader does: before Go 1.26
 *   it orders whatever batches of the last generation it has and reports the
 *   error after them (or fails on the first event the loss breaks); from Go
 *   1.26 it reports the error without them.
 * - `complete-generations`: only generations known to be whole, then the
 *   error. A generation is whole when a batch of the next one follows it, when
 *   it ends with its string table (which the runtime writes last, before Go
 *   1.26), or at its end-of-generation marker (Go 1.26+).
 * - `orderable`: everything the reference gives, plus as much of the cut
 *   generation as can still be put in order: its whole batches, the whole
 *   events of a batch cut in the middle, ids of lost stack and string tables
 *   resolving to nothing, the previous generation's clock frequency if its own
 *   was lost. Reading stops, with the error, where ordering can go no further.
 *
 * @example
 * ```ts
 * import type { PartialMode } from "./generation.ts";
 * const modes: PartialMode[] = ["reference", "complete-generations", "orderable"];
 * console.assert(modes.length === 3);
 * ```
 */
export type PartialMode = "reference" | "complete-generations" | "orderable";

/**
 * Why the generation last returned by a splitter may lack its end.
 *
 * @example
 * ```ts
 * import type { Incomplete } from "./generation.ts";
 * const why = (i: Incomplete) => i.truncation ? `cut at byte ${i.at}` : "unreadable batch";
 * console.assert(typeof why === "function");
 * ```
 */
export interface Incomplete {
  /** The generation as returned, or null when none was. */
  generation: Generation | null;
  /** Its number. */
  gen: number;
  /** Byte offset where the usable input ends. */
  at: number;
  /** The cause is the input ending early (rather than a batch that cannot be read). */
  truncation: boolean;
  /** Known for sure (a batch cut short), rather than inferred from a missing string table. */
  certain: boolean;
  /** The error that reports the loss, when the reference reports one. */
  error?: TraceError;
}

/**
 * Ceilings on what one generation may hold, so that hostile input stops
 * with a TraceError `too-large` instead of exhausting memory. A generation
 * costs memory in proportion to the batches it keeps (empty event batches
 * are not kept) and to the bytes they span; every ceiling is per generation.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS, type GenerationLimits } from "./generation.ts";
 * const small: GenerationLimits = { maxGenerationBytes: 64 << 20 };
 * console.assert(small.maxGenerationBytes! < DEFAULT_LIMITS.maxGenerationBytes);
 * ```
 */
export interface GenerationLimits {
  /** Most bytes a generation's batches may span in the file. */
  maxGenerationBytes?: number;
  /** Most batches a generation may keep (empty event batches are skipped, not kept). */
  maxBatches?: number;
  /** Most distinct threads (Ms) with event batches in a generation. */
  maxThreads?: number;
}

/**
 * The ceilings used when none are given: sized for a machine with a few GiB
 * of JavaScript heap (V8's default limit is 4 GiB on a 24 GiB machine). A
 * generation of Go's runtime spans about a second of the program: 48 MB, 742
 * batches and 5 threads for the busiest trace of the corpus.
 *
 * @example
 * ```ts
 * import { DEFAULT_LIMITS } from "./generation.ts";
 * console.assert(DEFAULT_LIMITS.maxGenerationBytes === 2 ** 31);
 * ```
 */
export const DEFAULT_LIMITS: Readonly<Required<GenerationLimits>> = {
  // Batches hold views of the input, so a generation's bytes stay in memory.
  maxGenerationBytes: 2 ** 31,
  // A kept batch costs about 200 bytes of heap: 4 Mi of them, under 1 GiB.
  maxBatches: 4 << 20,
  // A thread seen only in empty batches costs a set entry; one with events, a cursor too.
  maxThreads: 1 << 20,
};

/** Options of a {@link GenerationSplitter}. */
export interface SplitterOptions extends GenerationLimits {
  /** What to do with a generation whose end is missing; `reference` by default. */
  partial?: PartialMode;
}

/**
 * What the splitter saw of a generation's batches, the empty event batches
 * it did not keep included.
 *
 * @example
 * ```ts
 * import { buildGeneration, type BatchSummary } from "./generation.ts";
 * const seen: BatchSummary = { count: 3, minTs: 10, offset: 16, threads: new Set([4]) };
 * const r = buildGeneration(1, [], 22, undefined, seen);
 * console.assert("error" in r); // still no frequency batch
 * ```
 */
export interface BatchSummary {
  /** Batches read, empty ones included. */
  readonly count: number;
  /** Smallest batch timestamp (ticks), empty batches included. */
  readonly minTs: number;
  /** Byte offset of the first batch. */
  readonly offset: number;
  /** Threads of event batches in order of first appearance, empty batches included. */
  readonly threads: ReadonlySet<number>;
}

/**
 * The batches of a generation as they are read: every one but empty event
 * batches (which carry nothing and, in a flood, would cost a Batch object
 * each), and what the skipped ones still tell: the order in which threads
 * first appear, the smallest timestamp and the number of batches.
 */
class Gathering implements BatchSummary {
  readonly batches: Batch[] = [];
  /** Batches read, empty ones included. */
  count = 0;
  /** Bytes of the file they span. */
  bytes = 0;
  minTs = 0;
  offset = 0;
  /** Plain event batches read, empty ones included. */
  events = 0;
  /** Threads of event batches, in order of first appearance (empty batches included). */
  readonly threads: Set<number> = new Set();
  /** The last batch read is a string table (the runtime writes it last, before Go 1.26). */
  lastIsStrings = false;

  constructor(readonly gen: number, readonly limits: Required<GenerationLimits>) {}

  /** Adds a batch spanning `size` bytes; a `too-large` error past a ceiling. */
  add(b: Batch, size: number, version: number): TraceError | null {
    const l = this.limits;
    if (this.count++ === 0) this.offset = b.offset;
    this.bytes += size;
    this.lastIsStrings = batchIs(b, Ev.Strings);
    if (this.minTs === 0 || b.time < this.minTs) this.minTs = b.time;
    let keep = true;
    if (isPlainEventBatch(b, version)) {
      this.events++;
      // Go's reader skips empty batches when it reads events; only the
      // thread's first appearance (the frontier's order) and the time count.
      keep = b.data.length !== 0;
      if (!this.threads.has(b.m)) {
        this.threads.add(b.m);
        if (this.threads.size > l.maxThreads) {
          return tooLarge(b, this.gen, `more than ${l.maxThreads} threads`, "maxThreads");
        }
      }
    }
    if (this.bytes > l.maxGenerationBytes) {
      return tooLarge(b, this.gen, `more than ${l.maxGenerationBytes} bytes`, "maxGenerationBytes");
    }
    if (keep) {
      this.batches.push(b);
      if (this.batches.length > l.maxBatches) {
        return tooLarge(b, this.gen, `more than ${l.maxBatches} batches`, "maxBatches");
      }
    }
    return null;
  }

  /** Adds what can be read of a batch cut short (not counted against the ceilings). */
  salvaged(b: Batch, version: number): void {
    if (this.count++ === 0) this.offset = b.offset;
    if (this.minTs === 0 || b.time < this.minTs) this.minTs = b.time;
    if (isPlainEventBatch(b, version)) this.threads.add(b.m);
    this.batches.push(b);
  }
}

/** Bytes of the file a batch spans, header included. */
function span(b: Batch): number {
  return b.dataOffset - b.offset + b.data.length;
}

function tooLarge(b: Batch, gen: number, what: string, option: string): TraceError {
  return new TraceError(
    "too-large",
    `generation too large: ${what} (ReaderOptions.${option})`,
    { offset: b.offset, generation: gen || undefined },
  );
}

/**
 * The message for a generation that ends without its end, in the reference's
 * words (Go 1.26's reader says it; older ones have no marker to miss).
 */
export const INCOMPLETE_GENERATION = "incomplete generation found; trace likely truncated";

/**
 * Splits bytes into generations. Feed it bytes with {@link push} (and call
 * {@link finish} at the end of input); {@link next} then returns the next
 * generation, or asks for more bytes.
 *
 * @example
 * ```ts
 * import { GenerationSplitter } from "./generation.ts";
 * const s = new GenerationSplitter(22);
 * s.finish();
 * console.assert(s.next().kind === "error"); // no frequency event in an empty trace
 * ```
 */
export class GenerationSplitter {
  private buf: Uint8Array = new Uint8Array(0);
  private off = 0;
  private base: number; // absolute offset of buf[0]
  private eof = false;
  private spill: Batch | null = null;
  private started = false;
  private lastFreq = -1; // of the last generation built (-1: none), for salvaging the next
  /** What to do with a generation whose end is missing. */
  readonly partial: PartialMode;
  /** Ceilings on one generation. */
  readonly limits: Required<GenerationLimits>;
  /**
   * Set when the generation last returned (or failed) may lack its end; the
   * Reader reads its errors as consequences of that.
   */
  incomplete: Incomplete | null = null;

  /** `base` is the byte offset of the first byte pushed (the header length). */
  constructor(readonly version: number, base = 0, options: SplitterOptions = {}) {
    this.base = base;
    this.partial = options.partial ?? "reference";
    this.limits = {
      maxGenerationBytes: options.maxGenerationBytes ?? DEFAULT_LIMITS.maxGenerationBytes,
      maxBatches: options.maxBatches ?? DEFAULT_LIMITS.maxBatches,
      maxThreads: options.maxThreads ?? DEFAULT_LIMITS.maxThreads,
    };
  }

  /**
   * The bytes {@link push} would carry over into the next buffer: those
   * not yet cut into batches (at most a partial batch). An input that can
   * read after a prefix puts them before its next chunk, for
   * {@link pushAfterUnread}.
   */
  get unread(): Uint8Array {
    return this.buf.subarray(this.unreadFrom());
  }

  /** Where the bytes not yet cut into batches begin in `buf`. */
  private unreadFrom(): number {
    return Math.min(this.resume ? this.resume.off : this.off, this.buf.length);
  }

  /**
   * Adds bytes read from the input that begin with a copy of
   * {@link unread}: what {@link push} does, without copying the chunk.
   */
  pushAfterUnread(chunk: Uint8Array): void {
    const keep = this.unreadFrom();
    if (chunk.length < this.buf.length - keep) throw new RangeError("chunk lacks the unread bytes");
    this.base += keep;
    this.buf = chunk;
    this.off = Math.max(0, this.off - keep);
    if (this.resume) this.resume.off -= keep;
  }

  /**
   * The input buffers that bytes still held here view: the buffer being
   * split, the batches of a generation not yet whole and a batch of the
   * next one already read. Any other buffer pushed earlier is free once the
   * generations returned before are ordered (their tables keep no views).
   */
  heldBuffers(): Set<ArrayBufferLike> {
    const held = new Set<ArrayBufferLike>([this.buf.buffer]);
    if (this.spill) held.add(this.spill.data.buffer);
    const got = this.resume?.got;
    if (got) { for (const b of got.batches) held.add(b.data.buffer); }
    return held;
  }

  /** Adds bytes read from the input. */
  push(chunk: Uint8Array): void {
    // Only bytes not yet cut into batches are carried over (batches already
    // read keep views of their old buffers), so each push copies at most a
    // partial batch: reading stays linear in the input, whatever the
    // generation size.
    const unread = this.unread;
    if (unread.length === 0) return this.pushAfterUnread(chunk);
    const merged = new Uint8Array(unread.length + chunk.length);
    merged.set(unread);
    merged.set(chunk, unread.length);
    this.pushAfterUnread(merged);
  }

  // Where a scan that ran out of bytes stopped, to go on from there.
  private resume: { off: number; got: Gathering | null; gen: number } | null = null;

  /** Marks the end of input. */
  finish(): void {
    this.eof = true;
  }

  /** Bytes consumed so far (absolute offset of the next unread byte). */
  get position(): number {
    return this.base + this.off;
  }

  /** Absolute offset of the end of the bytes pushed so far. */
  get end(): number {
    return this.base + this.buf.length;
  }

  /** Reads the next generation, if the bytes for it are all here. */
  next(): GenerationRead {
    return this.version >= 26 ? this.nextDelimited() : this.nextWithSpill();
  }

  /** Go 1.22–1.25: reads batches until one belongs to the next generation. */
  private nextWithSpill(): GenerationRead {
    let off = this.off;
    let got: Gathering | null = null;
    let gen = 0;
    let spillError: TraceError | undefined;
    let cut: Batch | undefined; // a batch of this generation cut short by the end of input
    let nextSeen = false; // a batch header of the next generation was read
    if (this.resume) {
      ({ off, got, gen } = this.resume);
      this.resume = null;
    } else if (this.spill) {
      gen = this.spill.gen;
      got = new Gathering(gen, this.limits);
      const e = got.add(this.spill, span(this.spill), this.version);
      if (e) return this.refuse(e);
    }
    let nextSpill: Batch | null = null;
    for (;;) {
      const r = readBatch(this.buf, off, this.base, this.eof);
      if (r.kind === "more") {
        this.resume = { off, got, gen };
        return { kind: "more" };
      }
      if (r.kind === "eof") break;
      if (r.kind === "error") {
        // An unreadable batch after a readable one may just be a truncated
        // next generation: keep what we have and report the error after it.
        if (gen !== 0) {
          spillError = r.error.withLocation({ generation: gen });
          if (r.gen === gen + 1) nextSeen = true;
          else if (r.partial && r.gen === gen) cut = r.partial;
          break;
        }
        return { kind: "error", error: r.error };
      }
      const b = r.batch;
      if (b.gen === 0) {
        return { kind: "error", error: genError("invalid generation number 0", b) };
      }
      if (gen === 0) gen = b.gen;
      if (b.gen === gen + 1) {
        nextSpill = b;
        nextSeen = true;
        off = r.end;
        break;
      }
      if (b.gen !== gen) return { kind: "error", error: genError("generations out of order", b) };
      got ??= new Gathering(gen, this.limits);
      const e = got.add(b, r.end - off, this.version);
      if (e) return this.refuse(e);
      off = r.end;
    }
    if (got === null && this.started && !spillError) {
      return { kind: "end" };
    }
    got ??= new Gathering(gen, this.limits);
    this.started = true;
    this.off = off;
    this.spill = nextSpill;
    if (!nextSpill && !spillError) this.done = true;

    // Whole, as far as can be told: the next generation has begun, or the
    // runtime's last batch of a generation, its string table, is here.
    const whole = nextSeen || got.lastIsStrings;
    let lost: Incomplete | null = null;
    if (!whole) {
      const truncation = !spillError || spillError.code === "truncated";
      const at = spillError
        ? spillError.truncatedAt ?? spillError.offset ?? this.position
        : this.position;
      lost = { generation: null, gen, at, truncation, certain: !!spillError, error: spillError };
    }
    if (spillError?.code === "truncated" && spillError.truncatedAt === undefined) {
      spillError = spillError.withLocation({ truncatedAt: this.end });
    }
    if (lost) lost.error = spillError;
    this.incomplete = lost;

    if (lost && this.partial === "complete-generations") {
      return { kind: "error", error: spillError ?? incompleteError(gen, lost.at) };
    }
    const salvage = lost !== null && this.partial === "orderable";
    if (salvage && cut) {
      const n = completePrefix(cut);
      if (n > 0) got.salvaged({ ...cut, data: cut.data.subarray(0, n) }, this.version);
    }
    const built = buildGeneration(
      gen,
      got.batches,
      this.version,
      salvage ? this.lastFreq : undefined,
      got,
    );
    if ("error" in built) {
      const e = lost?.truncation && explainedByTruncation(built.error)
        ? built.error.asTruncated(lost.at)
        : built.error;
      return { kind: "error", error: e };
    }
    this.lastFreq = built.tables.freq;
    if (lost) lost.generation = built;
    if (spillError) this.spill = null;
    const result: GenerationRead = { kind: "generation", generation: built };
    if (spillError) result.error = spillError;
    return result;
  }

  /** True once the last generation has been returned. */
  done = false;

  /** A generation past a ceiling: the end of reading. */
  private refuse(error: TraceError): GenerationRead {
    this.done = true;
    this.spill = null;
    this.incomplete = null;
    return { kind: "error", error };
  }

  /** Go 1.26+: reads batches up to the end-of-generation byte. */
  private nextDelimited(): GenerationRead {
    let off = this.off;
    let got: Gathering | null = null;
    let gen = 0;
    if (this.resume) {
      ({ off, got, gen } = this.resume);
      this.resume = null;
    }
    this.incomplete = null;
    for (;;) {
      const r = readBatch(this.buf, off, this.base, this.eof);
      if (r.kind === "more") {
        this.resume = { off, got, gen };
        return { kind: "more" };
      }
      if (r.kind === "eof") {
        this.off = off;
        // The reference ends quietly when no event batch was read; the
        // partial modes know better: the generation began and never ended.
        if (got && (got.events !== 0 || this.partial !== "reference")) {
          const at = this.base + off;
          return this.lost(gen, got, incompleteError(gen, at), at);
        }
        this.done = true;
        return { kind: "end" };
      }
      if (r.kind === "error") {
        if (gen === 0 || !r.partial || r.gen !== gen) {
          return this.lost(gen, got, r.error, r.error.truncatedAt ?? this.end);
        }
        const n = completePrefix(r.partial);
        got ??= new Gathering(gen, this.limits);
        if (n > 0) {
          got.salvaged({ ...r.partial, data: r.partial.data.subarray(0, n) }, this.version);
        }
        return this.lost(gen, got, r.error, r.error.truncatedAt ?? this.end);
      }
      const b = r.batch;
      const start = off;
      off = r.end;
      if (gen === 0) gen = b.gen;
      if (batchIs(b, Ev.EndOfGeneration)) break;
      if (b.gen === 0) return { kind: "error", error: genError("invalid generation number 0", b) };
      if (b.gen !== gen) {
        return {
          kind: "error",
          error: genError(
            "broken trace: missing end-of-generation event, or generations are interleaved",
            b,
          ),
        };
      }
      got ??= new Gathering(gen, this.limits);
      const e = got.add(b, off - start, this.version);
      if (e) return this.refuse(e);
    }
    this.off = off;
    got ??= new Gathering(gen, this.limits);
    const built = buildGeneration(gen, got.batches, this.version, undefined, got);
    if ("error" in built) return { kind: "error", error: built.error };
    this.lastFreq = built.tables.freq;
    return { kind: "generation", generation: built };
  }

  /**
   * Go 1.26+: a generation cut short. The reference reports the error and
   * nothing of the generation; in `orderable` mode what can be salvaged of it
   * comes first.
   */
  private lost(gen: number, got: Gathering | null, error: TraceError, at: number): GenerationRead {
    this.done = true;
    const truncation = error.code === "truncated";
    const lost: Incomplete = { generation: null, gen, at, truncation, certain: true, error };
    this.incomplete = lost;
    if (this.partial !== "orderable" || gen === 0 || got === null || got.count === 0) {
      return { kind: "error", error };
    }
    const built = buildGeneration(gen, got.batches, this.version, this.lastFreq, got);
    if ("error" in built) return { kind: "error", error };
    lost.generation = built;
    return { kind: "generation", generation: built, error };
  }
}

/**
 * Whether a failure is one that losing the tail of its generation explains
 * (an ordering failure, an unknown stack or string id, a missing frequency).
 *
 * @example
 * ```ts
 * import { explainedByTruncation } from "./generation.ts";
 * import { TraceError } from "../trace_error.ts";
 * console.assert(explainedByTruncation(new TraceError("bad-table-id", "found invalid stack ID 4 for event GoBlock")));
 * console.assert(!explainedByTruncation(new TraceError("bad-varint", "found invalid uvarint")));
 * ```
 */
export function explainedByTruncation(e: TraceError): boolean {
  return e.code === "ordering" || e.code === "bad-table-id" ||
    /^no (frequency|clock snapshot) event found$/.test(e.message);
}

function incompleteError(gen: number, at: number): TraceError {
  return new TraceError("truncated", INCOMPLETE_GENERATION, {
    offset: at,
    generation: gen || undefined,
    truncatedAt: at,
  });
}

function isPlainEventBatch(b: Batch, version: number): boolean {
  return b.exp === 0 && !batchIs(b, Ev.Strings) && !batchIs(b, Ev.Stacks) &&
    !batchIs(b, Ev.CPUSamples) && !isSyncBatch(b, version);
}

function genError(msg: string, b: Batch): TraceError {
  return new TraceError("bad-generation", msg, { offset: b.offset, generation: b.gen, m: b.m });
}

/**
 * Parses the structural batches of a generation and groups its event batches
 * by M. With `salvageFreq` (a generation cut short, read in `orderable`
 * mode) it is lenient: a table batch that fails keeps the entries before the
 * failure, ids of lost tables resolve to nothing, and a lost frequency is
 * taken to be `salvageFreq` (the previous generation's; -1 if none).
 * `seen` says what the splitter saw besides `batches` (the empty event
 * batches it skipped): the frontier's thread order, the smallest time and
 * the batch count come from it.
 *
 * @example
 * ```ts
 * import { buildGeneration } from "./generation.ts";
 * const r = buildGeneration(1, [], 22);
 * console.assert("error" in r && r.error.message === "no frequency event found");
 * ```
 */
export function buildGeneration(
  gen: number,
  batches: Batch[],
  version: number,
  salvageFreq?: number,
  seen?: BatchSummary,
): Generation | { error: TraceError } {
  const tables = new GenTables();
  const lenient = salvageFreq !== undefined;
  const g: Generation = {
    gen,
    batches: new Map(),
    batchMs: [],
    cpuSamples: [],
    minTs: seen?.minTs ?? 0,
    tables,
    batchCount: seen?.count ?? batches.length,
    offset: seen?.offset ?? (batches.length ? batches[0].offset : 0),
  };
  try {
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i];
      const where = { generation: gen, m: b.m, batch: i };
      if (!seen && (g.minTs === 0 || b.time < g.minTs)) g.minTs = b.time;
      try {
        if (batchIs(b, Ev.Strings)) addStrings(tables, b, where);
        else if (batchIs(b, Ev.Stacks)) addStacks(tables, b, where);
        else if (batchIs(b, Ev.CPUSamples)) addCPUSamples(g.cpuSamples, b, where);
        else if (isSyncBatch(b, version)) setSync(tables, b, version, where);
        else if (b.exp !== 0) {
          let list = tables.expBatches.get(b.exp);
          if (!list) tables.expBatches.set(b.exp, list = []);
          // A copy: the tables outlive the input buffers, which a file's
          // reader reuses once the generation is ordered.
          list.push({ thread: b.m, data: b.data.slice() });
        } else {
          let list = g.batches.get(b.m);
          if (!list) {
            g.batches.set(b.m, list = []);
            if (!seen) g.batchMs.push(b.m);
          }
          list.push(b);
        }
      } catch (e) {
        if (!lenient || !(e instanceof TraceError)) throw e;
      }
    }
    // A thread comes in the order of its first batch, empty or not; one
    // with only empty batches has no events to give.
    if (seen) { for (const m of seen.threads) if (g.batches.has(m)) g.batchMs.push(m); }
    const where = { generation: gen, offset: g.offset };
    if (lenient) {
      if (!tables.hasFreq && salvageFreq! >= 0) {
        tables.freq = salvageFreq!;
        tables.hasFreq = true;
      }
      tables.lenient = true;
    }
    if (!tables.hasFreq) throw new TraceError("bad-table", "no frequency event found", where);
    if (version >= 25 && !tables.hasClockSnapshot && !lenient) {
      throw new TraceError("bad-table", "no clock snapshot event found", where);
    }
    if (!lenient) checkStackStrings(tables, where);
    tables.seal();
  } catch (e) {
    if (e instanceof TraceError) return { error: e };
    throw e;
  }
  for (const s of g.cpuSamples) s.time = tables.toNs(s.time);
  // Go sorts samples with its unstable sort: equal times keep its order.
  sortLikeGo(g.cpuSamples, (s) => s.time);
  return g;
}
