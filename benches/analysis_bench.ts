// The goroutine analysis on the large perf trace (48 MB, 8.6 M events), as
// a cost on top of reading it: reading alone, reading + the goroutine
// analysis, and reading + the whole summary (analysis and MMU). The one-off
// measurement below alternates the runs and reports the median, over the
// rounds, of each run's time relative to reading alone, so that a busy
// machine skews both sides alike. Target: the analysis costs less than 50%
// on top of reading.
import { Reader } from "../mod.ts";
import { GoroutineAnalysis } from "../src/queries/analysis.ts";
import { TraceSummary } from "../src/queries/summary.ts";
import { loadPerfTrace } from "./perf_trace.ts";

const bytes = await loadPerfTrace("analysis");

function readOnly(b: Uint8Array): number {
  const r = Reader.fromBytes(b);
  let n = 0;
  for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) n++;
  return n;
}

function readAndAnalyze(b: Uint8Array): number {
  const r = Reader.fromBytes(b);
  const a = new GoroutineAnalysis();
  for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) a.event(ev);
  return a.result().goroutines.length;
}

function readAndSummarize(b: Uint8Array): number {
  const r = Reader.fromBytes(b);
  const s = new TraceSummary();
  for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) s.event(ev);
  return s.result().goroutines.length;
}

if (bytes) {
  const runs = [
    ["read", readOnly],
    ["read + goroutine analysis", readAndAnalyze],
    ["read + summary (analysis and MMU)", readAndSummarize],
  ] as const;
  // Rounds alternate the three runs; each round's ratios compare runs made
  // seconds apart, so their median holds up on a busy machine.
  const ROUNDS = 5;
  const best = runs.map(() => Infinity);
  const ratios: number[][] = runs.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const times = runs.map(([, fn]) => {
      const t0 = performance.now();
      fn(bytes);
      return performance.now() - t0;
    });
    times.forEach((t, i) => {
      best[i] = Math.min(best[i], t);
      ratios[i].push(t / times[0]);
    });
  }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
  const events = readOnly(bytes);
  console.log(
    `perf trace: ${(bytes.length / 1e6).toFixed(1)} MB, ${events} events; best of ${ROUNDS} runs`,
  );
  runs.forEach(([name], i) => {
    const extra = i === 0
      ? ""
      : `, +${((median(ratios[i]) - 1) * 100).toFixed(1)}% on reading (median of rounds)`;
    console.log(`  ${name}: ${(best[i] / 1000).toFixed(3)} s${extra}`);
  });
  const over = median(ratios[1]) - 1;
  if (over >= 0.5) {
    console.warn(
      `*** goroutine analysis costs ${(over * 100).toFixed(1)}% on top of reading (target < 50%)`,
    );
  }

  Deno.bench("perf trace: read", { group: "analysis", baseline: true }, () => {
    readOnly(bytes);
  });
  Deno.bench("perf trace: read + goroutine analysis", { group: "analysis" }, () => {
    readAndAnalyze(bytes);
  });
  Deno.bench("perf trace: read + summary (analysis and MMU)", { group: "analysis" }, () => {
    readAndSummarize(bytes);
  });
}
