/**
 * The Reader: opens a trace (bytes, a stream or a file, gzip or not) and
 * hands out its events in order, reading the input one generation at a time.
 * Old-format traces (go1.11–go1.21) have no generations: they are read
 * whole (up to the first event that cannot be read) and converted by
 * `src/legacy/`. Past the ceilings of {@link ReaderOptions} reading stops
 * with a TraceError `too-large`.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { headerLength, LEGACY_VERSIONS, readHeader } from "../wire/header.ts";
import { GenerationSplitter } from "../wire/generation.ts";
import { Engine, NEED_MORE } from "../order/engine.ts";
import type { Ordering } from "../order/rules.ts";
import { LegacyEvents, LegacyGatherer } from "../legacy/source.ts";
import type { Event } from "../events/event.ts";
import { MAX_LEGACY_BYTES, Outcome, type ReaderOptions } from "./outcome.ts";
import { type ByteInput, isGzip, openByteInput, readWhole, type TraceSource } from "./input.ts";

export type { ReaderOptions } from "./outcome.ts";
export type { PartialMode } from "../wire/generation.ts";

export type { TraceSource } from "./input.ts";

/**
 * Reads the events of a Go execution trace in the order Go's reader gives.
 *
 * Bytes already in memory can be read synchronously with
 * {@link Reader.fromBytes} and {@link Reader.readEvent}; files and streams
 * are read with `for await` after {@link Reader.open}.
 *
 * @example
 * ```ts
 * import { Reader } from "./reader.ts";
 * const r = await Reader.open(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * let n = 0;
 * for await (const ev of r) if (ev.kind === "Sync") n++;
 * console.assert(n >= 2); // a Sync opens every generation and closes the trace
 * ```
 */
export class Reader implements AsyncIterable<Event> {
  /** Trace version: the minor number of Go 1.x that wrote it. */
  readonly version: number;
  /**
   * The ordering engine (shared with the stepper); null for an old-format
   * trace (go1.11–go1.21), whose events come from the legacy converter.
   */
  readonly engine: Engine | null;
  #input: ByteInput | null;
  readonly #legacy: LegacyEvents | null;
  readonly #outcome: Outcome;
  // The engine's scheduler state, whose queue readEvent takes from directly.
  readonly #order: Ordering | null;

  private constructor(
    version: number,
    source: GenerationSplitter | LegacyEvents,
    input: ByteInput | null,
  ) {
    this.version = version;
    if (source instanceof LegacyEvents) {
      this.engine = null;
      this.#legacy = source;
    } else {
      this.engine = new Engine(version, source);
      this.#legacy = null;
    }
    this.#outcome = new Outcome(this.engine?.splitter ?? null);
    this.#order = this.engine?.order ?? null;
    this.#input = input;
  }

  /** Whether the trace is in the old format (go1.11–go1.21). */
  get legacy(): boolean {
    return this.#legacy !== null;
  }

  /**
   * A reader over uncompressed trace bytes in memory, readable synchronously.
   * `options.partial` chooses what a truncated trace gives (see {@link ReaderOptions}).
   *
   * @example
   * ```ts
   * import { Reader } from "./reader.ts";
   * try {
   *   Reader.fromBytes(new TextEncoder().encode("not a trace at all"));
   * } catch (e) {
   *   console.assert((e as Error).message === "bad file format: not a Go execution trace?");
   * }
   * ```
   */
  static fromBytes(bytes: Uint8Array, options: ReaderOptions = {}): Reader {
    try {
      return Reader.#fromBytes(bytes, options);
    } catch (e) {
      throw TraceError.from(e);
    }
  }

