/**
 * SQL over Go execution traces: {@link TraceDB} loads the trace tables of
 * one or many traces into DuckDB (`@duckdb/node-api`, run with
 * `--allow-ffi`), queries them into {@link QueryResult}s (HTML tables in
 * Jupyter, text in the REPL, plain objects) and writes them as Parquet. A
 * separate entry point from `mod.ts`, which stays dependency-free.
 *
 * @example
 * ```ts
 * import { TraceDB } from "./sql.ts";
 * const db = await TraceDB.open(new URL("./testdata/demo.trace", import.meta.url));
 * const r = await db.query(`
 *   SELECT outcome, count(*) AS calls, max(duration) AS longest
 *   FROM syscalls GROUP BY outcome ORDER BY calls DESC`);
 * console.log(r.toString()); // or show r in a notebook cell
 * console.assert(r.length > 0 && typeof r.rows[0].calls === "number");
 * db.close();
 * ```
 *
 * @module
 */

export { QueryResult, TraceDB } from "./src/sql/mod.ts";
export type { TraceDBOptions, TraceLoader } from "./src/sql/mod.ts";
export {
  chunkRows,
  describeTables,
  plainColumn,
  TABLES,
  TraceTables,
  traceTables,
} from "./src/tables/mod.ts";
export type {
  Chunk,
  ChunkSink,
  ColumnData,
  ColumnSpec,
  ColumnType,
  PlainColumnData,
  RowSelection,
  Table,
  TableName,
  TableSchema,
  TraceTableSet,
  TraceTablesOptions,
} from "./src/tables/mod.ts";
// Everything of the library too, so that one import serves a notebook.
export * from "./mod.ts";
