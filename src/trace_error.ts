/**
 * The one error type the library throws for bad input.
 *
 * @module
 */

/** Stable machine-readable reasons a trace could not be read. */
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
  | "io";

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

  /** Builds an error with a code, the message and where it happened. */
  constructor(code: TraceErrorCode, message: string, where: TraceLocation = {}) {
    super(message);
    this.name = "TraceError";
    this.code = code;
    this.offset = where.offset;
    this.generation = where.generation;
    this.m = where.m;
    this.batch = where.batch;
    this.line = where.line;
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
    return s;
  }

  /** One readable paragraph: code, message and location. */
  override toString(): string {
    const w = this.where();
    return `TraceError [${this.code}]: ${this.message}${w ? ` ${w}` : ""}`;
  }

  /** Returns a copy with location fields filled in where this one had none. */
  withLocation(where: TraceLocation): TraceError {
    return new TraceError(this.code, this.message, {
      offset: this.offset ?? where.offset,
      generation: this.generation ?? where.generation,
      m: this.m ?? where.m,
      batch: this.batch ?? where.batch,
      line: this.line ?? where.line,
    });
  }
}
