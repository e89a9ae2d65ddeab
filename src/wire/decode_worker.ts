/**
 * The worker of `scanWireEventsParallel` and `scanWireFileParallel`:
 * counts the events of the trace's second half of batches (having read its
 * half of the file first, when asked) and posts the count (-1 on any
 * failure: the main thread then scans the trace alone, for its error).
 *
 * @module
 */

import { type DecodeJob, type FileShare, scanPart } from "./decode.ts";
import { readShare } from "./file_read.ts";
import { fromWorker } from "./worker_bytes.ts";

const port = globalThis as unknown as {
  onmessage: ((e: MessageEvent<DecodeJob>) => void) | null;
  postMessage(n: number): void;
};

port.onmessage = (e) => {
  const job = e.data;
  if (job.read && !readIn(job.read, fromWorker(job))) return port.postMessage(-1);
  try {
    port.postMessage(scanPart(fromWorker(job), job.from, Infinity).events);
  } catch {
    port.postMessage(-1);
  }
};

// Reads the worker's share of the file into the shared bytes and tells the
// main thread how it went, at once: it waits for the bytes to decode its own
// part (which needs every batch header).
function readIn(share: FileShare, into: Uint8Array): boolean {
  const done = new Int32Array(share.done);
  let ok = false;
  try {
    using f = Deno.openSync(share.path.startsWith("file:") ? new URL(share.path) : share.path);
    ok = readShare(f, into, share.start, share.end);
  } catch { /* the main thread reads it instead */ }
  Atomics.store(done, 0, ok ? 1 : 2);
  Atomics.notify(done, 0);
  return ok;
}
