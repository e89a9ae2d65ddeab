/**
 * Messages between {@link ParallelReader} and its workers: plain data and
 * typed arrays only.
 *
 * @module
 */

import type { GenerationRefs, OrderingSnapshot } from "../order/snapshot.ts";
import type { BlockPool, PackedEvents } from "./packed.ts";
import type { WorkerBytes } from "../wire/worker_bytes.ts";

/**
 * What a worker is asked to order: the bytes of consecutive generations
 * (copied out of the trace), starting at byte `start` of the trace.
 *
 * @example
 * ```ts
 * import type { WorkerJob } from "./parallel_protocol.ts";
 * const credit = new SharedArrayBuffer(4);
 * const job: WorkerJob = { bytes: new ArrayBuffer(0), begin: 0, length: 0, start: 16, version: 25, finish: true, first: 0, warm: false, initialGen: 1, block: 16384, credit, pool: null };
 * console.assert(job.first === 0);
 * ```
 */
export interface WorkerJob extends WorkerBytes {
  // WorkerBytes: the generations' bytes (and, before Go 1.26, the next
  // one's first batch), in place in shared memory or copied.
  /** Trace offset of `bytes[0]`. */
  start: number;
  /** Trace version. */
  version: number;
  /** The bytes reach the end of the trace. */
  finish: boolean;
  /** Span index of the first generation in `bytes`. */
  first: number;
  /**
   * A later run: start from the state the first generation announces, and
   * post it (`warm`) for the main thread to check against the true one.
   */
  warm: boolean;
  /** The trace's first generation (the ordering state's `initialGen`). */
  initialGen: number;
  /** Events per block: each is posted as it fills, not at the generation's end. */
  block: number;
  /**
   * Blocks messages the worker may post beyond those the main thread has
   * taken (one Int32: the worker takes one before each post and waits at
   * zero, the main thread gives one back per message taken).
   */
  credit: SharedArrayBuffer;
  /** Shared blocks to pack events into, which this thread gives back once read. */
  pool: BlockPool | null;
}

/**
 * What a worker posts: the state its run starts from (`warm`, for a later
 * run), per generation its events and end state, before that its full blocks of events as they
 * fill when it streams (with the strings its rules made since the last
 * post), a failure (the generation's ordering threw), and the end of its run
 * (`clean` when the trace ended there without error).
 *
 * @example
 * ```ts
 * import type { ToMain } from "./parallel_protocol.ts";
 * const m: ToMain = { kind: "end", clean: true };
 * console.assert(m.kind === "end");
 * ```
 */
export type ToMain =
  | {
    kind: "gen";
    index: number;
    events: PackedEvents[];
    refs: GenerationRefs;
    extras: string[];
    state: OrderingSnapshot;
    ms: number;
  }
  | { kind: "blocks"; index: number; events: PackedEvents[]; extras: string[] }
  | { kind: "warm"; index: number; state: OrderingSnapshot; ms: number }
  | { kind: "fail"; index: number; why: string }
  | { kind: "end"; clean: boolean };
