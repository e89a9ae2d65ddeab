/**
 * SQL over trace tables with DuckDB: traces are built into the tables of
 * `src/tables` and appended to a DuckDB database by data chunks (no SQL
 * per row), where they can be queried, joined and written out as Parquet.
 * Every table is a view of a table of the schema `stored` (its `trace`
 * column and one STRUCT of the others); `events` and `transitions` are
 * views of one, `event_rows`, whose reasons are codes of the `reasons`
 * table and whose `kind` and `resource` the views look up from `type`:
 * the rows of both are appended once.
 * This module needs the `@duckdb/node-api` package and `--allow-ffi`; the
 * reading core does not depend on it.
 *
 * @module
 */

import {
  type DuckDBAppender,
  DuckDBBooleanType,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDoubleType,
  DuckDBInstance,
  DuckDBIntegerType,
  type DuckDBStructVector,
  type DuckDBType,
  ENUM,
  STRUCT,
} from "@duckdb/node-api";
import type { Source } from "../queries/source.ts";
import { DataTable } from "../display/data_table.ts";
import {
  type Chunk,
  type ColumnSpec,
  EVENT_ROWS,
  NULL_INT,
  plainColumn,
  TABLES,
  type TableSchema,
  TraceTables,
} from "../tables/mod.ts";
import { readAll } from "../queries/source.ts";
import { traceName } from "../tables/build.ts";
import { buildOnWorker } from "./worker_load.ts";
import { inputShape, isHttpUrl, traceBytesOf } from "../reader/input.ts";
import { WORKER_MIN_BYTES } from "../wire/worker_bytes.ts";
import { SPECS } from "../wire/spec.ts";
import { Event } from "../events/event.ts";
import { EV_SYNC, KIND_OF_TYPE } from "../events/kinds.ts";

/**
 * Whether {@link TraceDB.add} builds the tables of `source` on a worker:
 * as `worker` says when given, where there are workers and the worker can
 * read the source itself (a path, a URL or bytes, copied to it); by
 * default for 8 MB of trace or more (`WORKER_MIN_BYTES`; a gzip file or
 * gzip bytes count four times their size) and for an HTTP URL, whose size
 * is not known before it is read. Loading 39 corpus traces of 0.1 to 4 MB
 * one after the other took 1.7x as long with a worker each as without
 * (a new worker compiles the reader again), and a 4 MB trace as long.
 *
 * @example
 * ```ts
 * import { buildsOnWorker } from "./db.ts";
 * const small = new Uint8Array(1000);
 * console.assert(!(await buildsOnWorker(small)));
 * console.assert(await buildsOnWorker(small, true));
 * console.assert(await buildsOnWorker(new Uint8Array(8 << 20)));
 * ```
 */
export async function buildsOnWorker(source: Source, worker?: boolean): Promise<boolean> {
  if (typeof Worker === "undefined" || worker === false || !workerReads(source)) return false;
  if (worker === true || isHttpUrl(source)) return true;
  // A file that cannot be opened goes to the worker, whose read says why.
  const shape = await inputShape(source);
  const bytes = shape && traceBytesOf(shape);
  return bytes === null || bytes >= WORKER_MIN_BYTES;
}

// Sources a worker can read itself: a path, a URL or bytes (copied to it).
function workerReads(source: Source): source is string | URL | Uint8Array {
  return typeof source === "string" || source instanceof URL || source instanceof Uint8Array;
}

// DuckDB's vectors hold 2048 rows.
const VECTOR_ROWS = 2048;

