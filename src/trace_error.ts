/**
 * The one error type the library throws for bad input.
 *
 * @module
 */

/**
 * Stable machine-readable reasons a trace could not be read:
 *
 * - `bad-header`: not a Go trace; `unsupported-version`: a Go trace of a
 *   version the reference cannot read either;
 * - `truncated`: the input ends early (mid-batch, mid-generation); when the
 *   loss surfaced as another failure, that one's code is in `symptom`;
 * - `bad-varint`, `bad-batch-size`, `bad-batch`, `unknown-event`: bytes that
 *   cannot be decoded; `bad-table`, `bad-table-id`: string/stack/frequency
 *   tables that are malformed, missing or referenced with an unknown id;
 * - `bad-generation`: generations out of order or interleaved;
 * - `ordering`: events that cannot happen in any order (the scheduler replay
 *   failed);
 * - `bad-text`: the textual format; `io`: the input could not be read;
 * - `too-large`: the input passes a ceiling of the reader's options (a
 *   generation's bytes, batches or threads, an old-format trace's bytes,
 *   the decompressed input): read further, it would exhaust memory;
 * - `internal`: a bug in this library (the original exception is `cause`).
 *
 * @example
 * ```ts
 * import type { TraceErrorCode } from "./trace_error.ts";
 * const retryable = (c: TraceErrorCode) => c === "io";
 * console.assert(!retryable("truncated"));
 * ```
 */
export type TraceErrorCode =
  | "bad-header"
  | "unsupported-version"
  | "truncated"
  | "bad-varint"
  | "bad-batch-size"
  | "bad-batch"
  | "unknown-event"
  | "bad-table-id"
  | "bad-table"
  | "bad-generation"
  | "ordering"
  | "bad-text"
  | "io"
  | "too-large"
  | "internal";

/** Where in the input a problem was found; every field is optional. */
export interface TraceLocation {
  /** Byte offset from the start of the (decompressed) trace. */
  offset?: number;
  /** Generation number. */
  generation?: number;
  /** Thread (M) id of the batch. */
  m?: number;
  /** Index of the batch within its generation (0-based, in file order). */
  batch?: number;
  /** Line number in the textual format (1-based). */
  line?: number;
  /**
   * For a `truncated` error whose failure showed up as something else: the
   * code that failure would have had (e.g. `ordering` when the lost tail left
   * a goroutine waiting for an event that never came).
   */
  symptom?: TraceErrorCode;
  /** For a `truncated` error: byte offset where the usable input ends. */
  truncatedAt?: number;
}

/**
 * A trace could not be read. `message` is the reference reader's wording
 * (so outputs can be compared with Go's); `code` and the location fields say
 * what and where; `toString()` puts it together in one paragraph.
 *
 * @example
 * ```ts
 * import { TraceError } from "./trace_error.ts";
 * const err = new TraceError("bad-header", "bad file format: not a Go execution trace?", { offset: 0 });
 * console.assert(err.code === "bad-header");
 * console.assert(err.toString().includes("at byte 0"));
 * ```
 */
export class TraceError extends Error {
  /** Machine-readable reason. */
  readonly code: TraceErrorCode;
  /** Byte offset of the problem, when known. */
  readonly offset?: number;
  /** Generation number, when known. */
  readonly generation?: number;
  /** Thread (M) of the batch, when known. */
  readonly m?: number;
  /** Batch index within the generation, when known. */
  readonly batch?: number;
  /** Line of a textual trace, when known. */
  readonly line?: number;
  /** For `truncated`: the code the visible failure would otherwise have had. */
  readonly symptom?: TraceErrorCode;
  /** For `truncated`: byte offset where the usable input ends. */
  readonly truncatedAt?: number;

  /** Builds an error with a code, the message and where it happened. */
  constructor(
    code: TraceErrorCode,
    message: string,
    where: TraceLocation = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "TraceError";
    this.code = code;
    this.offset = where.offset;
    this.generation = where.generation;
    this.m = where.m;
    this.batch = where.batch;
    this.line = where.line;
    if (where.symptom !== undefined) this.symptom = where.symptom;
    if (where.truncatedAt !== undefined) this.truncatedAt = where.truncatedAt;
  }

  /**
   * Any thrown value as a TraceError: a TraceError is returned as is, anything
   * else (a bug of ours, not of the input) becomes code `internal`, with the
   * original as `cause`, so that callers only ever have to catch TraceError.
   *
   * @example
   * ```ts
   * import { TraceError } from "./trace_error.ts";
   * const e = TraceError.from(new RangeError("offset is out of bounds"), { generation: 2 });
   * console.assert(e.code === "internal" && e.generation === 2 && e.cause instanceof RangeError);
   * ```
   */
  static from(e: unknown, where: TraceLocation = {}): TraceError {
    if (e instanceof TraceError) return e.withLocation(where);
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return new TraceError("internal", `internal error: ${what}`, where, { cause: e });
  }