  static #fromBytes(bytes: Uint8Array, options: ReaderOptions): Reader {
    if (isGzip(bytes)) {
      throw new TraceError("bad-header", "gzip-compressed input: open it with Reader.open", {
        offset: 0,
      });
    }
    const version = readHeader(bytes);
    if (LEGACY_VERSIONS.includes(version)) {
      // Checked as it would be read from a file (the parse costs ~32x the bytes).
      new LegacyGatherer(version, new Uint8Array(0), options.maxLegacyBytes ?? MAX_LEGACY_BYTES)
        .push(bytes);
      return new Reader(version, new LegacyEvents(bytes, version), null);
    }
    const hl = headerLength(version);
    const s = new GenerationSplitter(version, hl, options);
    s.push(bytes.subarray(hl));
    s.finish();
    return new Reader(version, s, null);
  }

  /**
   * Opens a trace from a file path or URL, bytes or a stream; gzip input is
   * detected and decompressed as it streams (several members are one
   * stream; trailing garbage is an error after the events before it). Only
   * the header is read now, except for an old-format trace, which is read
   * (and parsed) whole, up to its first event that cannot be read.
   */
  static async open(source: TraceSource, options: ReaderOptions = {}): Promise<Reader> {
    try {
      return await Reader.#open(source, options);
    } catch (e) {
      throw TraceError.from(e);
    }
  }

  static async #open(source: TraceSource, options: ReaderOptions): Promise<Reader> {
    if (source instanceof Uint8Array && !isGzip(source)) return Reader.fromBytes(source, options);
    const input = await openByteInput(source, options);
    let head: Uint8Array = new Uint8Array(0);
    try {
      // The header is at most 16 bytes, and every chunk but the last is larger.
      head = (await input.read()) ?? head;
    } catch (e) {
      throw inputError(e, 0);
    }
    let version: number;
    try {
      version = readHeader(head);
    } catch (e) {
      await input.cancel();
      throw e;
    }
    if (LEGACY_VERSIONS.includes(version)) {
      return await Reader.#openLegacy(version, head, input, options);
    }
    const hl = headerLength(version);
    const s = new GenerationSplitter(version, hl, options);
    s.push(head.subarray(hl));
    return new Reader(version, s, input);
  }

  // An old-format trace: gathered until its end, its first unreadable
  // event or the ceiling. A failing input (a cut gzip file, garbage after
  // the last gzip member) is owed after the events, if the bytes before it
  // parse; else it is the error.
  static async #openLegacy(
    version: number,
    head: Uint8Array,
    input: ByteInput,
    options: ReaderOptions,
  ): Promise<Reader> {
    let owed: TraceError | null = null;
    let gathered: LegacyGatherer;
    try {
      gathered = new LegacyGatherer(version, head, options.maxLegacyBytes ?? MAX_LEGACY_BYTES);
      for (;;) {
        let chunk: Uint8Array | null;
        try {
          chunk = await input.read();
        } catch (e) {
          owed = inputError(e, gathered.length);
          break;
        }
        if (chunk === null || !gathered.push(chunk)) break;
      }
    } finally {
      await input.cancel();
    }
    let events: LegacyEvents;
    try {
      events = new LegacyEvents(gathered.bytes(), version);
    } catch (e) {
      throw owed ?? e;
    }
    const r = new Reader(version, events, null);
    if (owed) r.#outcome.inputFailed(owed);
    return r;
  }

  /**
   * The next event, or null at the end. Throws a TraceError on a bad trace.
   * Synchronous: for a reader from {@link Reader.fromBytes} (or once a
   * stream has been read to the end).
   */
  readEvent(): Event | null {
    // Events the engine has placed go straight out: no failure can be
    // pending while it has some (a failure empties its queue).
    const placed = this.#order?.next();
    if (placed) return placed;
    const ev = this.#step();
    if (ev === NEED_MORE) {
      throw new TraceError("io", "readEvent() needs all input in memory; use `for await` instead");
    }
    return ev;
  }

  /**
   * The next event, reading more input as needed; null at the end. One
   * await per event: {@link forEach} and {@link chunks} are much faster.
   */
  async next(): Promise<Event | null> {
    for (;;) {
      const ev = this.#step();
      if (ev !== NEED_MORE) return ev;
      await this.#pull();
    }
  }

  /**
   * Calls `fn` with every remaining event, in order, and resolves to how
   * many there were. It awaits only when it needs more input (once per
   * chunk of the file or stream): the fast way to read a file or a stream.
   * Throws a TraceError on a bad trace, after the events before the failure.
   *
   * @example
   * ```ts
   * import { Reader } from "./reader.ts";
   * const r = await Reader.open(new URL("../../testdata/syscall-simple.trace", import.meta.url));
   * let syncs = 0;
   * const n = await r.forEach((ev) => { if (ev.kind === "Sync") syncs++; });
   * console.assert(n > syncs && syncs >= 2);
   * ```
   */
  async forEach(fn: (ev: Event) => void): Promise<number> {
    let n = 0;
    const order = this.#order;
    for (;;) {
      // Events already placed go straight out (as in readEvent).
      let ev = order !== null ? order.next() : null;
      if (ev === null) {
        const s = this.#step();
        if (s === null) return n;
        if (s === NEED_MORE) {
          await this.#pull();
          continue;
        }
        ev = s;
      }
      n++;
      fn(ev);
    }
  }

  /**
   * Calls `fn` with every remaining event, in order, and resolves to how
   * many there were, like {@link forEach}, under the contract that
   * `ParallelReader.scan` needs: the Event passed may be one object reused
   * for the next event, so `fn` reads what it needs and keeps no reference.
   * Code written against `scan` runs on either reader. (This reader's
   * engine fills the objects of its queue again instead of making new ones.)
   *
   * @example
   * ```ts
   * import { Reader } from "./reader.ts";
   * const url = new URL("../../testdata/syscall-simple.trace", import.meta.url);
   * const times: number[] = [];
   * const n = await (await Reader.open(url)).scan((ev) => times.push(ev.time));
   * console.assert(n === times.length && times.every((t, i) => i === 0 || t > times[i - 1]));
   * ```
   */
  async scan(fn: (ev: Event) => void): Promise<number> {
    const o = this.#order;
    if (o !== null) o.reuseEvents = true;
    try {
      return await this.forEach(fn);
    } finally {
      if (o !== null) o.reuseEvents = false;
    }
  }

  /**
   * The remaining events as arrays of at most `max` events, each array
   * made synchronously: `for await` over arrays costs one await per array,
   * not one per event.
   *
   * @example
   * ```ts
   * import { Reader } from "./reader.ts";
   * const r = await Reader.open(new URL("../../testdata/syscall-simple.trace", import.meta.url));
   * let n = 0;
   * for await (const events of r.chunks(100)) {
   *   console.assert(events.length > 0 && events.length <= 100);
   *   n += events.length;
   * }
   * console.assert(n > 0);
   * ```
   */
  async *chunks(max = 4096): AsyncGenerator<Event[], void, undefined> {
    const order = this.#order;
    let out: Event[] = [];
    for (;;) {
      let ev = order !== null ? order.next() : null;
      if (ev === null) {
        let s: Event | null | typeof NEED_MORE;
        try {
          s = this.#step();
        } catch (e) {
          // The events before the failure come out first.
          if (out.length) yield out;
          throw e;
        }
        if (s === null) break;
        if (s === NEED_MORE) {
          if (out.length) {
            yield out;
            out = [];
          }
          await this.#pull();
          continue;
        }
        ev = s;
      }
      out.push(ev);
      if (out.length >= max) {
        yield out;
        out = [];
      }
    }
    if (out.length) yield out;
  }

  /**
   * The next event from the engine (or the legacy converter), with every
   * failure turned into the final TraceError by the outcome, once and for all.
   */
  #step(): Event | null | typeof NEED_MORE {
    return this.#outcome.next(this.#source, this.engine);
  }

  // Where #step takes events from, made once.
  readonly #source = (): Event | null | typeof NEED_MORE =>
    this.#legacy ? this.#legacy.next() : this.engine!.next();

  /** Reads the next chunk of input into the splitter. */
  async #pull(): Promise<void> {
    const input = this.#input;
    const splitter = this.engine!.splitter;
    if (!input) throw this.#outcome.fail(new TraceError("io", "input ended early"), this.engine);
    let chunk: Uint8Array | null;
    // A file reads its next chunk in after the bytes the splitter carries
    // over, which spares the splitter a copy of the chunk.
    const after = input.readAfter !== undefined;
    if (after && input.release) this.#releaseChunks(input, splitter);
    try {
      chunk = after ? await input.readAfter!(splitter.unread) : await input.read();
    } catch (e) {
      // What came before a failing input (a cut gzip file) is read as a
      // cut trace, and the input's error is owed at the end.
      this.#outcome.inputFailed(inputError(e, splitter.end));
      chunk = null;
    }
    if (chunk === null) {
      splitter.finish();
      this.#input = null;
    } else if (after) {
      splitter.pushAfterUnread(chunk);
      this.#lent.push(chunk);
    } else splitter.push(chunk);
  }

  // Chunks read by readAfter and not yet handed back to the input.
  #lent: Uint8Array[] = [];

  /**
   * Hands the input back the chunks nothing views any more. Input is pulled
   * only when the engine has ordered its generation to the end, so the
   * batches that view a chunk are the splitter's alone.
   */
  #releaseChunks(input: ByteInput, splitter: GenerationSplitter): void {
    if (this.#lent.length < 2) return;
    const held = splitter.heldBuffers();
    const kept: Uint8Array[] = [];
    for (const c of this.#lent) {
      if (held.has(c.buffer)) kept.push(c);
      else input.release!(c);
    }
    this.#lent = kept;
  }

  /**
   * Events in order, one await each: for convenience; {@link forEach} and
   * {@link chunks} read the same events several times faster.
   */
  [Symbol.asyncIterator](): AsyncIterator<Event> {
    // A plain iterator over arrays from chunks(): an async generator would
    // cost a second promise per event.
    const arrays = this.chunks();
    let events: Event[] = [];
    let i = 0;
    const more = async (): Promise<IteratorResult<Event>> => {
      for (;;) {
        const r = await arrays.next();
        if (r.done) return { value: undefined, done: true };
        events = r.value;
        i = 0;
        if (events.length) return { value: events[i++], done: false };
      }
    };
    return {
      next(): Promise<IteratorResult<Event>> {
        return i < events.length ? Promise.resolve({ value: events[i++], done: false }) : more();
      },
      async return(): Promise<IteratorResult<Event>> {
        events = [];
        await arrays.return();
        return { value: undefined, done: true };
      },
    };
  }

  /**
   * Stops reading: releases the file or stream. Reading after it gives the
   * events already in memory, then fails with a TraceError `io`.
   */
  async close(): Promise<void> {
    const input = this.#input;
    this.#input = null;
    await input?.cancel();
  }

  /** All remaining events, synchronously, for a reader over bytes. */
  *events(): IterableIterator<Event> {
    for (let ev = this.readEvent(); ev !== null; ev = this.readEvent()) yield ev;
  }
}