// What the database stores, in the schema `stored`: each table as two
// columns, `trace` and `r`, a STRUCT of the rest of the row, and the
// tables users query are views that spell the struct's fields out as
// columns. DuckDB keeps a HyperLogLog sketch of every top-level column's
// distinct values, updated on every append (a third of an append's time),
// and none of a struct's fields; queries lose nothing that shows (filters
// on a field still prune by its min and max). `events` and `transitions`
// are views of one stored table, `event_rows` (the events columns and each
// transition's stack id), as nearly every event is a transition: storing
// both would append the same values twice. Its `reason` is stored as
// `reason_code`, a row of the `reasons` table (code, reason), which the
// views turn back into the string: DuckDB appends a VARCHAR value several
// times slower than an integer, and reasons are few.
const STORE = "stored";
const EVENT_ROWS_TABLE = `${STORE}.event_rows`;
const REASON_CODE: ColumnSpec = {
  name: "reason_code",
  type: "INTEGER",
  doc: "reason, as a code of the reasons table",
  nullable: true,
};
// `kind` and `resource` are not stored: each is one value per wire type
// (what the Event API gives for an event of that type, see derivedSql),
// so the views look them up from `type`. Two columns fewer to append;
// the load took 5-8% less.
const DERIVED: ReadonlySet<string> = new Set(["kind", "resource"]);
// Nor is `seq`: a trace's events are appended in the Reader's order, one
// trace after another, so an event's seq is its row's position (DuckDB's
// `rowid`, as rows are never deleted) less that of its trace's first row,
// kept in `stored.traces`. Its BIGINT was a tenth of the append.
const FIRST_ROWS = `${STORE}.traces`;
const NOT_STORED: ReadonlySet<string> = new Set([...DERIVED, "seq"]);
// An events column's spec.
const eventColumn = (name: string) => EVENT_ROWS.columns.find((c) => c.name === name)!;
// Each stored table: its name in the schema, that name qualified, the
// chunks it takes and the columns it stores.
const STORED: readonly {
  name: string;
  table: string;
  schema: TableSchema;
  columns: readonly ColumnSpec[];
}[] = [
  {
    name: "event_rows",
    table: EVENT_ROWS_TABLE,
    schema: EVENT_ROWS,
    columns: EVENT_ROWS.columns.filter((c) => !NOT_STORED.has(c.name)).map((c) =>
      c.name === "reason" ? REASON_CODE : c
    ),
  },
  ...TABLES.filter((t) => t.name !== "events" && t.name !== "transitions").map((schema) => ({
    name: schema.name,
    table: `${STORE}.${schema.name}`,
    schema,
    columns: schema.columns,
  })),
];
const REASONS_SQL = "CREATE TABLE IF NOT EXISTS reasons (code INTEGER, reason VARCHAR)";

// A stored table's definition: `trace`, then the struct `r` of the others.
function storedSql(table: string, columns: readonly ColumnSpec[]): string {
  const [trace, ...rest] = columns;
  const fields = rest.map((c) => `"${c.name}" ${sqlType(c)}`).join(", ");
  return `CREATE TABLE IF NOT EXISTS ${table} ("${trace.name}" ${
    sqlType(trace)
  }, r STRUCT(${fields}))`;
}

// The views' SQL: a table's columns are its stored struct's fields; events
// is event_rows without its last field; a transition is an events row with
// a from_state, whose `id` and `stack_id` are resource_id and
// transition_stack_id. `firstRows`: each trace's first row of event_rows,
// in the order of the trace ENUM's members (none before the first load).
function viewSql(firstRows: readonly number[]): string[] {
  const renamed: Record<string, string> = {
    id: "resource_id",
    stack_id: "transition_stack_id",
  };
  const field = (name: string) => name === "trace" ? `"trace"` : `r."${name}"`;
  const eventCols = (t: TableSchema) =>
    t.columns.map((c) => {
      const from = t.name === "transitions" ? renamed[c.name] ?? c.name : c.name;
      if (!EVENT_ROWS.columns.some((e) => e.name === from)) {
        throw new Error(`${t.name}.${c.name}: no such column in ${EVENT_ROWS_TABLE}`);
      }
      if (DERIVED.has(from)) return `${derivedSql(from)} AS "${c.name}"`;
      if (from === "seq") {
        // One trace: a constant, so that a filter on seq is one on rowid,
        // which DuckDB prunes by (a range of seq in 2-3 ms on 8.6 M rows,
        // against 60-90 ms through the lookup).
        const first = firstRows.length <= 1
          ? `${firstRows[0] ?? 0}`
          : `([${firstRows.join(", ")}])[enum_code("trace") + 1]`;
        return `rowid - ${first} AS seq`;
      }
      if (from === "reason") {
        return `(SELECT list(reason ORDER BY code) FROM reasons)[r.reason_code + 1] AS reason`;
      }
      return `${field(from)} AS "${c.name}"`;
    }).join(", ");
  const schema = (name: string) => TABLES.find((t) => t.name === name)!;
  return [
    `CREATE OR REPLACE VIEW events AS SELECT ${
      eventCols(schema("events"))
    } FROM ${EVENT_ROWS_TABLE}`,
    `CREATE OR REPLACE VIEW transitions AS SELECT ${
      eventCols(schema("transitions"))
    } FROM ${EVENT_ROWS_TABLE} WHERE r.from_state IS NOT NULL`,
    ...STORED.filter((s) => s.schema !== EVENT_ROWS).map(({ table, schema }) =>
      `CREATE OR REPLACE VIEW ${schema.name} AS SELECT ${
        schema.columns.map((c) => `${field(c.name)} AS "${c.name}"`).join(", ")
      } FROM ${table}`
    ),
  ];
}

