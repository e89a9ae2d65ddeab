/**
 * The Reader: opens a trace (bytes, a stream or a file, gzip or not) and
 * hands out its events in order, reading the input one generation at a time.
 * Old-format traces (go1.11–go1.21) have no generations: they are read
 * whole and converted by `src/legacy/`.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import { headerLength, LEGACY_VERSIONS, readHeader } from "../wire/header.ts";
import { GenerationSplitter } from "../wire/generation.ts";
import { Engine, NEED_MORE } from "../order/engine.ts";
import type { Ordering } from "../order/rules.ts";
import { LegacyEvents } from "../legacy/source.ts";
import type { Event } from "./event.ts";
import { Outcome, type ReaderOptions } from "./outcome.ts";

export type { ReaderOptions } from "./outcome.ts";
export type { PartialMode } from "../wire/generation.ts";

/** Anything a trace can be opened from. */
export type TraceSource = string | URL | Uint8Array | ReadableStream<Uint8Array>;

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

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
  #stream: ReadableStreamDefaultReader<Uint8Array> | null;
  readonly #legacy: LegacyEvents | null;
  readonly #outcome: Outcome;
  // The engine's scheduler state, whose queue readEvent takes from directly.
  readonly #order: Ordering | null;

  private constructor(
    version: number,
    source: GenerationSplitter | LegacyEvents,
    stream: ReadableStreamDefaultReader<Uint8Array> | null,
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
    this.#stream = stream;
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
   * detected and decompressed as it streams. Only the header is read now,
   * except for an old-format trace, which is read (and parsed) whole.
   */
  static async open(source: TraceSource, options: ReaderOptions = {}): Promise<Reader> {
    try {
      return await Reader.#open(source, options);
    } catch (e) {
      throw TraceError.from(e);
    }
  }

  static async #open(source: TraceSource, options: ReaderOptions): Promise<Reader> {
    let stream: ReadableStream<Uint8Array>;
    if (source instanceof Uint8Array) {
      if (!isGzip(source)) return Reader.fromBytes(source, options);
      stream = new Blob([source as Uint8Array<ArrayBuffer>]).stream();
    } else if (source instanceof ReadableStream) {
      stream = source;
    } else {
      try {
        const file = await Deno.open(source, { read: true });
        stream = file.readable;
      } catch (e) {
        throw new TraceError("io", `cannot open ${String(source)}: ${(e as Error).message}`);
      }
    }
    // Peek at the first bytes to detect gzip and read the header.
    let reader = stream.getReader();
    let head = await readAtLeast(reader, 2, new Uint8Array(0));
    if (isGzip(head)) {
      const raw = reader;
      const first = head;
      const rest = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(first);
        },
        async pull(c) {
          const { done, value } = await raw.read();
          if (done) c.close();
          else c.enqueue(value);
        },
        cancel(why) {
          return raw.cancel(why);
        },
      });
      const unzipped = rest.pipeThrough(
        new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
      );
      reader = unzipped.getReader();
      head = new Uint8Array(0);
    }
    head = await readAtLeast(reader, 32, head);
    const version = readHeader(head);
    if (LEGACY_VERSIONS.includes(version)) {
      const all = await readAll(reader, head);
      return new Reader(version, new LegacyEvents(all, version), null);
    }
    const hl = headerLength(version);
    const s = new GenerationSplitter(version, hl, options);
    s.push(head.subarray(hl));
    return new Reader(version, s, reader);
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

  /** The next event, reading more input as needed; null at the end. */
  async next(): Promise<Event | null> {
    for (;;) {
      const ev = this.#step();
      if (ev !== NEED_MORE) return ev;
      await this.pull();
    }
  }

  /**
   * The next event from the engine (or the legacy converter), with every
   * failure turned into the final TraceError by the outcome, once and for all.
   */
  #step(): Event | null | typeof NEED_MORE {
    this.#outcome.check();
    let ev: Event | null | typeof NEED_MORE;
    try {
      ev = this.#legacy ? this.#legacy.next() : this.engine!.next();
    } catch (e) {
      const failure = this.#outcome.fail(e, this.engine);
      const sync = this.#outcome.closingSync(this.engine, e);
      if (sync) return sync;
      throw failure;
    }
    if (ev === null) {
      const owed = this.#outcome.atEnd();
      if (owed) throw owed;
    }
    return ev;
  }

  /** Reads the next chunk of input into the splitter. */
  private async pull(): Promise<void> {
    const r = this.#stream;
    const splitter = this.engine!.splitter;
    if (!r) throw this.#outcome.fail(new TraceError("io", "input ended early"), this.engine);
    let res: ReadableStreamReadResult<Uint8Array>;
    try {
      res = await r.read();
      if (!res.done && !(res.value instanceof Uint8Array)) {
        throw new TypeError(`the stream gave a ${typeof res.value}, not a Uint8Array`);
      }
    } catch (e) {
      // What came before a failing stream (a cut gzip file) is read as a
      // cut trace, and the stream's error is owed at the end.
      this.#outcome.inputFailed(inputError(e, splitter.end));
      res = { done: true, value: undefined };
    }
    if (res.done) {
      splitter.finish();
      this.#stream = null;
    } else splitter.push(res.value);
  }

  /** Events in order; synchronous work between awaits is a whole generation's worth. */
  async *[Symbol.asyncIterator](): AsyncIterator<Event> {
    for (;;) {
      const ev = this.#step();
      if (ev === null) return;
      if (ev === NEED_MORE) {
        await this.pull();
        continue;
      }
      yield ev;
    }
  }

  /** All remaining events, synchronously, for a reader over bytes. */
  *events(): IterableIterator<Event> {
    for (let ev = this.readEvent(); ev !== null; ev = this.readEvent()) yield ev;
  }
}

