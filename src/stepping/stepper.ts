/**
 * The stepper: walks the ordering engine one event at a time and explains
 * itself. It drives the very engine the Reader uses, so stepping to the end
 * yields exactly the Reader's events.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import type { Event } from "../events/event.ts";
import { Reader, readTraceBytes, type TraceSource } from "../reader/reader.ts";
import { type Engine, NEED_MORE } from "../order/engine.ts";
import { IdTable } from "../order/id_table.ts";
import { Ev, SPECS } from "../wire/spec.ts";
import { type Placement, placement } from "./changes.ts";
import { describeWire, wireArgs } from "./describe.ts";
import { context, judge } from "./explain.ts";
import { type SchedState, snapshot } from "./snapshot.ts";

/** The detail text of a goroutine's last block, stop or syscall. */
function detailOf(ev: Event): string {
  if (ev.type === Ev.GoSyscallBegin) {
    const f = ev.stack?.frames[0];
    return `in syscall${f ? ` at ${f.func}` : ""} since ${ev.time}`;
  }
  const t = ev.stateTransition();
  return `${t.to === "Waiting" ? "blocked" : "stopped"}: ${t.reason}`;
}

/** One M's next event, and whether it can happen now. */
export interface FrontierEntry {
  /** Thread. */
  m: number;
  /** Event name. */
  event: string;
  /** Arguments by name (timestamp delta left out). */
  args: Record<string, number>;
  /** Its time as recorded (ns). */
  time: number;
  /**
   * The time it would be handed out with if placed next (ns): its own, or
   * just past the last event's when that would go back (times are forced to
   * increase, so on traces whose recorded times tie or go back, e.g. Go's
   * conformance cases, this is the time the event gets).
   */
  at: number;
  /** Whether the ordering rules accept it now. */
  canAdvance: boolean;
  /** Why not, in a sentence with the numbers (empty when it can). */
  why: string;
}

/** Where the stepper is within the trace's generations. */
export interface GenerationInfo {
  /** Generation number. */
  gen: number;
  /** Start time (ns). */
  start: number;
  /** Ms with event batches. */
  threads: number[];
  /** Number of event batches. */
  batches: number;
  /** CPU samples in the generation. */
  cpuSamples: number;
}

/** How a broken trace stopped the stepper. */
export interface Failure {
  /** The error the Reader raises. */
  error: TraceError;
  /** The failing step explained: the event, the M and the sequence numbers involved. */
  explanation: string;
}

/**
 * Steps through a trace's ordering.
 *
 * @example
 * ```ts
 * import { Stepper } from "./stepper.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/syscall-steal.trace", import.meta.url));
 * const s = Stepper.fromBytes(bytes);
 * const first = s.step();
 * console.assert(first[0].kind === "Sync");
 * const steal = s.runUntil((ev) => ev.typeName === "ProcSteal");
 * console.assert(steal.at(-1)!.typeName === "ProcSteal");
 * console.assert(s.lastPlacement()!.rule === "proc-steal");
 * ```
 */
