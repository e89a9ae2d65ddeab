/**
 * The worker that reads a trace and builds its tables while the main thread
 * appends them to DuckDB: each chunk is moved (not copied) to the main
 * thread as soon as it is complete, and the build waits when the main
 * thread is a few chunks behind, so that memory stays bounded.
 *
 * @module
 */

import { TraceTables } from "../tables/build.ts";
import type { Chunk } from "../tables/columns.ts";
import { readAll } from "../queries/source.ts";
import { thrownData } from "../trace_error.ts";
import type { FromBuilder, ToBuilder } from "./worker_load.ts";

const port = globalThis as unknown as {
  onmessage: ((e: MessageEvent<ToBuilder>) => void) | null;
  postMessage(m: FromBuilder, transfer?: Transferable[]): void;
};

port.onmessage = (e) => void build(e.data);

async function build(job: ToBuilder): Promise<void> {
  // Chunks the main thread has room for: it adds one back per chunk appended.
  const credit = new Int32Array(job.credit);
  const tables = new TraceTables(job.name, {
    transitionsInEvents: true,
    sinkKeeps: true,
    sink: (chunk) => {
      while (Atomics.sub(credit, 0, 1) <= 0) {
        Atomics.add(credit, 0, 1);
        Atomics.wait(credit, 0, 0);
      }
      port.postMessage({ kind: "chunk", chunk }, buffersOf(chunk));
    },
  });
  try {
    const src = typeof job.source === "string" && job.source.startsWith("file:")
      ? new URL(job.source)
      : job.source;
    await readAll(src, (ev) => tables.event(ev));
    const result = tables.result();
    const counts: Record<string, number> = {};
    for (const [name, t] of Object.entries(result)) counts[name] = t.length;
    port.postMessage({ kind: "done", counts });
  } catch (e) {
    port.postMessage({ kind: "error", error: thrownData(e) });
  }
}

// The chunk's own buffers, each once; the `trace` column's codes are a view
// of zeros shared by every chunk, so they are copied instead.
function buffersOf(chunk: Chunk): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  chunk.columns.forEach((c, k) => {
    if (k === 0) return;
    const a = ArrayBuffer.isView(c) ? c : "codes" in c ? c.codes : null;
    if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  });
  return [...out];
}