// A failing input stream as a TraceError; a gzip stream that stops early
// fails its checksum, which is truncation as far as the trace is concerned.
function inputError(e: unknown, at: number): TraceError {
  if (e instanceof TraceError) return e;
  const msg = `reading input: ${e instanceof Error ? e.message : String(e)}`;
  if (!/checksum|unexpected end|end of file/i.test(msg)) return new TraceError("io", msg);
  return new TraceError("truncated", msg, { offset: at, truncatedAt: at });
}

/**
 * Reads every event of an uncompressed trace in memory. Throws a TraceError
 * on a bad trace.
 *
 * @example
 * ```ts
 * import { readEvents } from "./reader.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const events = readEvents(bytes);
 * console.assert(events[0].kind === "Sync" && events.at(-1)!.kind === "Sync");
 * ```
 */
export function readEvents(bytes: Uint8Array, options: ReaderOptions = {}): Event[] {
  const r = Reader.fromBytes(bytes, options);
  const out: Event[] = [];
  for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) out.push(ev);
  return out;
}

/**
 * The whole trace as bytes, decompressed if it was gzip: for tools that need
 * to go over it more than once (the stepper's reset, the explorer's views).
 * Reading a stream this way holds all of it; the Reader itself streams.
 * Gzip is read as the Reader reads it (members in a row, trailing garbage
 * an error); `maxInputBytes` bounds the bytes held. With `shared`, what is
 * read goes into a SharedArrayBuffer, which a `ParallelReader`'s workers
 * then read in place instead of each taking a copy of their part (a
 * Uint8Array given is returned as it is).
 *
 * @example
 * ```ts
 * import { readTraceBytes } from "./reader.ts";
 * const url = new URL("../../testdata/syscall-simple.trace", import.meta.url);
 * const b = await readTraceBytes(url);
 * console.assert(new TextDecoder().decode(b.subarray(0, 7)) === "go 1.22");
 * const s = await readTraceBytes(url, { shared: true });
 * console.assert(s.buffer instanceof SharedArrayBuffer && s.length === b.length);
 * ```
 */
export async function readTraceBytes(
  source: TraceSource,
  options: { maxInputBytes?: number; shared?: boolean } = {},
): Promise<Uint8Array> {
  if (source instanceof Uint8Array && !isGzip(source)) return source;
  const input = await openByteInput(source, options);
  try {
    return await readWhole(input, options.shared === true);
  } catch (e) {
    throw inputError(e, 0);
  }
}
