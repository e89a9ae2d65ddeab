/**
 * A trace's bytes handed to a Web Worker: read in place when they are in
 * shared memory, else a copy of the part the worker needs, which it then
 * owns (moved, not cloned, with the message).
 *
 * @module
 */

/**
 * Trace bytes below which a second thread is not worth its start (loading
 * its modules and warming it up cost more than it saves): 8 MB.
 *
 * @example
 * ```ts
 * import { WORKER_MIN_BYTES } from "./worker_bytes.ts";
 * console.assert(WORKER_MIN_BYTES === 8 * 2 ** 20);
 * ```
 */
export const WORKER_MIN_BYTES = 8 << 20;

/**
 * Bytes as a worker gets them: `length` bytes at `begin` in `bytes`.
 *
 * @example
 * ```ts
 * import type { WorkerBytes } from "./worker_bytes.ts";
 * const w: WorkerBytes = { bytes: new ArrayBuffer(8), begin: 2, length: 4 };
 * console.assert(w.begin + w.length <= w.bytes.byteLength);
 * ```
 */
export interface WorkerBytes {
  /** The whole trace in shared memory, or a copy of the part. */
  bytes: ArrayBuffer | SharedArrayBuffer;
  /** Where in `bytes` the part begins. */
  begin: number;
  /** How long it is. */
  length: number;
}

/**
 * Bytes `start` to `end` of `trace` for a worker: in place when the trace
 * is in a SharedArrayBuffer, else copied; and what to transfer with the
 * message that carries them.
 *
 * @example
 * ```ts
 * import { forWorker, fromWorker } from "./worker_bytes.ts";
 * const trace = new Uint8Array(new SharedArrayBuffer(10)).fill(7);
 * const { part, transfer } = forWorker(trace, 4, 8);
 * console.assert(part.bytes === trace.buffer && transfer.length === 0);
 * console.assert(fromWorker(part).length === 4);
 * const copied = forWorker(new Uint8Array(10), 4, 8);
 * console.assert(copied.part.begin === 0 && copied.transfer[0] === copied.part.bytes);
 * ```
 */
export function forWorker(
  trace: Uint8Array,
  start = 0,
  end: number = trace.length,
): { part: WorkerBytes; transfer: ArrayBuffer[] } {
  if (trace.buffer instanceof SharedArrayBuffer) {
    return {
      part: { bytes: trace.buffer, begin: trace.byteOffset + start, length: end - start },
      transfer: [],
    };
  }
  const copy = trace.slice(start, end).buffer;
  return { part: { bytes: copy, begin: 0, length: end - start }, transfer: [copy] };
}

/**
 * The bytes a worker was given, as a view.
 *
 * @example
 * ```ts
 * import { fromWorker } from "./worker_bytes.ts";
 * console.assert(fromWorker({ bytes: new ArrayBuffer(8), begin: 2, length: 4 }).byteOffset === 2);
 * ```
 */
export function fromWorker(part: WorkerBytes): Uint8Array {
  return new Uint8Array(part.bytes, part.begin, part.length);
}
