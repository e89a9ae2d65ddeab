/**
 * Authoring traces in TypeScript for tests. A trace is a list of
 * generations; a generation has event batches (per M), a string table, a
 * stack table and one clock batch. The builder keeps the bookkeeping right
 * (batch sizes, timestamp deltas, string and stack ids, the per-generation
 * Frequency/Sync, Stacks and Strings batches, go1.26's end-of-generation
 * byte) and checks event and argument names against the event table, but
 * does not check that the trace makes sense: broken traces are a feature.
 *
 * Layout of one generation, as the runtime writes it: the Sync batch
 * (go1.25+), the event batches in the order they were added, the CPU
 * samples batch, the Frequency batch (before go1.25), Stacks, Strings, then
 * EndOfGeneration (go1.26+).
 *
 * @example
 * ```ts
 * import { TraceBuilder } from "./builder.ts";
 * import { WireGoStatus, WireProcStatus } from "./spec.ts";
 * const t = new TraceBuilder(22);
 * const g = t.generation(1);
 * g.batch(0, 100)
 *   .event("ProcStatus", { dt: 0, p: 0, pstatus: WireProcStatus.Running })
 *   .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: WireGoStatus.Running })
 *   .event("GoBlock", { reason_string: "sleep", stack: [{ pc: 1, func: "main.main", file: "main.go", line: 3 }] });
 * const bytes = t.toBytes();
 * console.assert(bytes.length > 16);
 * ```
 *
 * @module
 */

import { encodeBinary, encodedSize, knownType, type RawEvent, type RawTrace } from "./raw.ts";
import { formatText } from "./text.ts";
import { Ev, eventTypesByName, GENERATIONAL_VERSIONS, MAX_BATCH_SIZE, SPECS } from "./spec.ts";

/**
 * A stack frame as authored: function and file are strings, interned into
 * the generation's string table when the stack is added.
 *
 * @example
 * ```ts
 * import type { Frame } from "./builder.ts";
 * const f: Frame = { pc: 0x401000, func: "main.main", file: "/app/main.go", line: 12 };
 * console.assert(f.line === 12);
 * ```
 */
export interface Frame {
  /** Program counter; frames with the same pc must agree on the rest. */
  pc: number;
  /** Function name. */
  func: string;
  /** Source file. */
  file: string;
  /** Line number. */
  line: number;
}

/**
 * An argument value: a number for anything; a string for `*_string`
 * arguments (interned); frames for `stack`/`new_stack` (interned; `[]` is 0).
 *
 * @example
 * ```ts
 * import type { ArgValue } from "./builder.ts";
 * const args: Record<string, ArgValue> = { reason_string: "chan receive", stack: 0 };
 * console.assert(typeof args.reason_string === "string");
 * ```
 */
export type ArgValue = number | string | readonly Frame[];

/**
 * The clock batch's contents. `time` is the batch's timestamp (go1.25+: the
 * ClockSnapshot's); by default the earliest batch time of the generation.
 * `mono`, `sec`, `nsec` are the ClockSnapshot's readings (go1.25+ only);
 * by default derived from `time`.
 *
 * @example
 * ```ts
 * import type { SyncOptions } from "./builder.ts";
 * const opts: SyncOptions = { time: 10, mono: 99, sec: 1740755049, nsec: 123 };
 * console.assert(opts.time === 10);
 * ```
 */
export interface SyncOptions {
  /** Timestamp (ticks) of the clock batch. */
  time?: number;
  /** Monotonic clock reading (go1.25+). */
  mono?: number;
  /** Wall clock seconds since the Unix epoch (go1.25+). */
  sec?: number;
  /** Wall clock nanoseconds within the second (go1.25+). */
  nsec?: number;
}

/** Events the builder writes itself; `event()` refuses them with a pointer to the right call. */
const MANAGED: Record<string, string> = {
  EventBatch: "generation.batch()",
  ExperimentalBatch: "generation.experimentalBatch()",
  Stacks: "generation.stack()",
  Stack: "generation.stack()",
  Strings: "generation.str() or generation.string()",
  String: "generation.str() or generation.string()",
  CPUSamples: "generation.cpuSample()",
  CPUSample: "generation.cpuSample()",
  Frequency: "generation.frequency()",
  Sync: "generation.frequency()",
  ClockSnapshot: "generation.frequency()",
  EndOfGeneration: "nothing (go1.26 traces get it automatically)",
};

