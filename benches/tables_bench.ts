// The trace tables on the large perf trace (48 MB, 8.6 M events): a plain
// read, building every table in memory (`traceTables`) and as a pass whose
// chunks go to a sink that keeps nothing, each on this thread alone and
// with a worker ordering the events (`workers: 2`), and loading them into
// DuckDB (`TraceDB.add`, a fresh in-memory database each time, closed
// after). Targets: building at most 1.5x the plain read, loading at most
// 3x. The one-off measurement below runs them in turn, five rounds,
// and prints for each the median over the rounds of its time divided by
// the read's of the same round: the machine is shared, and runs side by
// side see the same load. Loading needs --allow-ffi (the DuckDB bindings);
// without it that run is skipped with a warning. Two last runs measure what
// DuckDB itself takes to store as many rows and columns as a load stores:
// made by SQL on its own threads (`duckdbFloor`), and taken by its appender
// as a load gives them, a ready data chunk at a time (`appenderFloor`: the
// floor of a load through appenders, whatever feeds them).
import { Reader } from "../mod.ts";
import { traceTables } from "../src/tables/mod.ts";
import { loadPerfTrace } from "./perf_trace.ts";

const bytes = await loadPerfTrace("tables");
const ffi = Deno.permissions.querySync({ name: "ffi" }).state === "granted";
if (bytes && !ffi) {
  console.warn("\n*** SKIPPED the DuckDB tables benchmark: run with --allow-ffi\n");
}
// Imported only with the permission: the bindings load a native library.
const sql = bytes && ffi ? await import("../sql.ts") : null;
const duckdb = bytes && ffi ? await import("@duckdb/node-api") : null;

function read(b: Uint8Array): number {
  const r = Reader.fromBytes(b);
  let n = 0;
  while (r.readEvent() !== null) n++;
  return n;
}

async function build(b: Uint8Array): Promise<number> {
  return (await traceTables(b, "pingpong-1s")).events.length;
}

async function buildPipelined(b: Uint8Array): Promise<number> {
  return (await traceTables(b, "pingpong-1s", { workers: 2 })).events.length;
}

// The build as a pass: each chunk handed to a sink that keeps nothing, as a
// database or a Parquet writer takes them (memory stays bounded).
let streamed = 0;
const drop = (c: { length: number }) => void (streamed += c.length);

async function stream(b: Uint8Array): Promise<number> {
  await traceTables(b, "pingpong-1s", { sink: drop });
  return streamed;
}

async function streamPipelined(b: Uint8Array): Promise<number> {
  await traceTables(b, "pingpong-1s", { sink: drop, workers: 2 });
  return streamed;
}

async function load(b: Uint8Array): Promise<number> {
  const db = await sql!.TraceDB.create();
  try {
    return (await db.add(b, "pingpong-1s")).events;
  } finally {
    db.close();
  }
}

/**
 * The shape of what a load of the trace stores: for each base table the
 * load filled, its row count and, per column, an SQL expression of `i` of
 * the same width (BIGINT, INTEGER, DOUBLE and BOOLEAN as themselves, an
 * ENUM as a one-byte code, VARCHAR as NULL, a STRUCT as a struct of its
 * fields' expressions).
 */
async function storedShape(
  b: Uint8Array,
): Promise<{ table: string; rows: number; exprs: string }[]> {
  const db = await sql!.TraceDB.create();
  try {
    await db.add(b, "pingpong-1s");
    const cols = await db.query(
      `SELECT table_schema || '.' || table_name AS t, data_type AS d
       FROM information_schema.columns
       WHERE (table_schema, table_name) IN
         (SELECT (table_schema, table_name) FROM information_schema.tables
          WHERE table_type = 'BASE TABLE')
       ORDER BY t, ordinal_position`,
    );
    const byTable = new Map<string, string[]>();
    for (const r of cols.rows) {
      const t = String(r.t);
      if (!byTable.has(t)) byTable.set(t, []);
      byTable.get(t)!.push(`${widthOf(String(r.d))} AS c${byTable.get(t)!.length}`);
    }
    const out = [];
    for (const [table, exprs] of byTable) {
      const rows = Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
      if (rows > 0) out.push({ table: table.replace(".", "_"), rows, exprs: exprs.join(", ") });
    }
    return out;
  } finally {
    db.close();
  }
}

