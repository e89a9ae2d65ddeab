/**
 * The fuzzer's driver: splits a run's inputs between worker processes,
 * watches them, and accounts for every input. A worker that goes quiet for
 * too long is killed and its range re-run one announced input at a time,
 * which names the input that hangs; one that dies (its heap is capped) is
 * found the same way. Deterministic: the same seed gives the same inputs.
 *
 * @module
 */

import type { BadInput, ChunkStats, Sabotage, WorkerTask } from "./worker.ts";
import { Inputs, loadSeeds } from "./seeds.ts";

/**
 * A run's settings.
 *
 * @example
 * ```ts
 * import type { FuzzOptions } from "./driver.ts";
 * const o: FuzzOptions = { seed: 1, inputs: 1000 };
 * console.assert(o.inputs === 1000);
 * ```
 */
export interface FuzzOptions {
  /** Run seed. */
  seed: number;
  /** Number of inputs. */
  inputs: number;
  /** First input number (to resume or reproduce); 0 by default. */
  from?: number;
  /** Worker processes; 1 by default. */
  workers?: number;
  /** Time bound per input (ms): slower inputs are reported. 5000 by default. */
  slowMs?: number;
  /** A worker silent this long (ms) is hung. 60000 by default. */
  hangMs?: number;
  /** Heap cap of a worker (MB): the memory bound of an input. 256 by default. */
  heapMb?: number;
  /** Inputs per progress line of a worker. */
  chunk?: number;
  /** Called with the report so far after every chunk. */
  onProgress?: (r: FuzzReport) => void;
  /** Where to write the bytes of bad inputs (not written when absent). */
  saveDir?: string;
  /** For testing the driver itself: workers hang or die on these inputs. */
  sabotage?: Sabotage;
}

/**
 * What a run found.
 *
 * @example
 * ```ts
 * import type { FuzzReport } from "./driver.ts";
 * const ok = (r: FuzzReport) => r.bad.length === 0 && r.done === r.inputs;
 * console.assert(typeof ok === "function");
 * ```
 */
export interface FuzzReport {
  /** Inputs asked for. */
  inputs: number;
  /** Inputs checked. */
  done: number;
  /** Inputs by outcome (ok, error, crash, invariant, runaway, hang, died). */
  outcomes: Record<string, number>;
  /** TraceErrors by code. */
  codes: Record<string, number>;
  /** Inputs by reader mode. */
  modes: Record<string, number>;
  /** Inputs that broke a rule (crash, invariant, runaway, slow, hang, died). */
  bad: BadInput[];
  /** Slowest input (ms) and its number. */
  maxMs: number;
  /** Number of the slowest input. */
  maxMsInput: number;
  /** Wall time (ms). */
  ms: number;
}

const WORKER = new URL("./worker.ts", import.meta.url);
const ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname);

/**
 * Runs the fuzzer and returns its report.
 *
 * @example
 * ```ts ignore
 * import { fuzz } from "./driver.ts";
 * const r = await fuzz({ seed: 1, inputs: 200 });
 * console.assert(r.done === 200);
 * ```
 */
export async function fuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = performance.now();
  const report: FuzzReport = {
    inputs: opts.inputs,
    done: 0,
    outcomes: {},
    codes: {},
    modes: {},
    bad: [],
    maxMs: 0,
    maxMsInput: -1,
    ms: 0,
  };
  const from = opts.from ?? 0;
  const end = from + opts.inputs;
  const workers = Math.max(1, opts.workers ?? 1);
  const slice = Math.ceil(opts.inputs / workers);
  const jobs: Promise<void>[] = [];
  for (let w = 0; w < workers; w++) {
    const a = from + w * slice;
    const b = Math.min(end, a + slice);
    if (a < b) jobs.push(runSlice(opts, a, b, report, t0));
  }
  await Promise.all(jobs);
  report.ms = performance.now() - t0;
  if (opts.saveDir && report.bad.length) saveBad(opts, report.bad);
  return report;
}

function merge(r: FuzzReport, c: ChunkStats): void {
  r.done += c.done;
  for (const [k, v] of Object.entries(c.outcomes)) r.outcomes[k] = (r.outcomes[k] ?? 0) + v;
  for (const [k, v] of Object.entries(c.codes)) r.codes[k] = (r.codes[k] ?? 0) + v;
  for (const [k, v] of Object.entries(c.modes)) r.modes[k] = (r.modes[k] ?? 0) + v;
  if (c.maxMs > r.maxMs) {
    r.maxMs = c.maxMs;
    r.maxMsInput = c.maxMsInput;
  }
}

// Checks inputs [a, b) in as many worker runs as it takes.
async function runSlice(
  opts: FuzzOptions,
  a: number,
  b: number,
  report: FuzzReport,
  t0: number,
): Promise<void> {
  let next = a;
  while (next < b) {
    const quick = await runWorker(opts, next, b, false, report, t0);
    if (quick.finished) return;
    // Hung or died somewhere after `reached`: re-run announcing each input.
    const to = Math.min(b, quick.reached + (opts.chunk ?? 250));
    const slow = await runWorker(opts, quick.reached, to, true, report, t0);
    if (slow.finished) {
      // Not reproduced one at a time (e.g. memory built up over many inputs).
      addBad(report, {
        i: quick.reached,
        kind: quick.failure ?? "died",
        how: `somewhere in inputs ${quick.reached}..${to - 1}`,
        mode: "",
        detail: quick.detail,
      });
      next = to;
      continue;
    }
    const culprit = slow.started;
    const { how } = inputsFor(opts).get(culprit);
    addBad(report, {
      i: culprit,
      kind: slow.failure ?? "died",
      how,
      mode: "",
      detail: slow.detail,
    });
    report.outcomes[slow.failure ?? "died"] = (report.outcomes[slow.failure ?? "died"] ?? 0) + 1;
    report.done++;
    next = culprit + 1;
  }
}

