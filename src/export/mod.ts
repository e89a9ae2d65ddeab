/**
 * Export: a trace in other tools' formats.
 *
 * - stack profiles ({@link stackProfile}, {@link StackProfileAnalysis},
 *   {@link GoProfileAnalysis}) written as pprof ({@link toPprof},
 *   {@link pprofFromTrace}), with the pprof codec ({@link encodePprof},
 *   {@link decodePprof}) and the protobuf helpers under it;
 * - {@link chromeTrace}: Chrome trace-event JSON for Perfetto UI;
 *   {@link ChromeTraceWriter} writes it as the trace is read, whole or a window.
 *
 * @example
 * ```ts
 * import { decodePprof, gunzip, pprofFromTrace } from "./mod.ts";
 * const gz = await pprofFromTrace(new URL("../../testdata/block-unblock.trace", import.meta.url), {
 *   kind: "sync",
 * });
 * console.assert(decodePprof(await gunzip(gz)).sampleTypes[1].type === "delay");
 * ```
 *
 * @module
 */

export * from "./profiles.ts";
export * from "./go_profiles.ts";
export * from "./pprof.ts";
export * from "./protobuf.ts";
export * from "./chrome_trace.ts";
export * from "./chrome_writer.ts";
