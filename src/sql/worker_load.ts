/**
 * Loading a trace into DuckDB on two threads: a worker reads it and builds
 * its table chunks (`build_worker.ts`) while the main thread appends them,
 * which is where most of a load's time goes. The chunks, their order and
 * a failure are the ones the build on the main thread gives.
 *
 * @module
 */

import type { Chunk } from "../tables/columns.ts";
import { type ThrownData, thrownFromData } from "../trace_error.ts";

/** What the main thread tells the building worker. */
export interface ToBuilder {
  /** The trace: a path, URL or the bytes. */
  source: string | Uint8Array;
  /** Its `trace` column. */
  name: string;
  /** One Int32: chunks the main thread has room for. */
  credit: SharedArrayBuffer;
}

/** What the building worker posts. */
export type FromBuilder =
  | { kind: "chunk"; chunk: Chunk }
  | { kind: "done"; counts: Record<string, number> }
  | { kind: "error"; error: ThrownData };

/** Chunks (of 65,536 rows) the worker may build ahead of the appends. */
const AHEAD = 6;

/**
 * Builds the tables of `source` on a worker and hands each chunk to
 * `append` on this thread, in order; resolves to the rows per table. A
 * failure of the read rejects after the chunks built before it.
 *
 * @example
 * ```ts
 * import { buildOnWorker } from "./worker_load.ts";
 * const path = new URL("../../testdata/demo.trace", import.meta.url).href;
 * let rows = 0;
 * const counts = await buildOnWorker(path, "demo", (c) => {
 *   if (c.schema.name === "events") rows += c.length;
 * });
 * console.assert(counts.events === rows && rows > 100);
 * ```
 */
export function buildOnWorker(
  source: string | Uint8Array,
  name: string,
  append: (chunk: Chunk) => void,
): Promise<Record<string, number>> {
  const credit = new Int32Array(new SharedArrayBuffer(4));
  credit[0] = AHEAD;
  const w = new Worker(new URL("./build_worker.ts", import.meta.url), { type: "module" });
  return new Promise<Record<string, number>>((resolve, reject) => {
    const end = (f: () => void) => {
      w.terminate();
      f();
    };
    w.onmessage = (e: MessageEvent<FromBuilder>) => {
      const m = e.data;
      if (m.kind === "chunk") {
        try {
          append(m.chunk);
        } catch (err) {
          return end(() => reject(err));
        }
        Atomics.add(credit, 0, 1);
        Atomics.notify(credit, 0);
      } else if (m.kind === "done") end(() => resolve(m.counts));
      else {
        end(() => reject(thrownFromData(m.error)));
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      end(() => reject(new Error(`table building worker: ${e.message}`)));
    };
    w.postMessage({ source, name, credit: credit.buffer } satisfies ToBuilder);
  });
}
