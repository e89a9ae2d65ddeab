/**
 * Preload for `deno task repl`: the whole library as `gotrace`, and a few
 * helpers on the current trace. Evaluated by `deno repl --eval-file`, so
 * every top-level name here is in scope at the prompt. The REPL resolves
 * imports from its working directory, not from this file, so the library
 * is imported from the repository root (where `deno task` runs).
 *
 * @module
 */

import type * as Gotrace from "../mod.ts";
import type {
  EventFilter,
  GoroutineTimelineOptions,
  Stepper,
  SyscallListOptions,
  TraceView,
} from "../mod.ts";

const gotrace: typeof Gotrace = await import(new URL("mod.ts", `file://${Deno.cwd()}/`).href);
// Paths typed at the prompt are relative to where the user ran `deno task repl`.
const { userPath }: typeof import("./commands/paths.ts") = await import(
  new URL("scripts/commands/paths.ts", `file://${Deno.cwd()}/`).href
);

const REPL_HELP = `gotrace REPL — everything is in \`gotrace\`; on the current trace:
  const t = await open("testdata/demo.trace")   open a trace (path or gzip): now current
  summary()       the trace at a glance       goroutines()   who they are
  top(10)         busiest goroutines          syscalls({ longest: true, minDuration: 1e6 })
  steals()        Ps stolen from syscalls     events({ kinds: ["ProcSteal"], goroutine: 7 })
  timeline({ from, to, goroutines: [7] })     procs() / threads()  P and M timelines
  stepper         a Stepper at the start: stepper.step(), stepper.frontier(), stepper.explain()
  help()          this text`;

/** The trace the helpers work on. */
let current: TraceView | null = null;
/** A stepper over the current trace (reset by `open`). */
let stepper: Stepper | null = null;

function need(): TraceView {
  if (!current) throw new Error('no trace open: const t = await open("testdata/demo.trace")');
  return current;
}

/** Opens a trace (a path relative to the user's directory) and makes it current. */
async function open(path: string): Promise<TraceView> {
  current = await gotrace.openTrace(userPath(path));
  stepper = current.stepper();
  return current;
}

/** Prints the help. */
function help(): void {
  console.log(REPL_HELP);
}

const summary = () => need().summary();
const goroutines = () => need().goroutines();
const top = (n = 10) => need().top(n);
const syscalls = (opts: SyscallListOptions = {}) => need().syscalls(opts);
const steals = () => need().steals();
const events = (filter: EventFilter = {}, max = 50) => need().eventTable(filter, max);
const timeline = (opts: GoroutineTimelineOptions = {}) => need().timeline(opts);
const procs = (opts: GoroutineTimelineOptions = {}) => need().procTimeline(opts);
const threads = (opts: GoroutineTimelineOptions = {}) => need().threadTimeline(opts);

// Referenced once so that linters see them used; they are for the prompt.
void [open, help, summary, goroutines, top, syscalls, steals, events, timeline, procs, threads];
void stepper;

console.log(REPL_HELP);
