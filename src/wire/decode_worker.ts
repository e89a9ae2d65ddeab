/**
 * The worker of `scanWireEventsParallel`: counts the events of the
 * trace's second half of batches and posts the count (-1 on any failure:
 * the main thread then scans the trace alone, for its error).
 *
 * @module
 */

import { type DecodeJob, scanPart } from "./decode.ts";
import { fromWorker } from "./worker_bytes.ts";

const port = globalThis as unknown as {
  onmessage: ((e: MessageEvent<DecodeJob>) => void) | null;
  postMessage(n: number): void;
};

port.onmessage = (e) => {
  const job = e.data;
  try {
    port.postMessage(scanPart(fromWorker(job), job.from, Infinity).events);
  } catch {
    port.postMessage(-1);
  }
};