// A column of events that follows from `type`: the value for each member
// of the `type` ENUM, indexed by the stored type's code.
function derivedSql(name: string): string {
  const values = eventColumn("type").values!.map((typeName) => {
    const type = typeName === "Sync" ? EV_SYNC : SPECS.findIndex((s) => s.name === typeName);
    return name === "kind" ? KIND_OF_TYPE[type] : resourceOf(type);
  });
  const list = values.map((v) => v === null ? "NULL" : sqlString(v)).join(", ");
  // A list of the column's ENUM, not of strings: a lookup then costs a
  // third as much (a string would be cast to the ENUM for every row).
  return `([${list}]::${derivedType(name)}[])[enum_code(r."type") + 1]`;
}

// The ENUM type of a derived column, named in the schema `stored`: a view
// kept in a database file may cast to a named ENUM, not to one spelled out.
function derivedType(name: string): string {
  // Quoted: STORED is a keyword of the type grammar.
  return `"${STORE}"."event_${name}"`;
}

// The resource an event of wire type `type` is about, as the Event API
// says (a transition's, a range's scope, a label's), or null.
function resourceOf(type: number): string | null {
  const ev = new Event(null, -1, -1, -1, type, 0, 0, 0, 0, 0);
  switch (KIND_OF_TYPE[type]) {
    case "StateTransition":
      return ev.stateTransition().resource.kind;
    case "RangeBegin":
    case "RangeActive":
    case "RangeEnd":
      return ev.range().scope.kind;
    case "Label":
      return ev.label().resource.kind;
  }
  return null;
}

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
  /**
   * Whether {@link TraceDB.add} reads a path, URL or bytes and builds its
   * tables on a worker while this thread appends them: the same rows, on
   * two cores about a third sooner for a big trace. By default it does for
   * 8 MB of trace or more (gzip counted four times its size) and for an
   * HTTP URL, where there are workers: below that, the worker's start
   * costs more than it saves.
   */
  worker?: boolean;
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
    // A file of an older layout is refused, closed, before anything is written to it.
    const older = (what: string, detail: string): never => {
      db.close();
      throw new Error(
        `${options.path}: ${what} of an older layout of this library (${detail}); load its traces into a new file`,
      );
    };
    // A file made before the tables were views holds tables by their names.
    const old = await connection.runAndReadAll(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'main' AND table_type = 'BASE TABLE' AND table_name IN (${
        TABLES.map((t) => sqlString(t.name)).join(", ")
      })`,
    );
    if (old.currentRowCount > 0) {
      older("its tables are", `${old.getRows()[0][0]} is a table, not a view`);
    }
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${STORE}`);
    for (const name of DERIVED) {
      const values = eventColumn(name).values!;
      const type = derivedType(name);
      const had = await connection.runAndReadAll(
        `SELECT 1 FROM duckdb_types() WHERE schema_name = '${STORE}' AND type_name = 'event_${name}'`,
      );
      if (had.currentRowCount === 0) {
        await connection.run(`CREATE TYPE ${type} AS ENUM(${values.map(sqlString).join(", ")})`);
        continue;
      }
      const r = await connection.runAndReadAll(`SELECT enum_range(NULL::${type})::VARCHAR[]`);
      const have = (r.getRows()[0][0] as { items: unknown[] }).items.map(String);
      if (have.join() !== values.join()) {
        older(`the type ${STORE}.event_${name} is`, have.join(", "));
      }
    }
    for (const { table, columns } of STORED) {
      await connection.run(storedSql(table, columns));
      // A file of an older layout may store other fields.
      const fields = (await connection.runAndReadAll(`SELECT r.* FROM ${table} LIMIT 0`))
        .columnNames();
      if (fields.join() !== columns.slice(1).map((c) => c.name).join()) {
        older(`${table} is`, `its fields: ${fields.join(", ")}`);
      }
      // The traces a database file already holds.
      const r = await connection.runAndReadAll(`SELECT DISTINCT trace::VARCHAR FROM ${table}`);
      for (const [name] of r.getRows()) db.#traces.add(String(name));
    }
    await connection.run(
      `CREATE TABLE IF NOT EXISTS ${FIRST_ROWS} (trace VARCHAR, first_row BIGINT)`,
    );
    const first = await connection.runAndReadAll(
      `SELECT trace, first_row FROM ${FIRST_ROWS} ORDER BY rowid`,
    );
    for (const [name, row] of first.getRows()) db.#firstRows.set(String(name), Number(row));
    await connection.run(REASONS_SQL);
    const r = await connection.runAndReadAll("SELECT code, reason FROM reasons ORDER BY code");
    for (const [code, reason] of r.getRows()) {
      if (Number(code) !== db.#reasons.values.length) throw new Error("reasons: codes not dense");
      db.#reasons.code(String(reason));
    }
    db.#reasons.saved = db.#reasons.values.length;
    await db.#views();
    return db;
  }

  // Each trace's first row of event_rows, by name.
  readonly #firstRows = new Map<string, number>();

  // The views, made again when the traces change: `seq` reads their first rows.
  async #views(): Promise<void> {
    const names = [...this.#traces].sort();
    const first = names.map((n) => this.#firstRows.get(n));
    // A trace whose rows are not all there (a file of an older layout).
    if (first.some((f) => f === undefined)) {
      throw new Error(`${this.options.path}: the first rows of its traces are not known`);
    }
    for (const sql of viewSql(first as number[])) await this.#connection.run(sql);
  }

  // The `trace` column is an ENUM of the traces loaded, grown with each new
  // one: a string column of the same value in every row would cost more
  // to append than all the numbers of the row.
  readonly #traces = new Set<string>();
  #traceType = "";
  // The reasons of every trace loaded, by code (the `reasons` table).
  readonly #reasons = new Dictionary();

  // A new trace's code in the trace ENUM, its first row noted: the rows
  // appended next are its own.
  async #traceCode(name: string): Promise<{ type: DuckDBType; code: number }> {
    const names = [...this.#traces.add(name)].sort();
    const type = `ENUM(${names.map(sqlString).join(", ")})`;
    if (type !== this.#traceType) {
      for (const { table } of STORED) {
        await this.#connection.run(`ALTER TABLE ${table} ALTER trace TYPE ${type}`);
      }
      this.#traceType = type;
    }
    const c = this.#connection;
    const r = await c.runAndReadAll(`SELECT coalesce(max(rowid) + 1, 0) FROM ${EVENT_ROWS_TABLE}`);
    const first = Number(r.getRows()[0][0]);
    await c.run(`INSERT INTO ${FIRST_ROWS} VALUES (${sqlString(name)}, ${first})`);
    this.#firstRows.set(name, first);
    await this.#views();
    return { type: ENUM(names), code: names.indexOf(name) };
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
    // A path, URL or bytes is read and built on a worker while this thread
    // appends: the appends are most of a load's time.
    if (workerReads(source) && await buildsOnWorker(source, this.options.worker)) {
      const stages = await this.#begin(name);
      const src = source instanceof URL ? source.href : source;
      const restore = await this.#leaveCoreToWorker();
      try {
        const counts = await buildOnWorker(
          src,
          name,
          (chunk) => appendChunk(stages.get(chunk.schema.name)!, chunk),
        );
        return await this.#finish(name, stages, counts);
      } catch (e) {
        await this.#abort(name, stages);
        throw e;
      } finally {
        await restore();
      }
    }
    const loader = await this.loader(name);
    try {
      await readAll(source, (ev) => loader.tables.event(ev));
    } catch (e) {
      await loader.abort();
      throw e;
    }
    return await loader.finish();
  }

  /**
   * A loader for one trace, for callers that read events themselves: feed
   * `tables.event(ev)`, then `finish()`, or `abort()` if the read fails.
   * Until then the trace's rows are not in the tables: a load is one
   * transaction, so that a failed one leaves nothing.
   */
  async loader(name: string): Promise<TraceLoader> {
    const stages = await this.#begin(name);
    const tables = new TraceTables(name, {
      sink: (chunk) => appendChunk(stages.get(chunk.schema.name)!, chunk),
      transitionsInEvents: true,
    });
    return {
      tables,
      finish: () => {
        const result = tables.result();
        const counts: Record<string, number> = {};
        for (const t of TABLES) counts[t.name] = result[t.name as keyof typeof result].length;
        return this.#finish(name, stages, counts);
      },
      abort: () => this.#abort(name, stages),
    };
  }

  // A trace's load begins: its transaction, its name, its appenders. A
  // load is one transaction so that one that fails leaves no rows behind:
  // `seq` counts on each trace's rows following one another.
  async #begin(name: string): Promise<Map<string, Stage>> {
    // Before anything, so that the trace loaded under that name stays known.
    if (this.#traces.has(name)) throw new Error(`${name}: a trace of that name is loaded already`);
    await this.#connection.run("BEGIN TRANSACTION");
    try {
      return await this.#stages(name);
    } catch (e) {
      await this.#abort(name, new Map());
      throw e;
    }
  }

  // A failed load: its appenders' rows dropped, its transaction rolled
  // back (the trace ENUM and first row with it), its name free again.
  async #abort(name: string, stages: Map<string, Stage>): Promise<void> {
    // Each step even if the one before failed (a COMMIT that failed has
    // closed the appenders and ended the transaction already).
    for (const { appender } of stages.values()) {
      try {
        appender.clear();
        appender.closeSync();
      } catch { /* closed already */ }
    }
    await this.#connection.run("ROLLBACK").catch(() => {});
    this.#traces.delete(name);
    this.#firstRows.delete(name);
    // The ENUM's change was rolled back too: the next load sets it again.
    this.#traceType = "";
  }

  // DuckDB spreads the copying of appended rows over its own threads, one
  // per core by default; while a worker builds the chunks, that is a thread
  // more than there are cores on two cores: loads of the perf trace took
  // 5-10% less with DuckDB on one thread than on two (alternated, same
  // process). One core is left to the worker until the load is done;
  // resolves to what sets the threads back.
  async #leaveCoreToWorker(): Promise<() => Promise<void>> {
    const c = this.#connection;
    const r = await c.runAndReadAll("SELECT current_setting('threads')::INTEGER");
    const old = Number(r.getRows()[0][0]);
    const threads = Math.max(1, navigator.hardwareConcurrency - 1);
    if (threads >= old) return () => Promise.resolve();
    await c.run(`SET threads = ${threads}`);
    return async () => void await c.run(`SET threads = ${old}`);
  }

  // An appender and its state per stored table, for one trace.
  async #stages(name: string): Promise<Map<string, Stage>> {
    const stages = new Map<string, Stage>();
    const trace = await this.#traceCode(name);
    for (const { name: table, schema, columns } of STORED) {
      const appender = await this.#connection.createAppender(table, STORE);
      const coded = columns.map((c) =>
        c === REASON_CODE
          ? { dict: this.#reasons, remap: new Int32Array(64), mapped: 0 }
          : undefined
      );
      stages.set(schema.name, {
        appender,
        schema,
        columns,
        enums: [{ ...trace, size: 0 }],
        coded,
        chunk: null,
        from: columns.map((c) =>
          schema.columns.findIndex((s) => s.name === (c === REASON_CODE ? "reason" : c.name))
        ),
      });
    }
    return stages;
  }

  // The end of a trace's load: its appenders closed, its reasons saved.
  async #finish(
    name: string,
    stages: Map<string, Stage>,
    counts: Record<string, number>,
  ): Promise<Record<string, number>> {
    for (const stage of stages.values()) stage.appender.closeSync();
    await this.#saveReasons();
    await this.#connection.run("COMMIT");
    const out: Record<string, number> = {};
    for (const t of TABLES) out[t.name] = counts[t.name];
    this.options.onLoaded?.(name, out);
    return out;
  }

  // Reasons met since the last save go to the reasons table.
  async #saveReasons(): Promise<void> {
    const d = this.#reasons;
    if (d.saved === d.values.length) return;
    const rows = d.values.slice(d.saved).map((v, i) => `(${d.saved + i}, ${sqlString(v)})`);
    await this.#connection.run(`INSERT INTO reasons VALUES ${rows.join(", ")}`);
    d.saved = d.values.length;
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
  /** Drops the trace's rows (the read failed): the tables are as before the load. */
  abort(): Promise<void>;
}

