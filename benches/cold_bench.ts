// Whole-process, cold figures, measured the way Go's are in the corpus
// README: `/usr/bin/time deno task dump --count FILE` on the uncompressed
// perf traces, each run a new process (startup, module load, JIT warm-up,
// file reading and all). The trace commands are measured the same way.
// Runs alternate between the commands so that a busy machine skews them
// alike; each figure is the minimum and median wall time and the largest
// peak RSS over the runs.
//
// `deno task bench` runs this file with the in-process benchmarks; alone:
// `deno run --allow-read --allow-write=/tmp --allow-run --allow-env benches/cold_bench.ts [RUNS]`.
import { perfTraceFile } from "./perf_trace.ts";

/** Go's reader on these files, as the corpus README gives them. */
const GO: Record<string, { seconds: number; rssMB: number }> = {
  "pingpong-1s": { seconds: 1.11, rssMB: 115 },
  "workmix-20s": { seconds: 1.65, rssMB: 37 },
};

/** Where a late 10 ms window of each trace starts (times from its first event). */
const LATE: Record<string, string> = { "pingpong-1s": "0.9s", "workmix-20s": "15s" };
const WINDOW_JSON = "/tmp/gotrace-cold-bench-window.json";

const ROOT = decodeURIComponent(new URL("..", import.meta.url).pathname);
const TIME = "/usr/bin/time";

interface Run {
  seconds: number;
  rssMB: number;
}

async function timed(args: string[]): Promise<Run> {
  const out = await new Deno.Command(TIME, {
    args: ["-f", "%e %M", Deno.execPath(), ...args],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  const [s, kb] = lines.at(-1)!.split(" ").map(Number);
  if (!out.success || !(s >= 0)) throw new Error(`${args.join(" ")} failed:\n${lines.join("\n")}`);
  return { seconds: s, rssMB: kb / 1024 };
}

function haveTime(): boolean {
  try {
    return Deno.statSync(TIME).isFile;
  } catch {
    return false;
  }
}

if (import.meta.main || Deno.args.includes("--cold")) {
  const runs = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 3);
  if (!haveTime()) {
    console.warn(`*** cold benchmark SKIPPED: ${TIME} is missing (Debian package "time")`);
  } else {
    const rows: string[][] = [];
    const baseline: Run[] = [];
    for (let i = 0; i < runs; i++) {
      baseline.push(await timed(["run", "--allow-read", "mod.ts"]));
    }
    const base = Math.max(...baseline.map((r) => r.rssMB));
    for (const name of Object.keys(GO)) {
      const file = await perfTraceFile(name);
      if (file === null) continue;
      const gz = decodeURIComponent(
        new URL(`../../shared/corpus/perf/${name}.go1.25.trace.gz`, import.meta.url).pathname,
      );
      const commands: [string, string[]][] = [
        ["dump --count", ["task", "-q", "dump", "--count", file]],
        ["dump --count, the .gz file", ["task", "-q", "dump", "--count", gz]],
        ["dump --count --workers=2", ["task", "-q", "dump", "--count", "--workers=2", file]],
        // Both on two threads by default at this size; --workers=1 keeps one.
        ["dump --decode-only", ["task", "-q", "dump", "--decode-only", file]],
        ["dump --decode-only --workers=1", [
          "task",
          "-q",
          "dump",
          "--decode-only",
          "--workers=1",
          file,
        ]],
        ["trace summary", ["task", "-q", "trace", "summary", file]],
        ["trace summary --workers=1", ["task", "-q", "trace", "summary", "--workers=1", file]],
        ["trace goroutines", ["task", "-q", "trace", "goroutines", file]],
        ["trace goroutines --workers=2", [
          "task",
          "-q",
          "trace",
          "goroutines",
          "--workers=2",
          file,
        ]],
        ["trace syscalls", ["task", "-q", "trace", "syscalls", file]],
        ["trace steals", ["task", "-q", "trace", "steals", file]],
        // Everything before the window is followed, nothing of it written.
        [`trace export, 10 ms at ${LATE[name]}`, [
          "task",
          "-q",
          "trace",
          "export",
          "--from",
          LATE[name],
          "--to",
          `${parseFloat(LATE[name]) + 0.01}s`,
          "-o",
          WINDOW_JSON,
          file,
        ]],
      ];
      const got: Run[][] = commands.map(() => []);
      for (let i = 0; i < runs; i++) {
        for (let c = 0; c < commands.length; c++) got[c].push(await timed(commands[c][1]));
      }
      for (let c = 0; c < commands.length; c++) {
        const t = got[c].map((r) => r.seconds).sort((a, b) => a - b);
        const rss = Math.max(...got[c].map((r) => r.rssMB));
        const go = GO[name];
        rows.push([
          name,
          commands[c][0],
          `${t[0].toFixed(2)} s`,
          `${t[t.length >> 1].toFixed(2)} s`,
          `${(go.seconds / t[t.length >> 1]).toFixed(2)}x`,
          `${rss.toFixed(0)} MB (+${(rss - base).toFixed(0)})`,
          `${go.seconds} s, ${go.rssMB} MB`,
        ]);
      }
    }
    try {
      Deno.removeSync(WINDOW_JSON);
    } catch { /* none written */ }
    const head = ["trace", "command", "min", "median", "Go/ours", "peak RSS (over deno)", "Go"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ");
    console.log(`\nwhole process, cold, ${runs} runs each; deno alone: ${base.toFixed(0)} MB`);
    console.log(line(head));
    for (const r of rows) console.log(line(r));
  }
}
