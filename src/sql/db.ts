/**
 * SQL over trace tables with DuckDB: traces are built into the tables of
 * `src/tables` and appended to a DuckDB database by data chunks (no SQL
 * per row), where they can be queried, joined and written out as Parquet.
 * This module needs the `@duckdb/node-api` package and `--allow-ffi`; the
 * reading core does not depend on it.
 *
 * @module
 */

import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDoubleType,
  DuckDBInstance,
  DuckDBIntegerType,
  type DuckDBType,
} from "@duckdb/node-api";
import type { Source } from "../queries/source.ts";
import { DataTable } from "../display/data_table.ts";
import {
  type Chunk,
  type ColumnSpec,
  TABLES,
  type TableSchema,
  TraceTables,
} from "../tables/mod.ts";
import { readAll } from "../queries/source.ts";
import { traceName } from "../tables/build.ts";

// DuckDB's vectors hold 2048 rows.
const VECTOR_ROWS = 2048;

/** A query's result: column names and types, and rows as plain objects. */
export class QueryResult {
  /**
   * A result.
   * @param columns column names
   * @param types their SQL types
   * @param rows the rows (BIGINTs as numbers when exact, else bigint; NULL as null)
   * @param max rows shown in notebooks and text
   */
  constructor(
    readonly columns: readonly string[],
    readonly types: readonly string[],
    readonly rows: readonly Record<string, unknown>[],
    readonly max = 25,
  ) {}

  /** Number of rows. */
  get length(): number {
    return this.rows.length;
  }

  /** The rows as plain objects. */
  toObjects(): Record<string, unknown>[] {
    return this.rows.map((r) => ({ ...r }));
  }

  /** The values of one column. */
  column(name: string): unknown[] {
    return this.rows.map((r) => r[name]);
  }

  /** The rows, for `JSON.stringify`. */
  toJSON(): readonly Record<string, unknown>[] {
    return this.rows;
  }

  /** The result as CSV: a header line, then one line per row. */
  toCsv(): string {
    const cell = (v: unknown) => {
      const s = v === null || v === undefined ? "" : String(v);
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    return [
      this.columns.map(cell).join(","),
      ...this.rows.map((r) => this.columns.map((c) => cell(r[c])).join(",")),
    ].join("\n") + "\n";
  }

  /** A {@link DataTable} of the rows, showing at most `max` (all with Infinity). */
  table(max: number = this.max): DataTable<Record<string, unknown>> {
    return new DataTable(
      this.rows,
      this.columns.map((c) => ({
        header: c,
        value: (r: Record<string, unknown>) => {
          const v = r[c];
          return v === null || v === undefined ? "NULL" : typeof v === "number" ? v : String(v);
        },
      })),
      { caption: `${this.rows.length} row${this.rows.length === 1 ? "" : "s"}`, max },
    );
  }

  /** Aligned text, at most {@link max} rows. */
  toString(): string {
    return this.table().toString();
  }

  /** The REPL prints the text table. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** An HTML table in Jupyter (with the row count, truncated at {@link max}). */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const t = this.table();
    return { "text/html": t.toHtml(), "text/plain": t.toString() };
  }
}

/** Options of {@link TraceDB.create}. */
export interface TraceDBOptions {
  /** Database file; in memory by default. */
  path?: string;
  /** Called with each trace's name when its tables are loaded. */
  onLoaded?: (trace: string, rows: Record<string, number>) => void;
}

/**
 * A DuckDB database holding the tables of one or more traces.
 *
 * @example
 * ```ts
 * import { TraceDB } from "./db.ts";
 * const db = await TraceDB.open(new URL("../../testdata/demo.trace", import.meta.url));
 * const r = await db.query("SELECT count(*) AS n FROM steals");
 * console.assert(Number(r.rows[0].n) > 0);
 * db.close();
 * ```
 */
export class TraceDB {
  #stage = 0;

  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;

  private constructor(
    instance: DuckDBInstance,
    connection: DuckDBConnection,
    readonly options: TraceDBOptions,
  ) {
    this.#instance = instance;
    this.#connection = connection;
  }

  /** An empty database with every table created. */
  static async create(options: TraceDBOptions = {}): Promise<TraceDB> {
    const instance = await DuckDBInstance.create(options.path ?? ":memory:");
    const connection = await instance.connect();
    const db = new TraceDB(instance, connection, options);
    for (const t of TABLES) {
      const cols = t.columns.map((c) => `"${c.name}" ${c.type}`).join(", ");
      await connection.run(`CREATE TABLE IF NOT EXISTS ${t.name} (${cols})`);
    }
    return db;
  }

  /**
   * A database of the traces given (one or an array), each named by its
   * base name.
   */
  static async open(traces: Source | Source[], options: TraceDBOptions = {}): Promise<TraceDB> {
    const db = await TraceDB.create(options);
    const list = Array.isArray(traces) ? traces : [traces];
    for (const t of list) await db.add(t);
    return db;
  }

  /**
   * Reads a trace and appends its tables; returns the rows added per table.
   * @param source the trace
   * @param name its `trace` column (the base name of a path by default)
   */
  async add(source: Source, name: string = traceName(source)): Promise<Record<string, number>> {
    const loader = await this.loader(name);
    await readAll(source, (ev) => loader.tables.event(ev));
    return await loader.finish();
  }

