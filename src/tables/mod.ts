/**
 * Trace tables: a trace as columns (events, transitions, goroutines,
 * syscalls, steals, ranges, regions, tasks, logs, metrics, labels, stacks,
 * frames, samples), built in one pass on typed arrays, for SQL engines and
 * Parquet files. The schemas are in {@link TABLES}; `sql.ts` at the top of
 * the repository loads them into DuckDB.
 *
 * @example
 * ```ts
 * import { chunkRows, traceTables } from "./mod.ts";
 * const t = await traceTables(new URL("../../testdata/demo.trace", import.meta.url));
 * const rows = t.goroutines.chunks.flatMap(chunkRows);
 * console.assert(rows.length === t.goroutines.length && rows[0].trace === "demo.trace");
 * ```
 *
 * @module
 */

export {
  BoolColumn,
  ByteColumn,
  cellValue,
  chunkRows,
  IntColumn,
  NULL_INT,
  NumberColumn,
  plainColumn,
  StringColumn,
  TableBuilder,
} from "./columns.ts";
export type {
  Chunk,
  ColumnBuilder,
  ColumnData,
  ColumnSpec,
  ColumnType,
  PlainColumnData,
  RowSelection,
  TableSchema,
} from "./columns.ts";
export { describeTables, EVENT_ROWS, TABLES } from "./schema.ts";
export type { TableName } from "./schema.ts";
export { CHUNK_ROWS, traceName, TraceTables, traceTables } from "./build.ts";
export type { ChunkSink, Table, TraceTableSet, TraceTablesOptions } from "./build.ts";