interface Stage {
  appender: DuckDBAppender;
  schema: TableSchema;
  // The stored columns (the struct's fields are named after them).
  columns: readonly ColumnSpec[];
  // Each string column's ENUM type, made again only when its dictionary
  // grew; the `trace` column's (0) with the trace's code.
  enums: ({ type: DuckDBType; size: number; code?: number } | undefined)[];
  // String columns stored as codes of a database-wide dictionary: the
  // chunk's codes -> the dictionary's (`mapped` of them known so far).
  coded: ({ dict: Dictionary; remap: Int32Array; mapped: number } | undefined)[];
  // The data chunk last appended, reused while the types stay.
  chunk: { dc: DuckDBDataChunk; types: DuckDBType[] } | null;
  // For each stored column, the index of the chunk's column it stores.
  from: number[];
}

// Strings by code, codes by string; `saved` of them are in the database.
class Dictionary {
  readonly values: string[] = [];
  readonly #codes = new Map<string, number>();
  saved = 0;
  code(s: string): number {
    let c = this.#codes.get(s);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(s);
      this.#codes.set(s, c);
    }
    return c;
  }
}

const DOUBLE: DuckDBType = DuckDBDoubleType.instance;
const INTEGER: DuckDBType = DuckDBIntegerType.instance;
const BOOLEAN: DuckDBType = DuckDBBooleanType.instance;

