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

/**
 * An uncompressed copy of the corpus's perf trace `name` (`pingpong-1s`,
 * `workmix-20s`) in the temporary directory, made once: Go's figures are
 * for the uncompressed file. Null (with a loud warning) when the corpus is
 * missing.
 *
 * @example
 * ```ts
 * import { perfTraceFile } from "./perf_trace.ts";
 * const path = await perfTraceFile("pingpong-1s");
 * console.assert(path === null || path.endsWith("pingpong-1s.go1.25.trace"));
 * ```
 */
export async function perfTraceFile(name: string): Promise<string | null> {
  const src = new URL(`../../shared/corpus/perf/${name}.go1.25.trace.gz`, import.meta.url);
  const dst = `${Deno.env.get("TMPDIR") ?? "/tmp"}/gotrace-perf-${name}.go1.25.trace`;
  try {
    const size = Deno.statSync(dst).size;
    if (size > 0) return dst;
  } catch { /* not made yet */ }
  try {
    const bytes = await readTraceBytes(src);
    Deno.writeFileSync(`${dst}.part`, bytes);
    Deno.renameSync(`${dst}.part`, dst);
    return dst;
  } catch (e) {
    console.warn(`\n*** SKIPPED ${name}: ${src.pathname} unreadable: ${(e as Error).message}\n`);
    return null;
  }
}
