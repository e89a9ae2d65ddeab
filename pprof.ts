/**
 * pprof export, all of it: stack profiles of a trace (go tool trace's
 * network, sync, syscall and scheduler-latency profiles under Go's rules, or
 * ours: charged as the goroutine analysis does, all waits, CPU samples) as
 * analyses fed one event at a time, the pprof profile codec (encode, decode,
 * gzip) and the protobuf wire helpers under it. `./mod.ts` has the functions
 * most users call (`pprofFromTrace`, `stackProfile`, `toPprof`, `encodePprof`).
 *
 * @example
 * ```ts
 * import { decodePprof, gunzip, pprofFromTrace } from "./pprof.ts";
 * const gz = await pprofFromTrace(new URL("./testdata/block-unblock.trace", import.meta.url), {
 *   kind: "sync",
 * });
 * const p = decodePprof(await gunzip(gz));
 * console.assert(p.sampleTypes[1].type === "delay");
 * ```
 *
 * @module
 */

export {
  countsAs,
  defaultRules,
  PPROF_KINDS,
  stackProfile,
  StackProfileAnalysis,
} from "./src/export/mod.ts";
export type {
  ProfileKind,
  ProfileRules,
  StackProfile,
  StackProfileOptions,
  StackRecord,
} from "./src/export/mod.ts";
export { GoProfileAnalysis } from "./src/export/mod.ts";
export type { GoProfileKind, GoProfileOptions } from "./src/export/mod.ts";
export {
  decodePprof,
  emptyPprof,
  encodePprof,
  gunzip,
  gzip,
  pprofFromTrace,
  toPprof,
} from "./src/export/mod.ts";
export type {
  PprofFunction,
  PprofLabel,
  PprofLine,
  PprofLocation,
  PprofMapping,
  PprofProfile,
  PprofSample,
  PprofValueType,
  ToPprofOptions,
} from "./src/export/mod.ts";
export {
  decodeFields,
  ProtoWriter,
  readVarint,
  repeatedVarints,
  unpackVarints,
} from "./src/export/mod.ts";
export type { ProtoField, WireType } from "./src/export/mod.ts";
// Types the profiles name (events, stacks, trace sources), from ./mod.ts.
export type * from "./mod.ts";