  /**
   * A loader for one trace, for callers that read events themselves: feed
   * `tables.event(ev)`, then `finish()`.
   */
  async loader(name: string): Promise<TraceLoader> {
    const stages = new Map<string, Stage>();
    const id = this.#stage++;
    for (const t of TABLES) {
      const stage = `stage_${id}_${t.name}`;
      const cols = t.columns.slice(1).map((c) => `"${c.name}" ${stageType(c)}`).join(", ");
      await this.#connection.run(`CREATE TABLE ${stage} (${cols})`);
      const appender = await this.#connection.createAppender(stage);
      stages.set(t.name, { name: stage, appender, schema: t, dicts: [] });
    }
    const tables = new TraceTables(name, {
      sink: (chunk) => appendChunk(stages.get(chunk.schema.name)!, chunk),
    });
    return {
      tables,
      finish: async () => {
        const counts: Record<string, number> = {};
        const result = tables.result();
        for (const t of TABLES) {
          const s = stages.get(t.name)!;
          s.appender.closeSync();
          await this.#connection.run(
            `INSERT INTO ${t.name} SELECT ${sqlString(name)}, ${
              t.columns.slice(1).map((c, i) => finalExpr(c, s.dicts[i + 1])).join(", ")
            } FROM ${s.name}`,
          );
          await this.#connection.run(`DROP TABLE ${s.name}`);
          counts[t.name] = result[t.name as keyof typeof result].length;
        }
        this.options.onLoaded?.(name, counts);
        return counts;
      },
    };
  }

  /**
   * Runs a query and reads its whole result.
   * @param sql the query
   * @param max rows shown in notebooks and text
   */
  async query(sql: string, max = 25): Promise<QueryResult> {
    const reader = await this.#connection.runAndReadAll(sql);
    const rows = reader.getRowObjectsJS().map((r) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) o[k] = plain(v);
      return o;
    });
    return new QueryResult(reader.columnNames(), reader.columnTypes().map(String), rows, max);
  }

  /** Runs a statement that returns nothing to keep (CREATE, COPY...). */
  async run(sql: string): Promise<void> {
    await this.#connection.run(sql);
  }

  /**
   * Writes every table as `DIR/<table>.parquet` (DIR must exist).
   * @param dir the directory
   */
  async writeParquet(dir: string): Promise<void> {
    for (const t of TABLES) {
      await this.#connection.run(
        `COPY ${t.name} TO ${sqlString(`${dir}/${t.name}.parquet`)} (FORMAT parquet)`,
      );
    }
  }

  /** Closes the connection and the database. */
  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}

/** A trace being loaded: see {@link TraceDB.loader}. */
export interface TraceLoader {
  /** Feed it the trace's events. */
  tables: TraceTables;
  /** Moves the trace's rows into the tables; the rows added per table. */
  finish(): Promise<Record<string, number>>;
}

interface Stage {
  name: string;
  appender: DuckDBAppender;
  schema: TableSchema;
  // The latest dictionary of each string column (they only grow).
  dicts: (readonly string[] | undefined)[];
}

// The staging column's type: numbers as DOUBLE (NaN for NULL, cast to
// BIGINT at the end), INTEGERs as is, strings and booleans as INTEGER codes:
// every column is then a plain copy of a typed array into DuckDB's vector.
function stageType(c: ColumnSpec): string {
  return c.type === "BIGINT" || c.type === "DOUBLE" ? "DOUBLE" : "INTEGER";
}

const DOUBLE: DuckDBType = DuckDBDoubleType.instance;
const INTEGER: DuckDBType = DuckDBIntegerType.instance;

function appendChunk(stage: Stage, chunk: Chunk): void {
  const specs = chunk.schema.columns;
  const types = specs.slice(1).map((c) => stageType(c) === "DOUBLE" ? DOUBLE : INTEGER);
  const data = chunk.columns.slice(1).map((d, i) => {
    if (d instanceof Float64Array || d instanceof Int32Array) return d;
    if (d instanceof Uint8Array) return Int32Array.from(d);
    stage.dicts[i + 1] = d.dict;
    return d.codes;
  });
  for (let off = 0; off < chunk.length; off += VECTOR_ROWS) {
    const n = Math.min(VECTOR_ROWS, chunk.length - off);
    const dc = DuckDBDataChunk.create(types, n);
    for (let k = 0; k < data.length; k++) {
      const v = dc.getColumnVector(k) as unknown as {
        items: Float64Array | Int32Array;
        flush(): void;
      };
      // The vector's typed array, copied into DuckDB by flush(): the
      // bulk path (setItem would cost a call per value).
      v.items.set(data[k].subarray(off, off + n));
      v.flush();
    }
    stage.appender.appendDataChunk(dc);
  }
}

// The final column from its staging column.
function finalExpr(c: ColumnSpec, dict: readonly string[] | undefined): string {
  const q = `"${c.name}"`;
  switch (c.type) {
    case "BIGINT":
      return c.nullable ? `CAST(NULLIF(${q}, 'NaN'::DOUBLE) AS BIGINT)` : `CAST(${q} AS BIGINT)`;
    case "DOUBLE":
      return c.nullable ? `NULLIF(${q}, 'NaN'::DOUBLE)` : q;
    case "INTEGER":
      return c.nullable ? `NULLIF(${q}, -2147483648)` : q;
    case "BOOLEAN":
      return `(${q} <> 0)`;
    case "VARCHAR":
      // Codes index the dictionary (1-based in SQL; -1, NULL, gives NULL).
      return `(${sqlList(dict ?? [])})[${q} + 1]`;
  }
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function sqlList(values: readonly string[]): string {
  return values.length === 0 ? "[NULL]::VARCHAR[]" : `[${values.map(sqlString).join(", ")}]`;
}

function plain(v: unknown): unknown {
  if (typeof v === "bigint") {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v;
  }
  if (Array.isArray(v)) return v.map(plain);
  return v;
}