// What the data chunks of the node-api hold, written here a vector at a
// time: `items` (or a boolean vector's `dataView`) and the validity bits
// are plain fields that `flush()` copies into DuckDB's vector in one call.
interface RawVector {
  items: Float64Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;
  dataView: DataView;
  validity: { data: BigUint64Array | null };
  flush(): void;
}

// A chunk's rows go to the table's own appender in data chunks of DuckDB's
// vector size, column by column: numbers as DOUBLE (the appender casts
// them to BIGINT), INTEGERs and BOOLEANs as they are, strings as ENUMs of
// the column's dictionary (cast to VARCHAR by the appender), so that every
// column is one copy of a typed array and nothing is converted per row in
// JavaScript or in SQL. NaN, NULL_INT and code -1 are NULL.
function appendChunk(stage: Stage, chunk: Chunk): void {
  const specs = stage.from.map((k) => chunk.schema.columns[k]);
  const columns = stage.from.map((k) => plainColumn(chunk.columns[k]));
  const types = columns.map((d, k): DuckDBType => {
    if (k === 0) return stage.enums[0]!.type;
    if (d instanceof Float64Array) return DOUBLE;
    if (d instanceof Int32Array) return INTEGER;
    if (d instanceof Uint8Array) return specs[k].type === "BOOLEAN" ? BOOLEAN : INTEGER;
    if (stage.coded[k]) return INTEGER;
    const e = stage.enums[k];
    const values = specs[k].values;
    if (values) {
      if (d.dict.length > values.length) {
        throw new Error(`${chunk.schema.name}.${specs[k].name}: unexpected ${d.dict.at(-1)}`);
      }
      // The table's own ENUM: the codes are its indexes, nothing to cast.
      return e?.type ?? (stage.enums[k] = { type: ENUM(values), size: values.length }).type;
    }
    // An ENUM needs a member; an empty dictionary only has NULLs to give.
    const dict = d.dict.length === 0 ? [""] : d.dict;
    if (e && e.size === dict.length) return e.type;
    const type = ENUM(dict);
    stage.enums[k] = { type, size: dict.length };
    return type;
  });
  const mask = new Uint32Array(VECTOR_ROWS / 32);
  for (let off = 0; off < chunk.length; off += VECTOR_ROWS) {
    const n = Math.min(VECTOR_ROWS, chunk.length - off);
    const dc = dataChunk(stage, types, n);
    const row = dc.getColumnVector(1) as DuckDBStructVector;
    for (let k = 0; k < types.length; k++) {
      const v =
        (k === 0 ? dc.getColumnVector(0) : row.entryVectorAt(k - 1)) as unknown as RawVector;
      const d = columns[k];
      let checked = false;
      if (k === 0) {
        const codes = new (v.items.constructor as Uint8ArrayConstructor)(n);
        v.items = codes.fill(stage.enums[0]!.code!);
      } else if (d instanceof Float64Array) {
        v.items = d.subarray(off, off + n);
        checked = specs[k].nullable === true;
        if (checked) nanMask(v.items as Float64Array, mask);
      } else if (d instanceof Int32Array) {
        v.items = d.subarray(off, off + n);
        checked = specs[k].nullable === true;
        if (checked) valueMask(v.items as Int32Array, NULL_INT, mask);
      } else if (d instanceof Uint8Array) {
        if (types[k] === BOOLEAN) v.dataView = new DataView(d.buffer, d.byteOffset + off, n);
        else v.items = Int32Array.from(d.subarray(off, off + n));
      } else if (stage.coded[k]) {
        const codes = d.codes.subarray(off, off + n);
        const items = new Int32Array(n);
        const remap = recode(stage.coded[k]!, d.dict);
        for (let i = 0; i < n; i++) items[i] = codes[i] < 0 ? -1 : remap[codes[i]];
        v.items = items;
        checked = true;
        if (codes instanceof Int8Array) byteMask(codes, mask);
        else valueMask(codes as Int32Array, -1, mask);
      } else {
        const codes = d.codes.subarray(off, off + n);
        // The ENUM's own width (8, 16 or 32 bits); -1 wraps, masked as NULL.
        const items = new (v.items.constructor as Uint8ArrayConstructor)(n);
        items.set(codes);
        v.items = items;
        // A column that cannot be NULL has no code -1.
        checked = specs[k].nullable === true;
        if (checked && codes instanceof Int8Array) byteMask(codes, mask);
        else if (checked) valueMask(codes as Int32Array, -1, mask);
      }
      // A reused vector may hold the NULLs of the previous rows: columns
      // that can have NULLs always write their validity.
      v.validity.data = checked ? new BigUint64Array(mask.buffer, 0, Math.ceil(n / 64)) : null;
      v.flush();
    }
    stage.appender.appendDataChunk(dc);
  }
}

