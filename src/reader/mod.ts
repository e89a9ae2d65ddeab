/**
 * The Reader: trace bytes, files and streams in, ordered events out (new
 * format through the ordering engine, old format through `src/legacy/`),
 * and its parallel form.
 *
 * @module
 */
export * from "./reader.ts";
export { ParallelReader, readEventsParallel } from "./parallel.ts";
export type { ParallelOptions, ParallelStats } from "./parallel.ts";
