/**
 * The large benchmark trace of the corpus, decompressed into memory once per
 * benchmark file; null (with a loud warning) when the corpus is missing.
 *
 * @module
 */

import { readTraceBytes } from "../mod.ts";

/** Where the perf trace lives, beside the repository. */
export const PERF_TRACE: URL = new URL(
  "../../shared/corpus/perf/pingpong-1s.go1.25.trace.gz",
  import.meta.url,
);

/**
 * The perf trace's bytes, or null when it cannot be read.
 *
 * @example
 * ```ts
 * import { loadPerfTrace } from "./perf_trace.ts";
 * const bytes = await loadPerfTrace("example");
 * console.assert(bytes === null || bytes.length > 40e6);
 * ```
 */
export async function loadPerfTrace(what: string): Promise<Uint8Array | null> {
  try {
    return await readTraceBytes(PERF_TRACE);
  } catch (e) {
    console.warn(
      `\n*** SKIPPED ${what} benchmarks: ${PERF_TRACE.pathname} unreadable: ${
        (e as Error).message
      }\n`,
    );
    return null;
  }
}
