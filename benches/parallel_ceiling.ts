// How much faster two threads could read workmix-20s at best, whole process
// and cold, on this machine, measured without any parallel reader:
//
// - "full": `deno task dump --count` of the whole trace, one thread;
// - "half": the same of its first generations, about half its bytes (a
//   prefix cut at a generation's end, itself a whole trace);
// - "two halves": two such processes at once, the wall time until both end.
//
// A read on two threads still starts Deno and loads the modules once, and
// each thread compiles the engine for itself (V8 shares no optimized code
// between isolates), so the best it can do is one half's time: full / half
// bounds its speed-up even with two free cores and nothing to merge. Two
// halves at once show what the machine's second core gives to a second busy
// process: full / two halves bounds it on this machine. The parallel read
// (`--workers=2`) is measured alongside. Runs alternate; medians.
//
// `deno run --allow-read --allow-write=/tmp --allow-run --allow-env benches/parallel_ceiling.ts [RUNS]`
import { perfTraceFile } from "./perf_trace.ts";
import { headerLength, readHeader } from "../src/wire/header.ts";
import { splitGenerations } from "../src/wire/boundaries.ts";

const ROOT = decodeURIComponent(new URL("..", import.meta.url).pathname);

/** The wall time of `deno task -q dump --count` on each file at once, in seconds. */
async function together(files: string[], extra: string[] = []): Promise<number> {
  const t = performance.now();
  const outs = await Promise.all(files.map((f) =>
    new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", "dump", "--count", ...extra, f],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).output()
  ));
  const s = (performance.now() - t) / 1000;
  for (const o of outs) {
    if (!o.success) throw new Error(`dump failed: ${new TextDecoder().decode(o.stderr)}`);
  }
  return s;
}

/** Writes the trace's first generations, about half its bytes, to `dst`; how many of how many. */
function writeHalf(file: string, dst: string): { gens: number; of: number; share: number } {
  const bytes = Deno.readFileSync(file);
  const version = readHeader(bytes);
  const { spans } = splitGenerations(bytes, version, headerLength(version));
  let k = 0;
  while (k < spans.length - 1 && spans[k].end < bytes.length / 2) k++;
  // The generation's end nearest half the bytes.
  if (k > 0 && bytes.length / 2 - spans[k - 1].end < spans[k].end - bytes.length / 2) k--;
  const cut = spans[k].end;
  Deno.writeFileSync(dst, bytes.subarray(0, cut));
  return { gens: k + 1, of: spans.length, share: cut / bytes.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (import.meta.main) {
  const runs = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 5);
  const full = await perfTraceFile("workmix-20s");
  if (full === null) {
    console.warn("*** parallel ceiling SKIPPED: the corpus's workmix-20s trace is missing");
  } else {
    const half = `${Deno.env.get("TMPDIR") ?? "/tmp"}/gotrace-ceiling-half.trace`;
    const cut = writeHalf(full, half);
    const t = {
      full: [] as number[],
      half: [] as number[],
      halves: [] as number[],
      w2: [] as number[],
    };
    for (let i = 0; i < runs; i++) {
      t.full.push(await together([full]));
      t.half.push(await together([half]));
      t.halves.push(await together([half, half]));
      t.w2.push(await together([full], ["--workers=2"]));
    }
    Deno.removeSync(half);
    const f = median(t.full), h = median(t.half), hh = median(t.halves), w = median(t.w2);
    const s = (x: number) => `${x.toFixed(2)} s`;
    console.log(
      `\nworkmix-20s, whole process, cold, median of ${runs} alternating runs; ` +
        `half: its first ${cut.gens} of ${cut.of} generations, ${
          (cut.share * 100).toFixed(0)
        }% of its bytes`,
    );
    console.log(`full, one thread              ${s(f)}`);
    console.log(
      `half, alone                   ${s(h)}   bound with two free cores: ${(f / h).toFixed(2)}x`,
    );
    console.log(
      `two halves at once            ${s(hh)}   bound on this machine:     ${(f / hh).toFixed(2)}x`,
    );
    console.log(
      `full, --workers=2             ${s(w)}   measured:                  ${(f / w).toFixed(2)}x`,
    );
  }
}
