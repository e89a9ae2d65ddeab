// Reading generations in parallel: the whole read of workmix with 1 and 2
// workers and sequentially (events counted, same process), then an estimate
// for more workers from the per-generation times the read reports: each
// worker orders a run of consecutive generations (a later run after reading
// the state its first one announces), the main thread scans the events the
// workers packed (or makes an Event of each, for the arrays), and with C
// cores the run takes at least max(longest worker, total work / C).
// Also on a synthetic trace of many generations when the corpus is missing.
import { ParallelReader, Reader, readTraceBytes } from "../mod.ts";
import { pingPongTrace } from "./synthetic.ts";

const PERF = new URL("../../shared/corpus/perf/workmix-20s.go1.25.trace.gz", import.meta.url);

async function load(): Promise<{ name: string; bytes: Uint8Array }> {
  try {
    return { name: "workmix-20s", bytes: await readTraceBytes(PERF) };
  } catch {
    console.warn("parallel bench: corpus missing, synthetic trace instead");
    return { name: "ping-pong x20", bytes: pingPongTrace(20, 700_000) };
  }
}

const { name, bytes } = await load();

function sequential(): number {
  const r = Reader.fromBytes(bytes);
  let n = 0;
  while (r.readEvent() !== null) n++;
  return n;
}

// The parallel read as arrays of Event objects, or scanned through one
// reused object (nothing made per event on the main thread).
async function parallel(
  workers: number,
  way: "arrays" | "scan" = "scan",
  mainRun = false,
): Promise<{ n: number; r: ParallelReader }> {
  const r = ParallelReader.fromBytes(bytes, { workers, mainRun });
  let n = 0;
  if (way === "scan") n = await r.scan(() => {});
  else for await (const events of r) n += events.length;
  return { n, r };
}

/** Estimated time with `workers` workers on `cores` cores, from one read's per-generation times. */
export function estimate(r: ParallelReader, workers: number, cores: number): number {
  const { workerMs, mainMs, splitMs, warmMs } = r.stats;
  // A later run's start: reading the state its first generation announces.
  const starts = warmMs.slice(1);
  const start = starts.length ? starts.reduce((a, b) => a + b, 0) / starts.length : 0;
  const n = workerMs.length;
  const k = Math.min(workers, n);
  const per = Math.ceil(n / k);
  let longest = 0;
  let total = 0;
  for (let c = 0; c < k && c * per < n; c++) {
    let t = c > 0 ? start : 0;
    for (let i = c * per; i < Math.min(n, (c + 1) * per); i++) t += workerMs[i];
    longest = Math.max(longest, t);
    total += t;
  }
  const main = mainMs.reduce((a, b) => a + b, 0);
  return splitMs + Math.max(longest, main, (total + main) / cores);
}

Deno.bench(`${name}: sequential Reader`, { group: "parallel", baseline: true }, () => {
  sequential();
});

// Like for like with the parallel scans: one Event refilled for each.
Deno.bench(`${name}: sequential Reader scan`, { group: "parallel" }, async () => {
  await Reader.fromBytes(bytes).scan(() => {});
});
for (const way of ["scan", "arrays"] as const) {
  for (const w of [1, 2]) {
    Deno.bench(
      `${name}: ParallelReader ${way}, ${w} worker(s)`,
      { group: "parallel" },
      async () => {
        await parallel(w, way);
      },
    );
  }
}

Deno.bench(
  `${name}: ParallelReader scan, main thread + 1 worker`,
  { group: "parallel" },
  async () => {
    await parallel(2, "scan", true);
  },
);

// The estimate for more workers, printed once.
Deno.bench(`${name}: estimate for 1-16 workers (printed)`, { n: 1, warmup: 0 }, async () => {
  const { r } = await parallel(2);
  const cores = navigator.hardwareConcurrency;
  const line = [1, 2, 4, 8, 16].map((w) =>
    `${w}w: ${estimate(r, w, Math.max(cores, w + 1)).toFixed(0)} ms`
  ).join(", ");
  console.log(
    `\n${name}, cores as many as workers + 1: ${line}; main thread ${
      r.stats.mainMs.reduce((a, b) => a + b, 0).toFixed(0)
    } ms, on main thread: [${r.stats.onMainThread}]`,
  );
});