// The rest of a stream, after the bytes already read.
async function readAll(
  r: ReadableStreamDefaultReader<Uint8Array>,
  head: Uint8Array,
): Promise<Uint8Array> {
  const chunks = [head];
  let n = head.length;
  for (;;) {
    let res: ReadableStreamReadResult<Uint8Array>;
    try {
      res = await r.read();
    } catch (e) {
      throw new TraceError("io", `reading input: ${(e as Error).message}`);
    }
    if (res.done) break;
    chunks.push(res.value);
    n += res.value.length;
  }
  const all = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return all;
}

// A failing input stream as a TraceError; a gzip stream that stops early
// fails its checksum, which is truncation as far as the trace is concerned.
function inputError(e: unknown, at: number): TraceError {
  const msg = `reading input: ${e instanceof Error ? e.message : String(e)}`;
  if (!/checksum|unexpected end|end of file/i.test(msg)) return new TraceError("io", msg);
  return new TraceError("truncated", msg, { offset: at, truncatedAt: at });
}

async function readAtLeast(
  r: ReadableStreamDefaultReader<Uint8Array>,
  n: number,
  have: Uint8Array,
): Promise<Uint8Array> {
  while (have.length < n) {
    let res: ReadableStreamReadResult<Uint8Array>;
    try {
      res = await r.read();
    } catch (e) {
      throw inputError(e, have.length);
    }
    const { done, value } = res;
    if (done) break;
    const merged = new Uint8Array(have.length + value.length);
    merged.set(have, 0);
    merged.set(value, have.length);
    have = merged;
  }
  return have;
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
 *
 * @example
 * ```ts
 * import { readTraceBytes } from "./reader.ts";
 * const b = await readTraceBytes(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * console.assert(new TextDecoder().decode(b.subarray(0, 7)) === "go 1.22");
 * ```
 */
export async function readTraceBytes(source: TraceSource): Promise<Uint8Array> {
  let stream: ReadableStream<Uint8Array>;
  if (source instanceof Uint8Array) stream = new Blob([source as Uint8Array<ArrayBuffer>]).stream();
  else if (source instanceof ReadableStream) stream = source;
  else {
    try {
      stream = (await Deno.open(source)).readable;
    } catch (e) {
      throw new TraceError("io", `cannot open ${String(source)}: ${(e as Error).message}`);
    }
  }
  let bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  if (isGzip(bytes)) {
    const s = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(s).arrayBuffer());
  }
  return bytes;
}
