/**
 * `trace sql`, `trace parquet` and `trace tables`: the trace tables (see
 * `src/tables/schema.ts`) queried with DuckDB, written as Parquet, listed.
 *
 * @module
 */

import type { QueryResult, TraceDB } from "../../src/sql/db.ts";
import { describeTables, TABLES } from "../../src/tables/mod.ts";
import { traceName } from "../../src/tables/build.ts";
import {
  type Command,
  OutputError,
  parse,
  PARTIAL_HELP,
  PARTIAL_OPTION,
  partialOption,
  UsageError,
  WORKERS_OPTION,
  workersOption,
} from "./cli.ts";
import { TraceInput } from "./io.ts";
import { userPath } from "./paths.ts";
import { isHttpUrl } from "../../src/reader/input.ts";
import type { PartialMode } from "../../src/wire/generation.ts";

// The `--workers` help lines of sql and parquet, which load tables.
const LOAD_WORKERS_HELP = `  --workers N        1: read and build the tables on this thread; 2: on a
                     Web Worker while this thread appends them to DuckDB
                     (the same rows; default: 2 for a file of 8 MB of trace
                     or more, gzip counted four times its size, else 1)`;

const SQL_HELP = `Usage: deno task trace sql [options] "QUERY" FILE...

Loads the tables of each trace FILE (a path, "-" for standard input, gzip or
not) into DuckDB and runs QUERY over them; every table has a "trace"
column (the file's base name). "deno task trace tables" lists the tables.

  deno task trace sql "SELECT outcome, count(*) FROM syscalls GROUP BY 1" x.trace

Options:
  --csv              a header line, then one line per row
  --json             one JSON object per row, one per line
${LOAD_WORKERS_HELP}
${PARTIAL_HELP}
  -h, --help         show this help

Exit status: 0, 1 a trace is bad (or truncated) or the query fails, 2 usage.
`;

const PARQUET_HELP = `Usage: deno task trace parquet -o DIR FILE...

Writes every table of each trace FILE as DIR/<base name>/<table>.parquet,
one trace at a time (memory is that of one trace's tables in DuckDB, which
spills to disk past its limit). Two FILEs of one base name are refused.
Read them back with any Parquet reader, e.g. DuckDB:
SELECT * FROM read_parquet('DIR/*/transitions.parquet').

Options:
  -o, --output DIR   where to write (created if missing)
${LOAD_WORKERS_HELP}
${PARTIAL_HELP}
  -h, --help         show this help

Exit status: 0, 1 a trace is bad (or truncated), 2 usage.
`;

const TABLES_HELP = `Usage: deno task trace tables

Lists the trace tables and their columns (type, "?" when it can be NULL,
meaning; times in nanoseconds).
`;

// DuckDB's native binding loads when its module does: only for these
// commands, so that the others run without --allow-ffi.
// `--workers`: 1 builds on this thread, 2 or more on a worker, absent by size.
async function createDB(workers: number): Promise<TraceDB> {
  const { TraceDB } = await import("../../src/sql/db.ts");
  return await TraceDB.create({ worker: workers === 0 ? undefined : workers >= 2 });
}

// The `trace` column of FILE's rows: its base name ("stdin" for "-").
function rowsName(file: string): string {
  return file === "-" ? "stdin" : traceName(file);
}

// The files' rows names, refused as a usage error when two are one: the
// tables (and trace parquet's directories) tell traces apart by name alone.
function distinctNames(files: string[]): string[] {
  const names = files.map(rowsName);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    throw new UsageError(
      `two traces named ${twice} (${
        files.filter((_f, i) => names[i] === twice).join(", ")
      }): the tables tell traces apart by their file's base name`,
    );
  }
  return names;
}

// Loads each file into `db`; the exit status so far (1 when one was truncated).
async function load(
  db: TraceDB,
  prog: string,
  files: string[],
  partial: PartialMode | undefined,
): Promise<number> {
  let status = 0;
  const names = distinctNames(files);
  for (const [i, file] of files.entries()) {
    const name = names[i];
    // A file is read and built on a worker while this thread appends
    // (TraceDB.add, when it is big enough or --workers asks), unless a
    // progress bar is to be drawn on a terminal or a partial mode asked
    // for. A trace that fails there is read again below, which reports it
    // as every command does (what was read, what was lost) and fails the
    // command; should it not fail, the rows would be doubled.
    let failedOnWorker = false;
    if (partial === undefined && file !== "-" && !isHttpUrl(file) && !Deno.stderr.isTerminal()) {
      try {
        await db.add(userPath(file), name);
        continue;
      } catch {
        failedOnWorker = true;
      }
    }
    const input = await TraceInput.open(prog, file, partial);
    const loader = await db.loader(name);
    await input.readAll((ev) => loader.tables.event(ev));
    await loader.finish();
    if (failedOnWorker) {
      throw new Error(`${file}: the tables' build on a worker failed where this thread's did not`);
    }
    status = Math.max(status, input.status);
  }
  return status;
}