// A re-run reports again the bad inputs of its first chunk: count each once.
function addBad(r: FuzzReport, b: BadInput): void {
  if (!r.bad.some((x) => x.i === b.i && x.kind === b.kind)) r.bad.push(b);
}

let cachedInputs: { seed: number; inputs: Inputs } | null = null;
function inputsFor(opts: FuzzOptions): Inputs {
  if (cachedInputs?.seed !== opts.seed) {
    cachedInputs = { seed: opts.seed, inputs: new Inputs(loadSeeds(), opts.seed) };
  }
  return cachedInputs.inputs;
}

interface WorkerRun {
  finished: boolean;
  /** First input not accounted for. */
  reached: number;
  /** Last input announced (verbose runs). */
  started: number;
  failure?: "hang" | "died";
  detail: string;
}

async function runWorker(
  opts: FuzzOptions,
  from: number,
  to: number,
  verbose: boolean,
  report: FuzzReport,
  t0: number,
): Promise<WorkerRun> {
  const task: WorkerTask = {
    seed: opts.seed,
    from,
    to,
    verbose,
    slowMs: opts.slowMs ?? 5000,
    chunk: verbose ? 1 : opts.chunk ?? 250,
    sabotage: opts.sabotage,
  };
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      `--v8-flags=--max-old-space-size=${opts.heapMb ?? 256}`,
      WORKER.href,
      JSON.stringify(task),
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const errText = new Response(child.stderr).text();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const run: WorkerRun = { finished: false, reached: from, started: from - 1, detail: "" };
  const hangMs = opts.hangMs ?? 60_000;
  let pending = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      const timeout = new Promise<"timeout">((res) =>
        timer = setTimeout(() => res("timeout"), hangMs)
      );
      const r = await Promise.race([lines.read(), timeout]);
      clearTimeout(timer);
      if (r === "timeout") {
        run.failure = "hang";
        run.detail = `no progress for ${hangMs} ms`;
        child.kill("SIGKILL");
        break;
      }
      if (r.done) break;
      pending += r.value;
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith("S ")) run.started = Number(line.slice(2));
        else if (line.startsWith("B ")) addBad(report, JSON.parse(line.slice(2)) as BadInput);
        else if (line.startsWith("C ")) {
          const c = JSON.parse(line.slice(2)) as ChunkStats;
          merge(report, c);
          run.reached = c.upTo;
          report.ms = performance.now() - t0;
          opts.onProgress?.(report);
        } else if (line === "D") run.finished = true;
      }
    }
  } finally {
    clearTimeout(timer);
    await lines.cancel().catch(() => {});
  }
  const status = await child.status;
  const stderr = await errText;
  if (!run.finished && !run.failure) {
    run.failure = "died";
    run.detail = `worker exited with ${status.code}${status.signal ? ` (${status.signal})` : ""}: ${
      stderr.trim().split("\n").slice(-5).join(" | ")
    }`;
  }
  return run;
}

function saveBad(opts: FuzzOptions, bad: readonly BadInput[]): void {
  Deno.mkdirSync(opts.saveDir!, { recursive: true });
  const inputs = inputsFor(opts);
  for (const b of bad.slice(0, 200)) {
    Deno.writeFileSync(
      `${opts.saveDir}/${b.kind}-${opts.seed}-${b.i}.trace`,
      inputs.get(b.i).bytes,
    );
  }
}

/**
 * The report as a few lines of text.
 *
 * @example
 * ```ts
 * import { formatReport } from "./driver.ts";
 * const text = formatReport({ inputs: 1, done: 1, outcomes: { ok: 1 }, codes: {}, modes: {}, bad: [], maxMs: 1, maxMsInput: 0, ms: 5 });
 * console.assert(text.includes("1 inputs"));
 * ```
 */
export function formatReport(r: FuzzReport): string {
  const kv = (o: Record<string, number>) =>
    Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(" ");
  const lines = [
    `${r.done} inputs of ${r.inputs} in ${(r.ms / 1000).toFixed(1)} s ` +
    `(${(r.done / (r.ms / 1000)).toFixed(0)}/s), slowest ${
      r.maxMs.toFixed(0)
    } ms (#${r.maxMsInput})`,
    `outcomes: ${kv(r.outcomes)}`,
    `modes: ${kv(r.modes)}`,
    `error codes: ${kv(r.codes)}`,
    `bad inputs: ${r.bad.length}`,
  ];
  for (const b of r.bad.slice(0, 20)) {
    lines.push(`  #${b.i} ${b.kind} [${b.mode}] ${b.how}: ${b.detail.split("\n")[0]}`);
  }
  return lines.join("\n");
}
