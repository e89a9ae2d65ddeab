/**
 * The fuzzer's worker process: checks inputs `from` to `to` of a run and
 * reports on stdout, one line each: `C {...}` with counts for every chunk of
 * inputs done, `B {...}` for each bad input, `S i` before each input in
 * verbose mode (so that a hang or a crash of the process points at one
 * input), and `D` at the end. The driver runs it in its own process so that
 * a runaway input can be killed, and with a capped heap so that one that
 * allocates without bound dies instead of taking the machine with it.
 *
 * Usage: `deno run --allow-read worker.ts '{"seed":1,"from":0,"to":1000}'`
 *
 * @module
 */

import { checkGzipInput, checkInput, type Verdict } from "./check.ts";
import { inputSeed, Rng } from "./mutate.ts";
import { Inputs, loadSeeds } from "./seeds.ts";
import type { PartialMode } from "../../src/wire/generation.ts";

/**
 * What the worker is asked to do.
 *
 * @example
 * ```ts
 * import type { WorkerTask } from "./worker.ts";
 * const t: WorkerTask = { seed: 1, from: 0, to: 100, verbose: false, slowMs: 5000, chunk: 250 };
 * console.assert(t.to > t.from);
 * ```
 */
export interface WorkerTask {
  /** Run seed. */
  seed: number;
  /** First input. */
  from: number;
  /** One past the last input. */
  to: number;
  /** Announce every input before checking it. */
  verbose: boolean;
  /** An input taking longer than this (ms) is reported as slow. */
  slowMs: number;
  /** Inputs per `C` line. */
  chunk: number;
  /** For testing the driver: input numbers at which to hang or die. */
  sabotage?: Sabotage;
}

/**
 * Input numbers at which a worker hangs or dies on purpose, to test that the
 * driver finds them.
 *
 * @example
 * ```ts
 * import type { Sabotage } from "./worker.ts";
 * const s: Sabotage = { hangAt: 7 };
 * console.assert(s.dieAt === undefined);
 * ```
 */
export interface Sabotage {
  /** Loop forever on this input. */
  hangAt?: number;
  /** Exit abruptly on this input. */
  dieAt?: number;
}

/**
 * Counts of a chunk of inputs.
 *
 * @example
 * ```ts
 * import type { ChunkStats } from "./worker.ts";
 * const c: ChunkStats = { upTo: 10, done: 10, outcomes: { ok: 4, error: 6 }, codes: {}, modes: {}, maxMs: 3, maxMsInput: 7 };
 * console.assert(c.done === 10);
 * ```
 */
export interface ChunkStats {
  /** One past the last input of the chunk. */
  upTo: number;
  /** Inputs in the chunk. */
  done: number;
  /** Inputs by outcome. */
  outcomes: Record<string, number>;
  /** Errors by code. */
  codes: Record<string, number>;
  /** Inputs by reader mode. */
  modes: Record<string, number>;
  /** Slowest input's time (ms). */
  maxMs: number;
  /** Which input that was. */
  maxMsInput: number;
}

/**
 * One bad input, as reported.
 *
 * @example
 * ```ts
 * import type { BadInput } from "./worker.ts";
 * const b: BadInput = { i: 3, kind: "crash", how: "testdata/x bit-flip", mode: "reference", detail: "TypeError" };
 * console.assert(b.kind === "crash");
 * ```
 */
export interface BadInput {
  /** Input number. */
  i: number;
  /** crash, invariant, runaway, slow, hang or died. */
  kind: string;
  /** How the input was made. */
  how: string;
  /** Reader mode. */
  mode: string;
  /** What happened. */
  detail: string;
}

const MODES: readonly PartialMode[] = ["reference", "complete-generations", "orderable"];

/**
 * Options for input `i` besides its bytes: the Reader mode (mostly the
 * reference's), and whether the stepper, the queries and a read without the
 * rules' fast lane run over it too.
 *
 * @example
 * ```ts
 * import { inputOptions } from "./worker.ts";
 * console.assert(inputOptions(1, 5).partial === inputOptions(1, 5).partial);
 * ```
 */
export function inputOptions(
  seed: number,
  i: number,
): { partial: PartialMode; stepper: boolean; queries: boolean; lane: boolean } {
  const rng = new Rng(inputSeed(seed ^ 0x5bd1e995, i));
  const r = rng.int(100);
  const partial = r < 70 ? MODES[0] : r < 85 ? MODES[1] : MODES[2];
  const stepper = rng.chance(0.03);
  const queries = rng.chance(0.05);
  return { partial, stepper, queries, lane: rng.chance(0.25) };
}

async function run(task: WorkerTask): Promise<void> {
  const inputs = new Inputs(loadSeeds(), task.seed);
  const enc = new TextEncoder();
  const out = (line: string) => Deno.stdout.writeSync(enc.encode(line + "\n"));
  let stats = fresh(task.from);
  for (let i = task.from; i < task.to; i++) {
    if (task.verbose) out(`S ${i}`);
    if (i === task.sabotage?.hangAt) { for (;;) { /* a runaway input */ } }
    if (i === task.sabotage?.dieAt) Deno.exit(134);
    const { bytes, how } = inputs.get(i);
    const opts = inputOptions(task.seed, i);
    const t0 = performance.now();
    let v: Verdict;
    try {
      // Gzip goes through Reader.open, the only door that takes it.
      v = bytes[0] === 0x1f && bytes[1] === 0x8b
        ? await checkGzipInput(bytes, { ...opts, maxEvents: 200_000 })
        : checkInput(bytes, { ...opts, maxEvents: 200_000 });
    } catch (e) {
      v = { outcome: "crash", events: 0, detail: `checker: ${(e as Error)?.stack ?? e}` };
    }
    const ms = performance.now() - t0;
    stats.done++;
    stats.upTo = i + 1;
    stats.outcomes[v.outcome] = (stats.outcomes[v.outcome] ?? 0) + 1;
    stats.modes[opts.partial] = (stats.modes[opts.partial] ?? 0) + 1;
    if (v.code) stats.codes[v.code] = (stats.codes[v.code] ?? 0) + 1;
    if (ms > stats.maxMs) {
      stats.maxMs = ms;
      stats.maxMsInput = i;
    }
    const bad = v.outcome !== "ok" && v.outcome !== "error";
    if (bad || ms > task.slowMs) {
      const b: BadInput = {
        i,
        kind: bad ? v.outcome : "slow",
        how,
        mode: opts.partial,
        detail: bad ? v.detail ?? "" : `${ms.toFixed(0)} ms`,
      };
      out(`B ${JSON.stringify(b)}`);
    }
    if (stats.done >= task.chunk || i + 1 === task.to) {
      out(`C ${JSON.stringify(stats)}`);
      stats = fresh(i + 1);
    }
  }
  out("D");
}

function fresh(upTo: number): ChunkStats {
  return { upTo, done: 0, outcomes: {}, codes: {}, modes: {}, maxMs: 0, maxMsInput: -1 };
}

if (import.meta.main) await run(JSON.parse(Deno.args[0]) as WorkerTask);
