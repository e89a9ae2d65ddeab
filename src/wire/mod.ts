/**
 * Wire decoding: header, batches, generations, tables and the event spec table.
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
export { scanWireEvents, type WireScan } from "./decode.ts";
