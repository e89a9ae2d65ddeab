/**
 * Reads one amplification case in a process of its own, started with a
 * small V8 heap cap by `amplification_test.ts`, and prints one JSON line:
 * the events' text digest, the error's code and message, the time, the
 * peak RSS seen while reading and the input bytes pulled from the source.
 * An input that ran away with memory kills this process instead.
 *
 * Usage: `deno run --v8-flags=--max-old-space-size=64 amplification_child.ts CASE`
 *
 * @module
 */

import { Reader, type ReaderOptions, TraceError } from "../../mod.ts";
import {
  chunkedStream,
  cleanTrace,
  join,
  legacyTrace,
  withBatches,
} from "./amplification_inputs.ts";
import { gzip } from "../helpers/gzip.ts";

/**
 * What one case gave.
 *
 * @example
 * ```ts
 * import type { CaseResult } from "./amplification_child.ts";
 * const r: CaseResult = { events: [], code: "", message: "", ms: 1, peakRss: 0, pulled: 0, size: 0 };
 * console.assert(r.code === "");
 * ```
 */
export interface CaseResult {
  /** Each event's text. */
  events: string[];
  /** The error's code ("" when none). */
  code: string;
  /** The error's message and location. */
  message: string;
  /** Time to open and read (ms). */
  ms: number;
  /** Largest RSS seen while reading (bytes). */
  peakRss: number;
  /** Input bytes pulled from the source stream. */
  pulled: number;
  /** Bytes of the input. */
  size: number;
}

const MB = 1 << 20;
const ZEROS = new Uint8Array(8 * MB);

// Each case: the input (as a stream source) and the options to read it with.
type Input = [Uint8Array, ReaderOptions];
const CASES: Record<string, () => Input | Promise<Input>> = {
  "clean": () => [cleanTrace(), {}],
  "clean-legacy": () => [legacyTrace(), {}],
  // (a) a generation of empty batches, gzip: 24 MB in ~50 KB.
  "empty-batches": async () => [await gzip(withBatches(24 * MB, "empty")), {}],
  "empty-batches-ceiling": async () => [
    await gzip(withBatches(24 * MB, "empty")),
    { maxGenerationBytes: 16 * MB },
  ],
  // (b) 200,000 distinct threads in empty batches.
  "threads": () => [withBatches(MB, "distinct"), {}],
  "threads-ceiling": () => [withBatches(MB, "distinct"), { maxThreads: 100_000 }],
  "tiny-batches-ceiling": () => [withBatches(MB, "tiny"), { maxBatches: 100_000 }],
  // (c) an old-format trace, then 512 MB of zeros (64 members of 8 MB: 0.5 MB of gzip).
  "legacy-zeros": async () => {
    const z = await gzip(ZEROS);
    return [join(await gzip(legacyTrace()), ...new Array(64).fill(z)), {}];
  },
  "legacy-ceiling": () => [legacyTrace(), { maxLegacyBytes: 20 }],
  // A gzip bomb of empty batches against the input ceiling.
  "bomb-input-ceiling": async () => [
    await gzip(withBatches(24 * MB, "empty")),
    { maxInputBytes: 4 * MB },
  ],
  // (d) gzip members: one stream; then garbage, then zeros after them.
  "members": async () => {
    const t = cleanTrace();
    return [join(await gzip(t.subarray(0, 20)), await gzip(t.subarray(20))), {}];
  },
  "members-garbage": async () => {
    const t = cleanTrace();
    return [join(await gzip(t.subarray(0, 20)), await gzip(t.subarray(20)), Uint8Array.of(7)), {}];
  },
  "members-zeros": async () => {
    const t = cleanTrace();
    return [
      join(await gzip(t.subarray(0, 20)), await gzip(t.subarray(20)), new Uint8Array(64)),
      {},
    ];
  },
  "legacy-members-garbage": async () => [join(await gzip(legacyTrace()), Uint8Array.of(1, 2)), {}],
};

/**
 * The names of the cases.
 *
 * @example
 * ```ts
 * import { CASE_NAMES } from "./amplification_child.ts";
 * console.assert(CASE_NAMES.includes("empty-batches"));
 * ```
 */
export const CASE_NAMES: readonly string[] = Object.keys(CASES);

async function run(name: string): Promise<CaseResult> {
  const [bytes, options] = await CASES[name]();
  const pulled = { bytes: 0 };
  let peakRss = 0;
  const sample = () => peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
  const events: string[] = [];
  let code = "", message = "";
  const t0 = performance.now();
  try {
    const src = chunkedStream(bytes, 64 << 10, pulled);
    const r = await Reader.open(src, options);
    sample();
    await r.forEach((ev) => {
      events.push(ev.toString());
      if (events.length % 1024 === 0) sample();
    });
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
    code = e.code;
    message = e.toString();
  }
  const ms = performance.now() - t0;
  sample();
  return { events, code, message, ms, peakRss, pulled: pulled.bytes, size: bytes.length };
}

if (import.meta.main) {
  // RSS is sampled in the source's pulls too: once per chunk of input.
  const res = await run(Deno.args[0]);
  console.log(JSON.stringify(res));
}
