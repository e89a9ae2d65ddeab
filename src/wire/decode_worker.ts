/**
 * The worker of `scanWireEventsParallel`: counts the events of the
 * trace's second half of batches and posts the count (-1 on any failure:
 * the main thread then scans the trace alone, for its error).
 *
 * @module
 */

import { type DecodeJob, scanPart } from "./decode.ts";

const port = globalThis as unknown as {
  onmessage: ((e: MessageEvent<DecodeJob>) => void) | null;
  postMessage(n: number): void;
};

port.onmessage = (e) => {
  const job = e.data;
  try {
    const bytes = new Uint8Array(job.bytes, job.begin, job.length);
    port.postMessage(scanPart(bytes, job.from, Infinity).events);
  } catch {
    port.postMessage(-1);
  }
};
