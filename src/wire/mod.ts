/**
 * Wire decoding: header, batches, generations, tables and the event spec table;
 * and, for tests, traces written from code ({@link TraceBuilder}) or from
 * Go's text format ({@link parseText}).
 *
 * @module
 */
export * from "./spec.ts";
export * from "./header.ts";
export * from "./batch.ts";
export * from "./generation.ts";
export * from "./tables.ts";
export { appendUvarint, formatU64, parseU64, readUvarint } from "./uvarint.ts";
export { BatchCursor, wireArg, type WireEvent } from "./cursor.ts";
export {
  scanWireEvents,
  scanWireEventsParallel,
  scanWireFileParallel,
  type WireScan,
} from "./decode.ts";
export { BatchBuilder, GenerationBuilder, TraceBuilder } from "./builder.ts";
export type { ArgValue, Frame, SyncOptions } from "./builder.ts";
export { decodeRaw, encodeBinary, formatText, parseText } from "./text.ts";
export type { RawEvent, RawTrace } from "./text.ts";
