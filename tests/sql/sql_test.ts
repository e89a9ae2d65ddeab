// SQL over the trace tables answers what the query helpers answer, and
// Parquet written by `trace parquet` reads back in DuckDB as the tables
// that were built in memory, for one trace and for three at once.
import assert from "node:assert/strict";
import { CORPUS_DIR, corpusAvailable, realTraces } from "../helpers/corpus.ts";
import { analyzeAll, readAll } from "../../src/queries/source.ts";
import { SyscallAnalysis } from "../../src/queries/syscalls.ts";
import { TaskAnalysis } from "../../src/queries/tasks.ts";
import { CPUProfileAnalysis } from "../../src/queries/cpu.ts";
import { GCAnalysis } from "../../src/queries/gc.ts";
import { functionSummaries, GoroutineAnalysis } from "../../src/queries/analysis.ts";
import { TraceDB } from "../../sql.ts";
import { buildsOnWorker } from "../../src/sql/db.ts";
import { chunkRows, TABLES, traceTables } from "../../src/tables/mod.ts";

const DEMO = new URL("../../testdata/demo.trace", import.meta.url).pathname;
const sorted = <T>(xs: readonly T[]) => xs.map((x) => JSON.stringify(x)).sort();

function questionTraces(): string[] {
  const out = [DEMO];
  if (!corpusAvailable()) {
    console.warn("*** sql_test: corpus missing, only testdata/demo.trace is used");
    return out;
  }
  for (const n of ["go1.25/annotations-stress", "go1.25/cpu-profile", "go1.23/stress"]) {
    out.push(`${CORPUS_DIR}/real/${n}.trace`);
  }
  return out;
}

Deno.test("sql: questions answered by SQL and by the query helpers agree", async (t) => {
  for (const path of questionTraces()) {
    await t.step(path.split("/").slice(-2).join("/"), async () => {
      const db = await TraceDB.open(path);
      try {
        const r = await analyzeAll(path, {
          sys: new SyscallAnalysis(),
          tasks: new TaskAnalysis(),
          cpu: new CPUProfileAnalysis(),
          gc: new GCAnalysis(),
          g: new GoroutineAnalysis(),
        });
        // 1. Events by kind.
        const kinds = new Map<string, number>();
        await readAll(path, (ev) => kinds.set(ev.kind, (kinds.get(ev.kind) ?? 0) + 1));
        const q1 = await db.query("SELECT kind, count(*) AS n FROM events GROUP BY kind");
        assert.deepEqual(sorted(q1.rows.map((x) => [x.kind, x.n])), sorted([...kinds]));
        // 2. Syscalls by outcome, with their total duration.
        const byOutcome = new Map<string, [number, number]>();
        for (const c of r.sys) {
          const v = byOutcome.get(c.outcome) ?? [0, 0];
          byOutcome.set(c.outcome, [v[0] + 1, v[1] + c.duration]);
        }
        const q2 = await db.query(
          "SELECT outcome, count(*) AS n, sum(duration)::BIGINT AS d FROM syscalls GROUP BY 1",
        );
        assert.deepEqual(
          sorted(q2.rows.map((x) => [x.outcome, x.n, x.d])),
          sorted([...byOutcome].map(([k, v]) => [k, ...v])),
        );
        // 3. CPU samples per goroutine.
        const q3 = await db.query("SELECT g, count(*) AS n FROM samples GROUP BY g");
        assert.deepEqual(
          sorted(q3.rows.map((x) => [x.g, x.n])),
          sorted(Object.entries(r.cpu.byGoroutine).map(([g, n]) => [Number(g), n])),
        );
        // 4. Log messages per task (tasks with logs).
        const q4 = await db.query("SELECT task, count(*) AS n FROM logs GROUP BY task");
        const logs = new Map<number, number>();
        for (const tk of r.tasks.tasks) {
          for (const l of tk.logs) logs.set(l.task, (logs.get(l.task) ?? 0) + 1);
        }
        assert.deepEqual(sorted(q4.rows.map((x) => [x.task, x.n])), sorted([...logs]));
        // 5. Peak live heap, from the metrics table and from the GC analysis.
        const q5 = await db.query(
          "SELECT max(value) AS v FROM metrics WHERE name = '/memory/classes/heap/objects:bytes'",
        );
        const heap = r.gc.metrics.heapLive.map((p) => p.value);
        assert.equal(q5.rows[0].v, heap.length ? Math.max(...heap) : null);
        // 6. Execution time by entry function: SQL over goroutines vs functionSummaries.
        const q6 = await db.query(
          "SELECT name, count(*) AS n, sum(exec_time)::BIGINT AS e FROM goroutines GROUP BY name",
        );
        assert.deepEqual(
          sorted(q6.rows.map((x) => [x.name, x.n, x.e])),
          sorted(functionSummaries(r.g.goroutines).map((f) => [f.name, f.count, f.execTime])),
        );
        // 7. Regions by name and their total duration.
        const q7 = await db.query(
          "SELECT name, count(*) AS n, sum(duration)::BIGINT AS d FROM regions GROUP BY name",
        );
        const regions = new Map<string, [number, number]>();
        for (const x of r.tasks.regions) {
          const v = regions.get(x.name) ?? [0, 0];
          regions.set(x.name, [v[0] + 1, v[1] + x.duration]);
        }
        assert.deepEqual(
          sorted(q7.rows.map((x) => [x.name, x.n, x.d])),
          sorted([...regions].map(([k, v]) => [k, ...v])),
        );
      } finally {
        db.close();
      }
    });
  }
});

