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
// without it that run is skipped with a warning.
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

if (bytes) {
  const runs: [string, (b: Uint8Array) => number | Promise<number>][] = [
    ["plain read (Reader)", read],
    ["every table in memory (traceTables)", build],
    ["every table, a worker ordering (traceTables, workers: 2)", buildPipelined],
    ["every table streamed to a sink", stream],
    ["every table streamed to a sink, a worker ordering", streamPipelined],
  ];
  if (sql) runs.push(["every table into DuckDB (TraceDB.add)", load]);
  const ROUNDS = 5;
  const times = runs.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < runs.length; i++) {
      const t0 = performance.now();
      await runs[i][1](bytes);
      times[i].push(performance.now() - t0);
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
