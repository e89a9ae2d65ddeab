/**
 * SQL over trace tables with DuckDB: {@link TraceDB} loads traces into the
 * tables of `src/tables` and answers queries ({@link QueryResult}). Needs the
 * `@duckdb/node-api` package and `--allow-ffi`.
 *
 * @example
 * ```ts
 * import { TraceDB } from "./mod.ts";
 * const db = await TraceDB.open(new URL("../../testdata/demo.trace", import.meta.url));
 * const r = await db.query("SELECT count(*) AS n FROM goroutines");
 * console.assert(Number(r.rows[0].n) > 0);
 * db.close();
 * ```
 *
 * @module
 */

export { QueryResult, TraceDB } from "./db.ts";
export type { TraceDBOptions, TraceLoader } from "./db.ts";