// An SQL expression of `i` as wide as a value of type `d` (see storedShape).
function widthOf(d: string): string {
  if (d === "BIGINT") return "i";
  if (d === "INTEGER") return "(i % 100000)::INTEGER";
  if (d === "DOUBLE") return "i::DOUBLE";
  if (d === "BOOLEAN") return "i % 2 = 0";
  if (d.startsWith("ENUM")) return "(i % 7)::UTINYINT";
  if (!d.startsWith("STRUCT(")) return `NULL::${d}`;
  // The fields "name TYPE", split at top-level commas outside quotes.
  const fields: string[] = [];
  let depth = 0, quote = "", start = 7;
  for (let k = 7; k < d.length - 1; k++) {
    const ch = d[k];
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      fields.push(d.slice(start, k).trim());
      start = k + 1;
    }
  }
  fields.push(d.slice(start, d.length - 1).trim());
  const type = (f: string) =>
    f.slice(f.startsWith('"') ? f.indexOf('"', 1) + 2 : f.indexOf(" ") + 1);
  return `{${fields.map((f, k) => `f${k}: ${widthOf(type(f))}`).join(", ")}}`;
}

/**
 * DuckDB's own cost of storing what a load of the trace stores: every base
 * table the load filled is made again with `CREATE TABLE AS SELECT ...
 * FROM range(rows)` (see {@link storedShape}), in a fresh in-memory
 * database. No JavaScript runs in it, but DuckDB also computes the values
 * (on its threads). Resolves to the milliseconds those statements took
 * (the load before them is not counted).
 */
async function duckdbFloor(b: Uint8Array): Promise<{ ms: number }> {
  const shape = await storedShape(b);
  const db = await sql!.TraceDB.create();
  try {
    const t0 = performance.now();
    for (const { table, rows, exprs } of shape) {
      await db.run(`CREATE TABLE floor_${table} AS SELECT ${exprs} FROM range(${rows}) r(i)`);
    }
    return { ms: performance.now() - t0 };
  } finally {
    db.close();
  }
}

/**
 * What DuckDB's appender alone takes to store what a load stores, the way a
 * load stores it: for each base table, one data chunk of 2,048 rows of its
 * columns' widths (made by SQL beforehand) appended again and again until
 * the table's row count, in a fresh in-memory database. No JavaScript runs
 * per row and nothing is cast: a load through appenders cannot take less.
 * Resolves to the milliseconds the appends took.
 */
async function appenderFloor(b: Uint8Array): Promise<{ ms: number }> {
  const shape = await storedShape(b);
  const instance = await duckdb!.DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    let ms = 0;
    for (const { table, rows, exprs } of shape) {
      await connection.run(`CREATE TABLE floor_${table} AS SELECT ${exprs} FROM range(0) r(i)`);
      const chunk = await (await connection.run(`SELECT ${exprs} FROM range(2048) r(i)`))
        .fetchChunk();
      const appender = await connection.createAppender(`floor_${table}`);
      const t0 = performance.now();
      for (let n = 0; n < rows; n += 2048) appender.appendDataChunk(chunk!);
      appender.closeSync();
      ms += performance.now() - t0;
    }
    return { ms };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

if (bytes) {
  type Timed = number | { ms: number };
  const runs: [string, (b: Uint8Array) => Timed | Promise<Timed>][] = [
    ["plain read (Reader)", read],
    ["every table in memory (traceTables)", build],
    ["every table, a worker ordering (traceTables, workers: 2)", buildPipelined],
    ["every table streamed to a sink", stream],
    ["every table streamed to a sink, a worker ordering", streamPipelined],
  ];
  if (sql) {
    runs.push(["every table into DuckDB (TraceDB.add)", load]);
    runs.push(["DuckDB alone storing as many rows and columns (by SQL)", duckdbFloor]);
    runs.push(["DuckDB's appender alone taking as many rows (a load's floor)", appenderFloor]);
  }
  const ROUNDS = 5;
  const times = runs.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < runs.length; i++) {
      const t0 = performance.now();
      const r = await runs[i][1](bytes);
      // A run that times itself says so.
      times[i].push(typeof r === "number" ? performance.now() - t0 : r.ms);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (let i = 0; i < runs.length; i++) {
    const ratios = times[i].map((t, r) => t / times[0][r]);
    console.log(
      `${runs[i][0]}: median ${(median(times[i]) / 1000).toFixed(2)} s, ${
        median(ratios).toFixed(2)
      }x the read (median of ${ROUNDS} rounds; ratios ${
        ratios.map((x) => x.toFixed(2)).join(" ")
      })`,
    );
  }
  const opts = { group: "tables", n: 3, warmup: 1 };
  Deno.bench("perf trace: plain read", { ...opts, baseline: true }, () => {
    read(bytes);
  });
  Deno.bench("perf trace: every table in memory", opts, async () => {
    await build(bytes);
  });
  if (sql) {
    Deno.bench("perf trace: every table into DuckDB", opts, async () => {
      await load(bytes);
    });
  }
}
