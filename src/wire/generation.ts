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
import { type Batch, batchIs, isSyncBatch, readBatch } from "./batch.ts";
import { Ev } from "./spec.ts";
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

  /** `base` is the byte offset of the first byte pushed (the header length). */
  constructor(readonly version: number, base = 0) {
    this.base = base;
  }

  /** Adds bytes read from the input. */
  push(chunk: Uint8Array): void {
    if (this.off >= this.buf.length) {
      this.base += this.buf.length;
      this.buf = chunk;
      this.off = 0;
      return;
    }
    const rest = this.buf.length - this.off;
    const merged = new Uint8Array(rest + chunk.length);
    merged.set(this.buf.subarray(this.off), 0);
    merged.set(chunk, rest);
    this.base += this.off;
    this.buf = merged;
    this.off = 0;
  }

  /** Marks the end of input. */
  finish(): void {
    this.eof = true;
  }

  /** Bytes consumed so far (absolute offset of the next unread byte). */
  get position(): number {
    return this.base + this.off;
  }

  /** Reads the next generation, if the bytes for it are all here. */
  next(): GenerationRead {
    return this.version >= 26 ? this.nextDelimited() : this.nextWithSpill();
  }

  /** Go 1.22–1.25: reads batches until one belongs to the next generation. */
  private nextWithSpill(): GenerationRead {
    let off = this.off;
    const batches: Batch[] = [];
    let gen = 0;
    let spillError: TraceError | undefined;
    if (this.spill) {
      gen = this.spill.gen;
      batches.push(this.spill);
    }
    let nextSpill: Batch | null = null;
    for (;;) {
      const r = readBatch(this.buf, off, this.base, this.eof);
      if (r.kind === "more") return { kind: "more" };
      if (r.kind === "eof") break;
      if (r.kind === "error") {
        // An unreadable batch after a readable one may just be a truncated
        // next generation: keep what we have and report the error after it.
        if (gen !== 0) {
          spillError = r.error.withLocation({ generation: gen });
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
        off = r.end;
        break;
      }
      if (b.gen !== gen) return { kind: "error", error: genError("generations out of order", b) };
      batches.push(b);
      off = r.end;
    }
    if (!this.started && batches.length === 0 && !spillError && this.eof) {
      // An empty trace: Go reports the missing frequency.
    }
    if (this.spill === null && batches.length === 0 && this.started && !spillError) {
      return { kind: "end" };
    }
    this.started = true;
    this.off = off;
    this.spill = nextSpill;
    const built = buildGeneration(gen, batches, this.version);
    if ("error" in built) return { kind: "error", error: built.error };
    if (spillError) this.spill = null;
    const result: GenerationRead = { kind: "generation", generation: built };
    if (spillError) result.error = spillError;
    if (!nextSpill && !spillError) this.done = true;
    return result;
  }

  /** True once the last generation has been returned. */
  done = false;

  /** Go 1.26+: reads batches up to the end-of-generation byte. */
  private nextDelimited(): GenerationRead {
    let off = this.off;
    const batches: Batch[] = [];
    let gen = 0;
    let events = 0;
    for (;;) {
      const r = readBatch(this.buf, off, this.base, this.eof);
      if (r.kind === "more") return { kind: "more" };
      if (r.kind === "eof") {
        this.off = off;
        if (events !== 0) {
          return {
            kind: "error",
            error: new TraceError(
              "truncated",
              "incomplete generation found; trace likely truncated",
              { offset: this.base + off, generation: gen },
            ),
          };
        }
        this.done = true;
        return { kind: "end" };
      }
      if (r.kind === "error") return { kind: "error", error: r.error };
      const b = r.batch;
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
      if (isPlainEventBatch(b, this.version)) events++;
      batches.push(b);
    }
    this.off = off;
    const built = buildGeneration(gen, batches, this.version);
    if ("error" in built) return { kind: "error", error: built.error };
    return { kind: "generation", generation: built };
  }
}

function isPlainEventBatch(b: Batch, version: number): boolean {
  return b.exp === 0 && !batchIs(b, Ev.Strings) && !batchIs(b, Ev.Stacks) &&
    !batchIs(b, Ev.CPUSamples) && !isSyncBatch(b, version);
}

function genError(msg: string, b: Batch): TraceError {
  return new TraceError("bad-generation", msg, { offset: b.offset, generation: b.gen, m: b.m });
}

/** Parses the structural batches of a generation and groups its event batches by M. */
export function buildGeneration(
  gen: number,
  batches: Batch[],
  version: number,
): Generation | { error: TraceError } {
  const tables = new GenTables();
  const g: Generation = {
    gen,
    batches: new Map(),
    batchMs: [],
    cpuSamples: [],
    minTs: 0,
    tables,
    batchCount: batches.length,
    offset: batches.length ? batches[0].offset : 0,
  };
  try {
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i];
      const where = { generation: gen, m: b.m, batch: i };
      if (g.minTs === 0 || b.time < g.minTs) g.minTs = b.time;
      if (batchIs(b, Ev.Strings)) addStrings(tables, b, where);
      else if (batchIs(b, Ev.Stacks)) addStacks(tables, b, where);
      else if (batchIs(b, Ev.CPUSamples)) addCPUSamples(g.cpuSamples, b, where);
      else if (isSyncBatch(b, version)) setSync(tables, b, version, where);
      else if (b.exp !== 0) {
        let list = tables.expBatches.get(b.exp);
        if (!list) tables.expBatches.set(b.exp, list = []);
        list.push({ thread: b.m, data: b.data });
      } else {
        let list = g.batches.get(b.m);
        if (!list) {
          g.batches.set(b.m, list = []);
          g.batchMs.push(b.m);
        }
        list.push(b);
      }
    }
    const where = { generation: gen, offset: g.offset };
    if (tables.freq === 0) throw new TraceError("bad-table", "no frequency event found", where);
    if (version >= 25 && !tables.hasClockSnapshot) {
      throw new TraceError("bad-table", "no clock snapshot event found", where);
    }
    checkStackStrings(tables, where);
    tables.seal();
  } catch (e) {
    if (e instanceof TraceError) return { error: e };
    throw e;
  }
  for (const s of g.cpuSamples) s.time = tables.toNs(s.time);
  g.cpuSamples.sort((a, b) => a.time - b.time);
  return g;
}