// The map from a column's codes to its dictionary's, brought up to date.
function recode(
  c: { dict: Dictionary; remap: Int32Array; mapped: number },
  dict: readonly string[],
): Int32Array {
  if (c.mapped === dict.length) return c.remap;
  if (c.remap.length < dict.length) {
    const bigger = new Int32Array(Math.max(dict.length, 2 * c.remap.length));
    bigger.set(c.remap);
    c.remap = bigger;
  }
  for (let i = c.mapped; i < dict.length; i++) c.remap[i] = c.dict.code(dict[i]);
  c.mapped = dict.length;
  return c.remap;
}

// A data chunk of `n` rows of a stored table with these column types:
// `trace`, then the struct of the others. The last one when its types and
// size are the same (making one costs more than filling it). It is not
// reset, which would drop the node-api's vectors: every column is written
// again, validity included.
function dataChunk(stage: Stage, types: DuckDBType[], n: number): DuckDBDataChunk {
  const last = stage.chunk;
  if (
    last && last.dc.rowCount === n && last.types.length === types.length &&
    last.types.every((t, i) => t === types[i])
  ) {
    return last.dc;
  }
  const fields = Object.fromEntries(types.slice(1).map((t, k) => [stage.columns[k + 1].name, t]));
  const dc = DuckDBDataChunk.create([types[0], STRUCT(fields)], n);
  stage.chunk = { dc, types };
  return dc;
}