Deno.test("sql: results show as HTML tables in Jupyter and as text", async () => {
  const db = await TraceDB.open(DEMO);
  try {
    const r = await db.query("SELECT g, outcome FROM syscalls ORDER BY start", 2);
    const display = (r as unknown as Record<symbol, () => Record<string, string>>)[
      Symbol.for("Jupyter.display")
    ];
    const html = display.call(r)["text/html"];
    assert.match(html, /<table/);
    assert.match(html, /more row/);
    assert.match(r.toString(), /outcome/);
    assert.equal(r.toObjects().length, r.length);
    assert.match(r.toCsv(), /^g,outcome\n/);
  } finally {
    db.close();
  }
});

Deno.test("sql: tables are views of STRUCT-stored rows, and a file of the older layout is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = await TraceDB.create({ path: `${dir}/new.duckdb` });
    try {
      await db.add(DEMO);
      // Every stored table: its trace column and one STRUCT of the rest.
      const stored = await db.query(
        `SELECT table_name AS t, list(data_type[:6] ORDER BY ordinal_position) AS types
         FROM information_schema.columns WHERE table_schema = 'stored' AND table_name <> 'traces'
         GROUP BY ALL ORDER BY t`,
        100,
      );
      assert.equal(stored.length, TABLES.length - 1); // events and transitions share one
      for (const r of stored.rows) assert.deepEqual((r.types as string[]).slice(1), ["STRUCT"]);
      // Beside them, where each trace's rows begin (seq is a row's position from there).
      const first = await db.query("SELECT * FROM stored.traces");
      assert.deepEqual(first.rows, [{ trace: "demo.trace", first_row: 0 }]);
      const views = await db.query(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_type = 'VIEW'",
        100,
      );
      assert.deepEqual(views.column("t").sort(), TABLES.map((t) => t.name).sort());
    } finally {
      db.close();
    }
    // A file of this layout changed into an older one (its views dropped,
    // then `sql`), which a new TraceDB refuses with `message`.
    const refused = async (name: string, sql: string[], message: RegExp) => {
      const path = `${dir}/${name}.duckdb`;
      const old = await TraceDB.create({ path });
      for (const s of ["DROP VIEW transitions", "DROP VIEW events", ...sql]) await old.run(s);
      old.close();
      await assert.rejects(() => TraceDB.create({ path }), message);
    };
    // A file whose `events` is a table, as this library made them before.
    await refused(
      "old",
      ["CREATE TABLE events (trace VARCHAR, seq BIGINT)"],
      /old\.duckdb: its tables are of an older layout .*events is a table.*load its traces into a new file/,
    );
    // A file whose stored events have other fields (kind and resource were stored once).
    await refused(
      "fields",
      [
        "DROP TABLE stored.event_rows",
        "CREATE TABLE stored.event_rows (trace VARCHAR, r STRUCT(seq BIGINT, kind VARCHAR))",
      ],
      /fields\.duckdb: stored\.event_rows is of an older layout .*\(its fields: seq, kind\); load its traces into a new file/,
    );
    // A file whose ENUM of kinds has other members.
    await refused(
      "kinds",
      [
        `DROP TYPE "stored".event_kind`,
        `CREATE TYPE "stored".event_kind AS ENUM ('Sync', 'Other')`,
      ],
      /kinds\.duckdb: the type stored\.event_kind is of an older layout .*\(Sync, Other\); load its traces into a new file/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function traceParquet(dir: string, files: string[]): Promise<void> {
  const [code, , err] = await traceParquetRun(dir, files);
  assert.equal(code, 0, err);
}

async function traceParquetRun(dir: string, files: string[]): Promise<[number, string, string]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write=/tmp",
      "--allow-env",
      "--allow-ffi",
      "scripts/trace.ts",
      "parquet",
      "-o",
      dir,
      ...files,
    ],
    cwd: new URL("../..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return [out.code, text(out.stdout), text(out.stderr)];
}

Deno.test("sql: trace parquet refuses two traces of one base name before writing anything", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "gotrace-parquet-" });
  try {
    Deno.mkdirSync(`${dir}/in`);
    Deno.copyFileSync(DEMO, `${dir}/in/demo.trace`);
    const [code, out, err] = await traceParquetRun(`${dir}/out`, [DEMO, `${dir}/in/demo.trace`]);
    assert.equal(code, 2, err);
    assert.equal(out, "");
    assert.match(err, /two traces named demo\.trace \(.*\): the tables tell traces apart/);
    // Nothing written: not even the output directory.
    assert.throws(() => Deno.statSync(`${dir}/out`), Deno.errors.NotFound);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

async function checkParquet(files: string[]): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "gotrace-parquet-" });
  try {
    await traceParquet(dir, files);
    const db = await TraceDB.create();
    try {
      for (const f of files) {
        const name = f.split("/").pop()!;
        const tables = await traceTables(f);
        for (const t of TABLES) {
          const want = tables[t.name as keyof typeof tables].chunks.flatMap(chunkRows);
          const got = await db.query(
            `SELECT * FROM read_parquet('${dir}/*/${t.name}.parquet') WHERE trace = '${name}'`,
          );
          assert.equal(got.length, want.length, `${name} ${t.name}`);
          if (["events", "transitions"].includes(t.name)) {
            // Spot checks on the big tables: first, last and every 997th row.
            const idx = [...Array(want.length).keys()].filter((i) =>
              i % 997 === 0 || i === want.length - 1
            );
            const byseq = await db.query(
              `SELECT * FROM read_parquet('${dir}/*/${t.name}.parquet') WHERE trace = '${name}' ORDER BY seq`,
            );
            for (const i of idx) assert.deepEqual(byseq.rows[i], want[i], `${t.name} row ${i}`);
          } else {
            assert.deepEqual(sorted(got.rows), sorted(want), `${name} ${t.name}`);
          }
        }
      }
      const all = await db.query(
        `SELECT count(DISTINCT trace) AS n FROM read_parquet('${dir}/*/events.parquet')`,
      );
      assert.equal(all.rows[0].n, files.length);
    } finally {
      db.close();
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("sql: trace parquet reads back as the in-memory tables (one trace)", async () => {
  await checkParquet([DEMO]);
});

Deno.test("sql: trace parquet reads back as the in-memory tables (three traces)", async () => {
  if (!corpusAvailable()) {
    console.warn("*** sql_test: corpus missing, three-trace Parquet test SKIPPED");
    return;
  }
  await checkParquet([
    `${CORPUS_DIR}/real/go1.25/annotations-stress.trace`,
    `${CORPUS_DIR}/real/go1.23/wait-on-pipe.trace`,
    `${CORPUS_DIR}/real/go1.22/stress.trace`,
  ]);
});

Deno.test("sql: kind and resource, looked up from type, are the events' own on every real trace", async () => {
  const traces = [DEMO, ...realTraces().map((n) => `${CORPUS_DIR}/real/${n}`)];
  if (traces.length === 1) {
    console.warn("*** sql_test: corpus missing, only testdata/demo.trace is used");
  }
  const db = await TraceDB.create();
  try {
    const key = (r: Record<string, unknown>) => `${r.type} ${r.kind} ${r.resource}`;
    for (const trace of traces) {
      const name = trace.split("/").slice(-2).join("_");
      await db.add(trace, name);
      const want = new Map<string, number>();
      for (const r of (await traceTables(trace, name)).events.chunks.flatMap(chunkRows)) {
        want.set(key(r), (want.get(key(r)) ?? 0) + 1);
      }
      const got = await db.query(
        `SELECT type, kind, resource, count(*) AS n FROM events WHERE trace = '${name}' GROUP BY ALL`,
        1000,
      );
      assert.deepEqual(
        new Map(got.rows.map((r) => [key(r), Number(r.n)])),
        want,
        trace,
      );
      // The transitions view's resource is the events'.
      const tr = await db.query(
        `SELECT count(*) AS n FROM transitions t WHERE trace = '${name}' AND resource IS DISTINCT FROM
           (SELECT resource FROM events e WHERE e.trace = t.trace AND e.seq = t.seq)`,
      );
      assert.equal(Number(tr.rows[0].n), 0, trace);
    }
  } finally {
    db.close();
  }
});

Deno.test("sql: seq is each event's position in its trace, across traces, a reopened file and a failed load", async () => {
  const traces = questionTraces();
  const dir = await Deno.makeTempDir();
  const path = `${dir}/seq.duckdb`;
  // seq, time and type of every 97th row of a trace, as built in memory and as queried.
  const want = async (trace: string) =>
    (await traceTables(trace)).events.chunks.flatMap(chunkRows)
      .filter((_r, i) => i % 97 === 0).map((r) => ({ seq: r.seq, time: r.time, type: r.type }));
  const got = async (db: TraceDB, name: string) =>
    (await db.query(
      `SELECT seq, time, type::VARCHAR AS type FROM events
       WHERE trace = '${name}' AND seq % 97 = 0 ORDER BY seq`,
      Infinity,
    )).rows.map((r) => ({ ...r, time: Number(r.time) }));
  const names = traces.map((t) => t.split("/").pop()!);
  try {
    let db = await TraceDB.create({ path });
    try {
      await db.add(traces[0]);
      await db.add(traces[1]);
      // A name loaded already is refused, and stays loaded (refused again).
      for (let i = 0; i < 2; i++) {
        await assert.rejects(() => db.add(traces[1]), /a trace of that name is loaded already/);
      }
    } finally {
      db.close();
    }
    // A load that fails leaves nothing, and its name may be loaded again.
    const bytes = Deno.readFileSync(traces[2]);
    const count = async (db: TraceDB) =>
      (await db.query("SELECT count(*) AS n FROM events")).rows[0].n;
    for (const worker of [false, true]) {
      db = await TraceDB.create({ path, worker });
      try {
        const before = await count(db);
        await assert.rejects(() => db.add(bytes.subarray(0, bytes.length >> 1), names[2]));
        assert.equal(await count(db), before);
        // DuckDB's threads as they were before the load.
        const threads = await db.query("SELECT current_setting('threads') AS t");
        assert.equal(threads.rows[0].t, navigator.hardwareConcurrency);
      } finally {
        db.close();
      }
    }
    db = await TraceDB.create({ path });
    try {
      await db.add(traces[2]);
      for (let i = 0; i < 3; i++) {
        const w = await want(traces[i]);
        assert.deepEqual(await got(db, names[i]), w, names[i]);
        const n = await db.query(
          `SELECT min(seq) AS lo, max(seq) AS hi, count(*) AS n FROM events WHERE trace = '${
            names[i]
          }'`,
        );
        assert.deepEqual(n.rows[0], { lo: 0, hi: Number(n.rows[0].n) - 1, n: n.rows[0].n });
      }
      // The transitions view carries the same seq as events.
      const tr = await db.query(
        `SELECT count(*) AS n FROM transitions t JOIN events e USING (trace, seq)
         WHERE e.from_state IS DISTINCT FROM t.from_state OR e.time <> t.time`,
      );
      assert.equal(tr.rows[0].n, 0);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Every stored table of a database: its rows, in order, as text. */
async function dumpTables(db: TraceDB): Promise<string[]> {
  const out: string[] = [];
  for (const t of TABLES) {
    // In a fixed order: a scan in parallel gives rows in any order.
    const r = await db.query(`SELECT * FROM ${t.name} ORDER BY ALL`);
    out.push(`${t.name}: ${r.rows.length} rows`);
    for (const row of r.rows) {
      out.push(JSON.stringify(row, (_k, v) => typeof v === "bigint" ? String(v) : v));
    }
  }
  return out;
}

Deno.test("sql: a load builds on a worker when asked, and by default for 8 MB of trace or more", async () => {
  const small = Deno.readFileSync(DEMO);
  assert.ok(small.length < 1 << 20);
  assert.equal(await buildsOnWorker(DEMO), false);
  assert.equal(await buildsOnWorker(small), false);
  assert.equal(await buildsOnWorker(DEMO, true), true);
  assert.equal(await buildsOnWorker(new Uint8Array(8 << 20)), true);
  assert.equal(await buildsOnWorker(new Uint8Array(8 << 20), false), false);
  // Gzip counts four times its size: 2 MB of it is 8 MB of trace.
  const gz = new Uint8Array(2 << 20);
  gz.set([0x1f, 0x8b]);
  assert.equal(await buildsOnWorker(gz), true);
  assert.equal(await buildsOnWorker(gz.subarray(0, (2 << 20) - 1)), false);
  assert.equal(await buildsOnWorker("https://example.com/x.trace"), true);
  assert.equal(await buildsOnWorker(new Blob([small]).stream()), false);
  if (corpusAvailable()) {
    // The perf trace's gzip file: 14 MB on disk, 48 MB of trace.
    assert.equal(await buildsOnWorker(`${CORPUS_DIR}/perf/pingpong-1s.go1.25.trace.gz`), true);
  }
});

Deno.test("sql: a load built on a worker gives the rows a load on this thread gives", async () => {
  const traces = questionTraces();
  const bytes = Deno.readFileSync(traces.at(-1)!);
  // A path, bytes, and bytes cut short (the same error).
  const sources: [string, string | Uint8Array][] = [
    ...traces.map((p): [string, string] => [p, p]),
    ["bytes", bytes],
    ["cut bytes", bytes.subarray(0, Math.floor(bytes.length * 0.6))],
  ];
  for (const [what, src] of sources) {
    const load = async (worker: boolean) => {
      const db = await TraceDB.create({ worker });
      try {
        let error = "";
        let counts: Record<string, number> = {};
        try {
          counts = await db.add(src, "t");
        } catch (e) {
          error = `${(e as Error).name}: ${(e as Error).message}`;
        }
        return { counts, error, rows: error ? [] : await dumpTables(db) };
      } finally {
        db.close();
      }
    };
    const here = await load(false);
    const there = await load(true);
    assert.equal(there.error, here.error, `${what}: error`);
    assert.deepEqual(there.counts, here.counts, `${what}: counts`);
    assert.equal(there.rows.length, here.rows.length, `${what}: rows`);
    for (let i = 0; i < here.rows.length; i++) {
      assert.equal(there.rows[i], here.rows[i], `${what}: row ${i}`);
    }
    if (what === "cut bytes") assert.match(here.error, /truncated|TraceError/);
    else assert.ok(here.counts.events > 100, `${what}: ${here.counts.events} events`);
  }
});

/** `trace sql` as a user runs it, stderr not a terminal: exit code, stdout, stderr. */
async function traceSql(args: string[]): Promise<[number, string, string]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", "--allow-ffi", "scripts/trace.ts", "sql", ...args],
    cwd: new URL("../..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return [out.code, text(out.stdout), text(out.stderr)];
}

Deno.test("sql: trace sql loads on a worker what it loads on its own thread, and reports a cut trace as before", async () => {
  const files = questionTraces();
  const query = TABLES.map((t) => `(SELECT count(*) FROM ${t.name}) AS ${t.name}`).join(", ");
  // Built on a worker. With a partial mode: on this thread (the same rows for a whole trace).
  const worker = await traceSql(["--csv", "--workers=2", `SELECT ${query}`, ...files]);
  const here = await traceSql(["--csv", "--partial=reference", `SELECT ${query}`, ...files]);
  assert.equal(worker[0], 0, worker[2]);
  assert.deepEqual(worker, here);
  assert.match(worker[1], /^events,/);
  // A cut trace: the loss line and the error, exit 1, whichever way it was tried first.
  const cut = Deno.makeTempFileSync({ suffix: ".trace" });
  try {
    Deno.writeFileSync(cut, Deno.readFileSync(DEMO).subarray(0, 3000));
    const [code, out, err] = await traceSql(["--workers=2", "SELECT count(*) FROM events", cut]);
    assert.equal(code, 1);
    assert.equal(out, "");
    assert.match(
      err,
      /trace truncated at byte 3000, unusable from byte \d+, of 3000 .* \d+ events read/,
    );
    assert.match(err, /TraceError \[truncated\]/);
  } finally {
    Deno.removeSync(cut);
  }
  // Two traces of one base name: a usage error before anything is loaded.
  const dir = Deno.makeTempDirSync();
  try {
    Deno.copyFileSync(DEMO, `${dir}/demo.trace`);
    const [code, out, err] = await traceSql(["SELECT 1", DEMO, `${dir}/demo.trace`]);
    assert.equal(code, 2);
    assert.equal(out, "");
    assert.match(err, /two traces named demo\.trace \(.*\): the tables tell traces apart/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