/** The builder's frequency when `frequency()` is not called: 1 tick = 1 ns. */
const DEFAULT_FREQ = 1_000_000_000;
/** Wall clock of tick 0 for default clock snapshots: 2026-01-01T00:00:00Z. */
const DEFAULT_EPOCH_SEC = 1_767_225_600;

function typeByName(version: number, name: string): number {
  const t = eventTypesByName(version).get(name);
  if (t !== undefined) return t;
  for (let x = 128; x < SPECS.length; x++) {
    if (SPECS[x].name === name && knownType(x, version)) return x;
  }
  throw new Error(`unknown event ${JSON.stringify(name)} for go1.${version} traces`);
}

function checkInt(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new Error(`${what} must be an integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Builds a whole trace: generations in order, plus optional raw top-level
 * events for deliberately malformed files.
 *
 * @example
 * ```ts
 * import { TraceBuilder } from "./builder.ts";
 * const t = new TraceBuilder(23);
 * t.generation(1).batch(1, 15).event("ProcStatus", { p: 0, pstatus: 1 });
 * console.assert(t.toText().startsWith("Trace Go1.23\n"));
 * ```
 */
export class TraceBuilder {
  /** Go minor version of the format being written. */
  readonly version: number;
  #parts: (GenerationBuilder | RawEvent)[] = [];

  /** Starts an empty trace in the format of go1.`version` (22, 23, 25 or 26). */
  constructor(version = 22) {
    if (!GENERATIONAL_VERSIONS.includes(version)) {
      throw new Error(`unsupported trace version go1.${version}`);
    }
    this.version = version;
  }

  /** Starts generation `gen` (numbers normally count up from 1). */
  generation(gen: number): GenerationBuilder {
    const g: GenerationBuilder = new GenerationBuilder(
      this.version,
      checkInt(gen, "generation"),
      (): number => this.#endTime(g),
    );
    this.#parts.push(g);
    return g;
  }

  /**
   * Appends a raw top-level event between generations, unchecked apart from
   * its shape; for traces the structured calls cannot express. `data` is for
   * event types that carry data.
   */
  raw(name: string, args: number[], data?: string | Uint8Array): this {
    this.#parts.push(makeRaw(this.version, name, args, data));
    return this;
  }

  /** The trace as raw events. */
  toRaw(): RawTrace {
    const events: RawEvent[] = [];
    for (const p of this.#parts) {
      if (p instanceof GenerationBuilder) events.push(...p.toEvents());
      else events.push(p);
    }
    return { version: this.version, events };
  }

  /** The trace in the binary wire format. */
  toBytes(): Uint8Array {
    return encodeBinary(this.toRaw());
  }

  /** The trace in the textual format. */
  toText(): string {
    return formatText(this.toRaw());
  }

  /** Latest timestamp written before generation `g`: where an empty generation's clock goes. */
  #endTime(g: GenerationBuilder): number {
    let end = -1;
    for (const p of this.#parts) {
      if (p === g) break;
      if (p instanceof GenerationBuilder) end = Math.max(end, p.endTime());
    }
    return end + 1;
  }
}

function makeRaw(version: number, name: string, args: number[], data?: string | Uint8Array) {
  const type = typeByName(version, name);
  args.forEach((a, i) => checkInt(a, `${name} argument ${i}`));
  const spec = SPECS[type];
  const want = spec.args.length + (spec.isStack ? 4 * (args[1] ?? 0) : 0);
  if (args.length !== want) throw new Error(`${name} needs ${want} arguments, got ${args.length}`);
  const ev: RawEvent = { type, args: [...args] };
  if (SPECS[type].hasData) {
    ev.data = typeof data === "string" ? new TextEncoder().encode(data) : data ?? new Uint8Array();
  } else if (data !== undefined) {
    throw new Error(`${name} carries no data`);
  }
  return ev;
}

/**
 * One generation: batches, string and stack tables, clock batch.
 *
 * @example
 * ```ts
 * import { TraceBuilder } from "./builder.ts";
 * const g = new TraceBuilder(22).generation(1);
 * const id = g.str("sleep");
 * console.assert(g.str("sleep") === id && g.str("") === 0);
 * const stk = g.stack([{ pc: 0x10, func: "main.f", file: "f.go", line: 1 }]);
 * console.assert(stk === 1);
 * ```
 */
export class GenerationBuilder {
  /** Go minor version of the trace. */
  readonly version: number;
  /** Generation number written in every batch header. */
  readonly gen: number;
  #batches: BatchBuilder[] = [];
  #cpuSamples: RawEvent[] = [];
  #strings = new Map<number, string>();
  #stringIds = new Map<string, number>();
  #stacks = new Map<number, number[]>(); // id -> frame args (pc, func id, file id, line)*
  #stackIds = new Map<string, number>();
  #sync: { freq: number; opts: SyncOptions } | null = null;
  #omit = new Set<"sync" | "stacks" | "strings">();
  #fallbackTime: () => number;

  /** Use {@link TraceBuilder.generation}. */
  constructor(version: number, gen: number, fallbackTime: () => number) {
    this.version = version;
    this.gen = gen;
    this.#fallbackTime = fallbackTime;
  }

  /** Starts an event batch for thread `m` (-1 for none) at timestamp `time` (ticks). */
  batch(m: number, time: number): BatchBuilder {
    const b = new BatchBuilder(this, checkInt(m, "m"), checkInt(time, "time"));
    this.#batches.push(b);
    return b;
  }

  /**
   * Adds an ExperimentalBatch (go1.23+) with opaque `data` for experiment
   * `exp` (1 = AllocFree).
   */
  experimentalBatch(exp: number, m: number, time: number, data: Uint8Array): this {
    if (this.version < 23) throw new Error("experimental batches need go1.23 or later");
    const b = new BatchBuilder(this, m, time, { exp, data });
    this.#batches.push(b);
    return this;
  }

  /**
   * Sets the clock: frequency in ticks per second and, optionally, the
   * clock batch's time and (go1.25+) snapshot readings. Without this call the
   * generation gets frequency 1e9 (a tick is a nanosecond).
   */
  frequency(freq: number, opts: SyncOptions = {}): this {
    if (this.#sync) throw new Error(`generation ${this.gen} already has a frequency`);
    if (this.version < 25 && (opts.mono ?? opts.sec ?? opts.nsec) !== undefined) {
      throw new Error(`clock snapshots need go1.25 or later (this is go1.${this.version})`);
    }
    this.#sync = { freq: checkInt(freq, "freq"), opts };
    return this;
  }

  /** Leaves out a structural batch the runtime always writes, for broken traces. */
  without(part: "sync" | "stacks" | "strings"): this {
    this.#omit.add(part);
    return this;
  }

  /**
   * Adds a CPU profile sample (to the generation's CPUSamples batch).
   * `time` is an absolute timestamp in ticks; `g` 0 means no goroutine.
   */
  cpuSample(
    args: { time: number; m: number; p: number; g: number; stack: number | readonly Frame[] },
  ): this {
    const stack = typeof args.stack === "number" ? args.stack : this.stack(args.stack);
    this.#cpuSamples.push({
      type: Ev.CPUSample,
      args: [args.time, args.m, args.p, args.g, stack].map((v, i) =>
        checkInt(v, `CPUSample arg ${i}`)
      ),
    });
    return this;
  }

  /**
   * Registers string `id` with the given text and returns the id. An id may
   * be registered twice only with the same text.
   */
  string(id: number, text: string): number {
    checkInt(id, "string id");
    if (id === 0) throw new Error("string id 0 is reserved for the empty string");
    const old = this.#strings.get(id);
    if (old !== undefined && old !== text) {
      throw new Error(`string ${id} is already ${JSON.stringify(old)}`);
    }
    this.#strings.set(id, text);
    if (!this.#stringIds.has(text)) this.#stringIds.set(text, id);
    return id;
  }

  /** Interns a string and returns its id: the existing one, or the next free; "" is 0. */
  str(text: string): number {
    if (text === "") return 0;
    const id = this.#stringIds.get(text);
    if (id !== undefined) return id;
    return this.string(Math.max(0, ...this.#strings.keys()) + 1, text);
  }

  /**
   * Registers a stack and returns its id: `stack(frames)` interns it (the
   * existing id for the same frames, the next free otherwise; `[]` is 0),
   * `stack(id, frames)` gives it a fixed id. Frames are innermost first.
   */
  stack(idOrFrames: number | readonly Frame[], frames?: readonly Frame[]): number {
    const fixed = typeof idOrFrames === "number" ? idOrFrames : undefined;
    const fs = typeof idOrFrames === "number" ? frames : idOrFrames;
    if (!fs) throw new Error("stack() needs frames");
    const key = JSON.stringify(fs.map((f) => [f.pc, f.func, f.file, f.line]));
    if (fixed === undefined) {
      if (fs.length === 0) return 0;
      const known = this.#stackIds.get(key);
      if (known !== undefined) return known;
    } else {
      checkInt(fixed, "stack id");
      if (fixed === 0) throw new Error("stack id 0 is reserved for the empty stack");
      if (this.#stacks.has(fixed)) throw new Error(`stack ${fixed} is already registered`);
    }
    const id = fixed ?? Math.max(0, ...this.#stacks.keys()) + 1;
    const args: number[] = [];
    for (const f of fs) {
      args.push(checkInt(f.pc, "pc"), this.str(f.func), this.str(f.file), checkInt(f.line, "line"));
    }
    this.#stacks.set(id, args);
    if (!this.#stackIds.has(key)) this.#stackIds.set(key, id);
    return id;
  }

  /** Latest timestamp of any event or batch in this generation (-1 when empty). */
  endTime(): number {
    let end = -1;
    for (const b of this.#batches) end = Math.max(end, b.now);
    for (const s of this.#cpuSamples) end = Math.max(end, s.args[0]);
    if (this.#sync?.opts.time !== undefined) end = Math.max(end, this.#sync.opts.time);
    return end;
  }

  /** This generation's raw events, batch headers included. */
  toEvents(): RawEvent[] {
    const out: RawEvent[] = [];
    const freq = this.#sync?.freq ?? DEFAULT_FREQ;
    const batchTimes = this.#batches.map((b) => b.time);
    const time = this.#sync?.opts.time ??
      (batchTimes.length ? Math.min(...batchTimes) : this.#fallbackTime());
    const emit = (m: number, t: number, events: RawEvent[], size?: number) => {
      const total = size ?? events.reduce((n, e) => n + encodedSize(e), 0);
      out.push({ type: Ev.EventBatch, args: [this.gen, m, t, total] }, ...events);
    };
    // Table batches are split like the runtime's so no batch exceeds the limit.
    const emitTable = (head: number, entries: RawEvent[]) => {
      let cur: RawEvent[] = [{ type: head, args: [] }];
      let size = 1;
      for (const e of entries) {
        cur.push(e);
        size += encodedSize(e);
        if (size > MAX_BATCH_SIZE / 2) {
          emit(-1, time, cur);
          cur = [{ type: head, args: [] }];
          size = 1;
        }
      }
      if (cur.length > 1 || entries.length === 0) emit(-1, time, cur);
    };

    if (this.version >= 25 && !this.#omit.has("sync")) {
      const o = this.#sync?.opts ?? {};
      const ns = Math.round(time * (1e9 / freq));
      const sec = o.sec ?? DEFAULT_EPOCH_SEC + Math.floor(ns / 1e9);
      const nsec = o.nsec ?? ns % 1e9;
      emit(-1, time, [
        { type: Ev.Sync, args: [] },
        { type: Ev.Frequency, args: [freq] },
        { type: Ev.ClockSnapshot, args: [0, o.mono ?? time, sec, nsec] },
      ]);
    }
    for (const b of this.#batches) {
      if (b.experiment) {
        out.push({
          type: Ev.ExperimentalBatch,
          args: [b.experiment.exp, this.gen, b.m, b.time],
          data: b.experiment.data,
        });
        continue;
      }
      const size = b.sizeOverride ?? b.events.reduce((n, e) => n + encodedSize(e), 0);
      if (b.sizeOverride === undefined && size > MAX_BATCH_SIZE) {
        throw new Error(`batch for M ${b.m} is ${size} bytes, over the ${MAX_BATCH_SIZE} limit`);
      }
      emit(b.m, b.time, b.events, size);
    }
    if (this.#cpuSamples.length) {
      emit(-1, time, [{ type: Ev.CPUSamples, args: [] }, ...this.#cpuSamples]);
    }
    if (this.version < 25 && !this.#omit.has("sync")) {
      emit(-1, time, [{ type: Ev.Frequency, args: [freq] }]);
    }
    if (!this.#omit.has("stacks")) {
      const ids = [...this.#stacks.keys()].sort((a, b) => a - b);
      emitTable(
        Ev.Stacks,
        ids.map((id) => {
          const frames = this.#stacks.get(id)!;
          return { type: Ev.Stack, args: [id, frames.length / 4, ...frames] };
        }),
      );
    }
    if (!this.#omit.has("strings")) {
      const ids = [...this.#strings.keys()].sort((a, b) => a - b);
      const enc = new TextEncoder();
      emitTable(
        Ev.Strings,
        ids.map((id) => ({ type: Ev.String, args: [id], data: enc.encode(this.#strings.get(id)) })),
      );
    }
    if (this.version >= 26) out.push({ type: Ev.EndOfGeneration, args: [] });
    return out;
  }
}

/**
 * One batch of events written by one M. Timed events get `dt` 1 unless
 * given, or placed with {@link BatchBuilder.at}.
 *
 * @example
 * ```ts
 * import { TraceBuilder } from "./builder.ts";
 * const b = new TraceBuilder(22).generation(1).batch(0, 100);
 * b.event("ProcStatus", { dt: 0, p: 0, pstatus: 1 }).at(150).event("ProcStop");
 * console.assert(b.now === 150 && b.events[1].args[0] === 50);
 * ```
 */
export class BatchBuilder {
  /** The generation this batch belongs to. */
  readonly generation: GenerationBuilder;
  /** Thread id in the batch header (-1 for none). */
  readonly m: number;
  /** Batch header timestamp (ticks). */
  readonly time: number;
  /** Events so far, without the header. */
  readonly events: RawEvent[] = [];
  /** Size to write instead of the computed one (for broken traces). */
  sizeOverride?: number;
  /** Set for experimental batches, which hold opaque bytes instead of events. */
  readonly experiment?: { exp: number; data: Uint8Array };
  #now: number;
  #at?: number;

  /** Use {@link GenerationBuilder.batch}. */
  constructor(
    generation: GenerationBuilder,
    m: number,
    time: number,
    experiment?: { exp: number; data: Uint8Array },
  ) {
    this.generation = generation;
    this.m = m;
    this.time = time;
    this.#now = time;
    this.experiment = experiment;
  }

  /** Timestamp (ticks) of the last timed event, or the batch time. */
  get now(): number {
    return this.#now;
  }

  /** Makes the next timed event happen at absolute timestamp `time`. */
  at(time: number): this {
    checkInt(time, "time");
    if (time < this.#now) {
      throw new Error(`time ${time} is before the batch's last event (${this.#now})`);
    }
    this.#at = time;
    return this;
  }

  /**
   * Adds an event by name with arguments by name. Every argument of the
   * event must be given except `dt` (1, or what {@link at} set). `*_string`
   * arguments take text, `stack`/`new_stack` take frames; both are interned.
   */
  event(name: string, args: Record<string, ArgValue> = {}): this {
    const version = this.generation.version;
    if (name in MANAGED) throw new Error(`${name} events are written by ${MANAGED[name]}`);
    const type = typeByName(version, name);
    const spec = SPECS[type];
    for (const k of Object.keys(args)) {
      if (!spec.args.includes(k)) {
        throw new Error(
          `${name} has no argument ${JSON.stringify(k)} (it has ${spec.args.join(", ")})`,
        );
      }
    }
    const out: number[] = [];
    for (const k of spec.args) {
      let v = args[k];
      if (k === "dt") {
        if (v !== undefined && this.#at !== undefined) {
          throw new Error(`${name}: both dt and at() given`);
        }
        v ??= this.#at !== undefined ? this.#at - this.#now : 1;
        this.#at = undefined;
      }
      if (v === undefined) throw new Error(`${name} needs argument ${JSON.stringify(k)}`);
      if (typeof v === "string") {
        if (!k.endsWith("_string")) throw new Error(`${name}.${k} takes a number, not a string`);
        v = this.generation.str(v);
      } else if (typeof v === "object") {
        if (k !== "stack" && k !== "new_stack") {
          throw new Error(`${name}.${k} takes a number, not frames`);
        }
        v = this.generation.stack(v);
      }
      out.push(checkInt(v, `${name}.${k}`));
    }
    if (spec.timed) this.#now += out[0];
    this.events.push({ type, args: out });
    return this;
  }

  /**
   * Adds an event with all arguments given positionally, unchecked apart from
   * its shape (any event type of the version, structural ones included).
   */
  raw(name: string, args: number[], data?: string | Uint8Array): this {
    const ev = makeRaw(this.generation.version, name, args, data);
    if (SPECS[ev.type].timed) this.#now += ev.args[0];
    this.events.push(ev);
    return this;
  }

  /** Writes `size` in the batch header instead of the real size. */
  overrideSize(size: number): this {
    this.sizeOverride = checkInt(size, "size");
    return this;
  }
}