// Validity bits (1 = valid) of `a` in `mask`, NaN being NULL: a word at a
// time, and one function per array type, so that each stays monomorphic.
function nanMask(a: Float64Array, mask: Uint32Array): void {
  for (let w = 0, i = 0; i < a.length; w++) {
    let bits = 0;
    for (let b = 0; b < 32 && i < a.length; b++, i++) if (a[i] === a[i]) bits |= 1 << b;
    mask[w] = bits;
  }
}

// Validity bits of `a` in `mask`, `nul` being NULL.
function valueMask(a: Int32Array, nul: number, mask: Uint32Array): void {
  for (let w = 0, i = 0; i < a.length; w++) {
    let bits = 0;
    for (let b = 0; b < 32 && i < a.length; b++, i++) if (a[i] !== nul) bits |= 1 << b;
    mask[w] = bits;
  }
}

// Validity bits of byte codes `a` in `mask`, -1 being NULL.
function byteMask(a: Int8Array, mask: Uint32Array): void {
  for (let w = 0, i = 0; i < a.length; w++) {
    let bits = 0;
    for (let b = 0; b < 32 && i < a.length; b++, i++) if (a[i] !== -1) bits |= 1 << b;
    mask[w] = bits;
  }
}

// A column's type in DuckDB: a closed vocabulary is an ENUM of it, which
// DuckDB appends several times faster than strings and shows as strings.
function sqlType(c: ColumnSpec): string {
  return c.values ? `ENUM(${c.values.map(sqlString).join(", ")})` : c.type;
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
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
