/**
 * Events: the model the reader hands out, and the Reader itself.
 *
 * @module
 */
export * from "./event.ts";
export * from "./kinds.ts";
export * from "./reader.ts";
export { ParallelReader, readEventsParallel } from "./parallel.ts";
export type { ParallelOptions, ParallelStats } from "./parallel.ts";
export { rfc3339Nano } from "./go_format.ts";