export class Stepper {
  #bytes: Uint8Array;
  #reader!: Reader;
  #last: Event | null = null;
  #count = 0;
  #failure: Failure | null = null;
  #details = new IdTable<Event>();
  #legacyEnded = false;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.reset();
  }

  /** A stepper over uncompressed trace bytes. */
  static fromBytes(bytes: Uint8Array): Stepper {
    return new Stepper(bytes);
  }

  /** A stepper over a file, URL, bytes or stream (gzip is decompressed); reads it all. */
  static async open(source: TraceSource): Promise<Stepper> {
    // The whole (decompressed) trace is kept, so that reset() can start over.
    return new Stepper(await readTraceBytes(source));
  }

  /** Starts over from the beginning of the trace. */
  reset(): void {
    this.#reader = Reader.fromBytes(this.#bytes);
    // One advance per step: the state shown is the state of the last event.
    if (this.#reader.engine) {
      this.#reader.engine.batching = false;
      // What each advance touched, for lastPlacement()'s account of it.
      this.#reader.engine.order.keepJournal();
    }
    this.#last = null;
    this.#count = 0;
    this.#failure = null;
    this.#legacyEnded = false;
    this.#details = new IdTable<Event>();
  }

  /**
   * The ordering engine being stepped. Old-format traces (go1.11–go1.21)
   * have none: they step at the level of events only (step, runUntil, seek),
   * and this throws.
   */
  get engine(): Engine {
    const e = this.#reader.engine;
    if (!e) {
      throw new TraceError(
        "unsupported-version",
        "an old-format trace (go1.11–go1.21) has no ordering engine to inspect",
      );
    }
    return e;
  }

  /** Trace version (minor of Go 1.x). */
  get version(): number {
    return this.#reader.version;
  }

  /** Number of events emitted so far. */
  get position(): number {
    return this.#count;
  }

  /** The last event emitted. */
  get last(): Event | null {
    return this.#last;
  }

  /** True at the end of the trace or after a failure. */
  get done(): boolean {
    return (this.#reader.engine?.done ?? this.#legacyEnded) || this.#failure !== null;
  }

  /** Why the trace stopped, if it is broken. */
  get failure(): Failure | null {
    return this.#failure;
  }

  /** The generation being ordered. */
  get generation(): GenerationInfo | null {
    const g = this.#reader.engine?.gen;
    if (!g) return null;
    return {
      gen: g.gen,
      start: g.tables.toNs(g.minTs),
      threads: g.batchMs.slice(),
      batches: g.batchCount,
      cpuSamples: g.cpuSamples.length,
    };
  }

  /** Emits up to `n` events and returns them (fewer at the end or on a failure). */
  step(n = 1): Event[] {
    const out: Event[] = [];
    // Many steps at once may use the reader's fast path, placing no more
    // events ahead than are still to be emitted: the state shown afterwards
    // is still the state of the last event.
    const engine = this.#reader.engine;
    if (engine && n > 1) engine.batching = true;
    try {
      for (let i = 0; i < n; i++) {
        if (engine) engine.fillLimit = n - i;
        const ev = this.#next();
        if (!ev) break;
        out.push(ev);
      }
    } finally {
      if (engine) engine.batching = false;
    }
    return out;
  }

  /**
   * Steps until `pred` holds for an emitted event (included in the result),
   * the trace ends, or `limit` events have been emitted.
   */
  runUntil(pred: (ev: Event) => boolean, limit = Infinity): Event[] {
    const out: Event[] = [];
    while (out.length < limit) {
      const ev = this.#next();
      if (!ev) break;
      out.push(ev);
      if (pred(ev)) break;
    }
    return out;
  }

  /** Steps until the first event at or after `time` (ns); earlier times reset first. */
  seek(time: number): Event[] {
    if (this.#last && this.#last.time > time) this.reset();
    return this.runUntil((ev) => ev.time >= time);
  }

  #next(): Event | null {
    if (this.#failure) return null;
    let ev: Event | null | typeof NEED_MORE;
    try {
      // Old-format traces have no engine: take the Reader's events.
      ev = this.#reader.engine ? this.#reader.engine.next() : this.#reader.readEvent();
      if (ev === null && !this.#reader.engine) this.#legacyEnded = true;
    } catch (thrown) {
      // Whatever went wrong, the stepper stops on it as a TraceError.
      const e = TraceError.from(thrown);
      this.#failure = { error: e, explanation: this.#explainFailure(e) };
      return null;
    }
    if (ev === null || ev === NEED_MORE) return null;
    this.#count++;
    this.#last = ev;
    this.#note(ev);
    return ev;
  }

  // Keeps the event behind the detail column of the goroutine table (why
  // each last blocked, or which syscall it is in); the text is made only
  // when the table is asked for.
  #note(ev: Event): void {
    switch (ev.type) {
      case Ev.GoBlock:
      case Ev.GoStop:
      case Ev.GoSyscallBegin:
        this.#details.set(ev.goroutine, ev);
        break;
      case Ev.GoSyscallEnd:
      case Ev.GoSyscallEndBlocked:
        this.#details.delete(ev.goroutine);
        break;
      case Ev.GoStart:
        this.#details.delete(ev.a0);
        break;
    }
  }

  #explainFailure(e: TraceError): string {
    if (!this.#reader.engine) return `reading the trace failed: ${e.message}`;
    const engine = this.engine;
    const bc = engine.current;
    if (bc && !e.message.startsWith("broken trace")) {
      return `${
        describeWire(bc)
      } on M ${bc.m} (generation ${engine.gen?.gen}) fails: ${e.message}` +
        context(engine, bc.m);
    }
    if (e.message.startsWith("broken trace")) {
      const lines = this.frontier().map((f) =>
        `  ${f.why || `${f.event} on M ${f.m} can advance`}`
      );
      return `no M can advance in generation ${engine.gen?.gen}:\n${lines.join("\n")}`;
    }
    return `reading the trace failed: ${e.message}`;
  }

  /** The scheduler state now: goroutines, Ps, Ms and GC, as plain objects. */
  state(): SchedState {
    return snapshot(this.engine.order, (g) => {
      const ev = this.#details.get(g);
      return ev ? detailOf(ev) : "";
    });
  }

  /** Each M's next event and whether it can advance now (nothing changes). */
  frontier(): FrontierEntry[] {
    if (!this.#reader.engine) return [];
    const engine = this.engine;
    const cursors = engine.frontier.slice().sort((a, b) => a.time - b.time || a.m - b.m);
    const last = engine.lastTs;
    return cursors.map((bc) => {
      const v = judge(engine, bc);
      return {
        m: bc.m,
        event: SPECS[bc.type]?.name ?? `type ${bc.type}`,
        args: wireArgs(bc),
        time: bc.time,
        at: bc.time > last ? bc.time : last + 1,
        canAdvance: v.canAdvance,
        why: v.why,
      };
    });
  }

  /** Why M `m`'s next event cannot advance (or that it can); all Ms without `m`. */
  explain(m?: number): string {
    const f = this.frontier().filter((e) => m === undefined || e.m === m);
    if (f.length === 0) {
      return m === undefined ? "the frontier is empty" : `M ${m} has no events left`;
    }
    return f.map((e) => e.why || `${describeWire(this.#cursor(e.m)!)} on M ${e.m} can advance now`)
      .join("\n");
  }

  #cursor(m: number) {
    return this.engine.frontier.find((c) => c.m === m);
  }

  /** The rule that placed the last event and what it changed. */
  lastPlacement(): Placement | null {
    return this.#last && this.#reader.engine ? placement(this.#last, this.engine.order) : null;
  }
}