/** Prints a result as text, CSV or JSON lines. */
function print(r: QueryResult, format: "text" | "csv" | "json"): void {
  if (format === "csv") Deno.stdout.writeSync(new TextEncoder().encode(r.toCsv()));
  else if (format === "json") {
    const lines = r.rows.map((row) =>
      JSON.stringify(row, (_k, v) => typeof v === "bigint" ? v.toString() : v)
    );
    if (lines.length) console.log(lines.join("\n"));
  } else console.log(r.table(Infinity).toString());
}

/** The `sql` command. */
export const sqlCommand: Command = {
  name: "sql",
  summary: "SQL over the trace tables of one or more traces (DuckDB)",
  help: SQL_HELP,
  async run(args) {
    const p = parse(args, {
      csv: { type: "boolean" },
      json: { type: "boolean" },
      ...WORKERS_OPTION,
      ...PARTIAL_OPTION,
    }, SQL_HELP);
    if (!p) return 0;
    const [query, ...files] = p.positionals;
    if (query === undefined || files.length === 0) {
      throw new UsageError(`expected "QUERY" FILE..., got ${p.positionals.length} arguments`);
    }
    if (p.values.csv && p.values.json) throw new UsageError("--csv and --json are exclusive");
    const db = await createDB(workersOption(p));
    try {
      const status = await load(db, "trace sql", files, partialOption(p));
      let r: QueryResult;
      try {
        r = await db.query(query);
      } catch (e) {
        console.error(`trace sql: ${(e as Error).message}`);
        return 1;
      }
      print(r, p.values.csv ? "csv" : p.values.json ? "json" : "text");
      return status;
    } finally {
      db.close();
    }
  },
};

/** The `parquet` command. */
export const parquetCommand: Command = {
  name: "parquet",
  summary: "write every trace table as Parquet: DIR/<trace>/<table>.parquet",
  help: PARQUET_HELP,
  async run(args) {
    const p = parse(
      args,
      { output: { type: "string", short: "o" }, ...WORKERS_OPTION, ...PARTIAL_OPTION },
      PARQUET_HELP,
    );
    if (!p) return 0;
    const out = p.values.output;
    if (typeof out !== "string") throw new UsageError("-o DIR is required");
    if (p.positionals.length === 0) throw new UsageError("expected at least one FILE");
    // Before anything is written: the second would replace the first's directory.
    const names = distinctNames(p.positionals);
    const dir = userPath(out);
    try {
      Deno.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new OutputError(`cannot write ${out}: ${(e as Error).message}`);
    }
    const partial = partialOption(p);
    const workers = workersOption(p);
    let status = 0;
    for (const [i, file] of p.positionals.entries()) {
      const name = names[i];
      // One database per trace: memory is bounded by one trace's tables.
      // Written beside the final directory, then renamed into place.
      const tmp = `${dir}/.tmp-${name}-${Deno.pid}`;
      const spill = `${tmp}-spill`;
      const final = `${dir}/${name}`;
      const db = await createDB(workers);
      try {
        await db.run(`SET temp_directory = ${sqlQuote(spill)}`);
        status = Math.max(status, await load(db, "trace parquet", [file], partial));
        Deno.mkdirSync(tmp, { recursive: true });
        await db.writeParquet(tmp);
      } finally {
        db.close();
        try {
          Deno.removeSync(spill, { recursive: true });
        } catch { /* never spilled */ }
      }
      try {
        Deno.removeSync(final, { recursive: true });
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) {
          throw new OutputError(`cannot replace ${out}/${name}: ${(e as Error).message}`, 1);
        }
      }
      Deno.renameSync(tmp, final);
      console.error(`trace parquet: ${file} -> ${out}/${name}/ (${TABLES.length} tables)`);
    }
    return status;
  },
};

/** The `tables` command. */
export const tablesCommand: Command = {
  name: "tables",
  summary: "list the trace tables and their columns (for sql and parquet)",
  help: TABLES_HELP,
  run(args) {
    const p = parse(args, {}, TABLES_HELP);
    if (!p) return Promise.resolve(0);
    if (p.positionals.length) throw new UsageError("tables takes no FILE");
    console.log(describeTables());
    return Promise.resolve(0);
  },
};

function sqlQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
