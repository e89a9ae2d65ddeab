/**
 * The long fuzz run: mutates the seed traces (see `tests/fuzz/`) and checks
 * that every input reads or ends in a TraceError, within a time and memory
 * bound, and that what reads satisfies the reference's invariants.
 *
 *     deno task fuzz                       # 1,000,000 inputs, seed 1, two workers
 *     deno task fuzz --inputs 50000 --seed 7 --workers 1
 *     deno task fuzz --from 123456 --inputs 1   # re-check one input
 *
 * Bad inputs are written to `--save` (default /tmp/gotrace-fuzz). Exits 1 if
 * there were any.
 *
 * @module
 */

import { formatReport, fuzz, type FuzzReport } from "../tests/fuzz/driver.ts";

function arg(name: string, dflt: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : dflt;
}

function main(): Promise<void> {
  const save = Deno.args.includes("--save")
    ? Deno.args[Deno.args.indexOf("--save") + 1]
    : "/tmp/gotrace-fuzz";
  const inputs = arg("inputs", 1_000_000);
  let last = 0;
  const progress = (r: FuzzReport) => {
    if (performance.now() - last < 10_000) return;
    last = performance.now();
    const rate = r.done / (r.ms / 1000);
    console.log(
      `${r.done}/${r.inputs} inputs, ${r.bad.length} bad, ${rate.toFixed(0)}/s, ` +
        `slowest ${r.maxMs.toFixed(0)} ms`,
    );
  };
  return fuzz({
    seed: arg("seed", 1),
    inputs,
    from: arg("from", 0),
    workers: arg("workers", 2),
    slowMs: arg("slow-ms", 5000),
    hangMs: arg("hang-ms", 60_000),
    heapMb: arg("heap-mb", 256),
    chunk: 1000,
    saveDir: save,
    onProgress: progress,
  }).then((r) => {
    console.log(formatReport(r));
    if (r.bad.length) {
      console.log(`bad inputs saved in ${save}`);
      Deno.exit(1);
    }
  });
}

if (import.meta.main) await main();