  #causeOption(): { cause: unknown } | undefined {
    return this.cause === undefined ? undefined : { cause: this.cause };
  }

  /** The location as a short phrase, e.g. "at byte 120 (generation 2, M 5, batch 3)". */
  where(): string {
    const parts: string[] = [];
    if (this.generation !== undefined) parts.push(`generation ${this.generation}`);
    if (this.m !== undefined) parts.push(`M ${this.m}`);
    if (this.batch !== undefined) parts.push(`batch ${this.batch}`);
    if (this.line !== undefined) parts.push(`line ${this.line}`);
    let s = this.offset !== undefined ? `at byte ${this.offset}` : "";
    if (parts.length) s += (s ? " " : "") + `(${parts.join(", ")})`;
    if (this.truncatedAt !== undefined) {
      s += `${s ? "; " : ""}the input ends early at byte ${this.truncatedAt}`;
    }
    if (this.symptom !== undefined) s += `${s ? "; " : ""}seen as ${this.symptom}`;
    return s;
  }

  /** One readable paragraph: code, message and location. */
  override toString(): string {
    const w = this.where();
    return `TraceError [${this.code}]: ${this.message}${w ? ` ${w}` : ""}`;
  }

  /**
   * The location fields as plain data: what another thread needs, with the
   * code and message, to make the same error again.
   *
   * @example
   * ```ts
   * import { TraceError } from "./trace_error.ts";
   * const e = new TraceError("ordering", "stuck", { offset: 7, m: 2 });
   * const again = new TraceError(e.code, e.message, e.location());
   * console.assert(again.toString() === e.toString());
   * ```
   */
  location(): TraceLocation {
    const { offset, generation, m, batch, line, symptom, truncatedAt } = this;
    return { offset, generation, m, batch, line, symptom, truncatedAt };
  }

  /** A copy with location fields filled in where this one had none (itself if none are new). */
  withLocation(where: TraceLocation): TraceError {
    const adds = (Object.keys(where) as (keyof TraceLocation)[]).some((k) =>
      where[k] !== undefined && this[k] === undefined
    );
    if (!adds) return this;
    return new TraceError(this.code, this.message, {
      offset: this.offset ?? where.offset,
      generation: this.generation ?? where.generation,
      m: this.m ?? where.m,
      batch: this.batch ?? where.batch,
      line: this.line ?? where.line,
      symptom: this.symptom ?? where.symptom,
      truncatedAt: this.truncatedAt ?? where.truncatedAt,
    }, this.#causeOption());
  }

  /**
   * This failure, reclassified as a consequence of the input ending early at
   * byte `at`: same message and location, code `truncated`, and the old code
   * kept as {@link symptom}.
   *
   * @example
   * ```ts
   * import { TraceError } from "./trace_error.ts";
   * const e = new TraceError("ordering", "broken trace: failed to advance", { m: 3 });
   * const t = e.asTruncated(4096);
   * console.assert(t.code === "truncated" && t.symptom === "ordering" && t.m === 3);
   * ```
   */
  asTruncated(at: number): TraceError {
    if (this.code === "truncated") return this.withLocation({ truncatedAt: at });
    return new TraceError("truncated", this.message, {
      offset: this.offset,
      generation: this.generation,
      m: this.m,
      batch: this.batch,
      line: this.line,
      symptom: this.code,
      truncatedAt: at,
    }, this.#causeOption());
  }
}

/**
 * A thrown value as plain data, to cross to another thread (a worker's
 * failure): its message, and a TraceError's code and location.
 *
 * @example
 * ```ts
 * import type { ThrownData } from "./trace_error.ts";
 * const d: ThrownData = { message: "EOF", trace: { code: "truncated", where: { offset: 9 } } };
 * console.assert(d.trace?.code === "truncated");
 * ```
 */
export interface ThrownData {
  /** The message. */
  message: string;
  /** For a TraceError: its code and location. */
  trace?: { code: TraceErrorCode; where: TraceLocation };
}

/**
 * `e` as {@link ThrownData}, for `postMessage`.
 *
 * @example
 * ```ts
 * import { thrownData, TraceError } from "./trace_error.ts";
 * const d = thrownData(new TraceError("io", "gone", { offset: 3 }));
 * console.assert(d.message === "gone" && d.trace?.code === "io" && d.trace.where.offset === 3);
 * console.assert(thrownData(new RangeError("x")).trace === undefined);
 * ```
 */
export function thrownData(e: unknown): ThrownData {
  const message = e instanceof Error ? e.message : String(e);
  if (!(e instanceof TraceError)) return { message };
  return { message, trace: { code: e.code, where: e.location() } };
}

/**
 * The error {@link ThrownData} describes, made again on this thread: a
 * TraceError the same as the one thrown, anything else an Error with its
 * message.
 *
 * @example
 * ```ts
 * import { thrownData, thrownFromData, TraceError } from "./trace_error.ts";
 * const e = new TraceError("ordering", "stuck", { generation: 2, m: 1 });
 * console.assert(thrownFromData(thrownData(e)).toString() === e.toString());
 * ```
 */
export function thrownFromData(d: ThrownData): Error {
  return d.trace ? new TraceError(d.trace.code, d.message, d.trace.where) : new Error(d.message);
}
