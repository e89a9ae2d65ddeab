/**
 * How a read ends: the one place that turns whatever was thrown while
 * reading into the final {@link TraceError}, tells truncation apart from
 * other damage, and makes the failure stick.
 *
 * @module
 */

import { TraceError } from "../trace_error.ts";
import type { Engine } from "../order/engine.ts";
import { Event } from "../events/event.ts";
import { EV_SYNC } from "../events/kinds.ts";
import {
  explainedByTruncation,
  type GenerationLimits,
  type GenerationSplitter,
  INCOMPLETE_GENERATION,
  type PartialMode,
} from "../wire/generation.ts";

/**
 * Options of {@link Reader.open} and {@link Reader.fromBytes}: what to do
 * with a truncated trace, and the ceilings past which reading stops with a
 * TraceError `too-large` rather than exhausting memory (the defaults are
 * in `DEFAULT_LIMITS` of `src/wire/generation.ts`, {@link MAX_LEGACY_BYTES}
 * and {@link MAX_INPUT_BYTES}).
 *
 * @example
 * ```ts
 * import type { ReaderOptions } from "./outcome.ts";
 * const opts: ReaderOptions = { partial: "orderable", maxGenerationBytes: 256 << 20 };
 * console.assert(opts.partial === "orderable");
 * ```
 */
export interface ReaderOptions extends GenerationLimits {
  /**
   * What to do with a generation whose end is missing (a truncated trace):
   * `reference` (Go's reader's events, the default), `complete-generations`
   * or `orderable`. See {@link PartialMode}.
   */
  partial?: PartialMode;
  /**
   * Most bytes of an old-format trace (go1.11–go1.21), which is parsed
   * whole: {@link MAX_LEGACY_BYTES} by default.
   */
  maxLegacyBytes?: number;
  /**
   * Most bytes read from a file or stream, after decompression:
   * {@link MAX_INPUT_BYTES} (no ceiling) by default. The per-generation
   * ceilings already bound memory; this bounds time, e.g. for a gzip bomb.
   */
  maxInputBytes?: number;
}

/**
 * The default {@link ReaderOptions.maxLegacyBytes}: an old-format trace
 * is parsed whole into about 32 bytes of heap per byte of trace.
 *
 * @example
 * ```ts
 * import { MAX_LEGACY_BYTES } from "./outcome.ts";
 * console.assert(MAX_LEGACY_BYTES === 64 << 20);
 * ```
 */
export const MAX_LEGACY_BYTES = 64 << 20;

/**
 * The default {@link ReaderOptions.maxInputBytes}: none, the input streams.
 *
 * @example
 * ```ts
 * import { MAX_INPUT_BYTES } from "./outcome.ts";
 * console.assert(MAX_INPUT_BYTES === Infinity);
 * ```
 */
export const MAX_INPUT_BYTES = Infinity;

/**
 * The end of a read, for one Reader. Every failure goes through
 * {@link fail}, which returns the TraceError to throw: non-TraceErrors become
 * `internal`, failures caused by a cut-short generation become `truncated`
 * (with the visible failure's code as `symptom`), and the first failure is
 * thrown again by every later read.
 *
 * @example
 * ```ts
 * import { Outcome } from "./outcome.ts";
 * const o = new Outcome(null);
 * const e = o.fail(new TypeError("x is undefined"), null);
 * console.assert(e.code === "internal");
 * try { o.check(); } catch (again) { console.assert(again === e); }
 * ```
 */
export class Outcome {
  #failed: TraceError | null = null;
  #inputError: TraceError | null = null;
  #closed = false;

  /**
   * The outcome of one read.
   * @param splitter the generation splitter of a go1.22+ trace (null for
   *   old-format traces, which are read whole)
   */
  constructor(readonly splitter: GenerationSplitter | null) {}

  /** Throws the failure of an earlier read, if any. */
  check(): void {
    if (this.#failed) throw this.#failed;
  }

  /**
   * The input itself failed after some bytes (a cut gzip stream): what came
   * before is read as a cut trace, and this error is owed at the end.
   */
  inputFailed(e: TraceError): void {
    this.#inputError ??= e;
  }

  /** The final error for what a read threw; remembered for later reads. */
  fail(thrown: unknown, engine: Engine | null): TraceError {
    if (this.#failed) return this.#failed;
    let e = TraceError.from(thrown, { generation: engine?.gen?.gen });
    const input = this.#inputError;
    const news = input !== null && (input.code === "io" || input.code === "too-large");
    if (news && (e.code === "truncated" || explainedByTruncation(e))) {
      // The stream failed: that, not what its missing tail broke, is the news.
      return this.#failed = input;
    }
    const lost = this.splitter?.incomplete;
    const inGen = lost && engine && (engine.gen === null || engine.gen === lost.generation);
    if (lost && inGen && lost.truncation && explainedByTruncation(e)) {
      e = e.asTruncated(lost.at);
    } else if (e.code === "truncated" && e.truncatedAt === undefined && this.splitter) {
      e = e.withLocation({ truncatedAt: this.splitter.end });
    } else if (input && explainedByTruncation(e)) {
      e = e.asTruncated(input.truncatedAt ?? this.splitter?.end ?? 0);
    }
    return this.#failed = e;
  }

  /**
   * The next event of `source` (an engine's or the legacy converter's), with
   * every failure turned into the final TraceError once and for all: a
   * salvaged generation's closing Sync first, and at the end the error still
   * owed. `engine` is the engine being read, null for the old format.
   */
  next<T>(source: () => Event | null | T, engine: Engine | null): Event | null | T {
    this.check();
    let ev: Event | null | T;
    try {
      ev = source();
    } catch (e) {
      const failure = this.fail(e, engine);
      const sync = this.closingSync(engine, e);
      if (sync) return sync;
      throw failure;
    }
    if (ev === null) {
      const owed = this.atEnd();
      if (owed) throw owed;
    }
    return ev;
  }

  /**
   * In `orderable` mode, when ordering a salvaged generation stopped: the
   * Sync that closes what could be read, as the reference closes a generation
   * before a deferred error (given once; the failure follows). Else null.
   */
  closingSync(engine: Engine | null, thrown: unknown): Event | null {
    const lost = this.splitter?.incomplete;
    if (this.#closed || !engine || this.splitter?.partial !== "orderable") return null;
    // The deferred error of a generation read to its end already has its Sync.
    if (!lost?.generation || engine.gen !== lost.generation || thrown === lost.error) return null;
    this.#closed = true;
    return new Event(null, -1, -1, -1, EV_SYNC, engine.lastTs + 1, engine.syncs + 1, 0, 0, 0);
  }

  /**
   * Called when the events ran out: the error still owed, if any (the input
   * failed, or a generation was salvaged: what was read of it is all there is).
   */
  atEnd(): TraceError | null {
    if (this.#failed) return this.#failed;
    const lost = this.splitter?.incomplete;
    if (this.splitter?.partial === "orderable" && lost?.generation) {
      // A salvaged generation read to its end: still not the whole of it.
      this.#failed = lost.error ?? new TraceError("truncated", INCOMPLETE_GENERATION, {
        offset: lost.at,
        generation: lost.gen,
        truncatedAt: lost.at,
      });
    } else if (this.#inputError) {
      this.#failed = this.#inputError;
    }
    return this.#failed;
  }
}
