/**
 * A short tour of what the library reads from a trace: version,
 * generations, events by kind, goroutines, syscalls, GC cycles, tasks, and
 * whether the event stream is internally consistent.
 *
 * Usage: `deno task demo [--partial=MODE] [FILE]` (default
 * `testdata/demo.trace`, else the first `testdata/*.trace`).
 *
 * @module
 */

import { TraceError } from "../src/trace_error.ts";
import { TraceInput, userPath } from "./commands/io.ts";
import { parse, PARTIAL_HELP, PARTIAL_OPTION, partialOption, UsageError } from "./commands/cli.ts";
import { formatViolation, Validator } from "../src/validate/mod.ts";

const HELP = `Usage: deno task demo [options] [FILE]

Reads a Go execution trace (default: testdata/demo.trace, or the first
testdata/*.trace) and prints a short summary of what is in it.

Options:
${PARTIAL_HELP}
  -h, --help         show this help
`;

const TESTDATA = new URL("../testdata/", import.meta.url);

/** The trace to show: the argument, testdata/demo.trace, or any testdata trace. */
function pickTrace(arg: string | undefined): string | null {
  if (arg) return userPath(arg);
  const demo = new URL("demo.trace", TESTDATA);
  try {
    if (Deno.statSync(demo).isFile) return demo.pathname;
  } catch { /* fall through to any other trace */ }
  try {
    const names = [...Deno.readDirSync(TESTDATA)].map((e) => e.name).filter((n) =>
      n.endsWith(".trace")
    );
    if (names.length) return new URL(names.sort()[0], TESTDATA).pathname;
  } catch { /* no testdata directory */ }
  return null;
}

/** Summary counters, filled in one pass over the events. */
interface Summary {
  events: number;
  syncs: number;
  byKind: Map<string, number>;
  goroutines: Set<number>;
  threads: Set<number>;
  procs: Set<number>;
  syscalls: number;
  steals: number;
  gcCycles: number;
  tasks: Map<string, number>;
  regions: number;
  logs: number;
  first: number;
  last: number;
}

function summarize(ev: import("../src/events/mod.ts").Event, s: Summary): void {
  s.events++;
  if (s.events === 1) s.first = ev.time;
  s.last = ev.time;
  s.byKind.set(ev.kind, (s.byKind.get(ev.kind) ?? 0) + 1);
  if (ev.thread !== -1) s.threads.add(ev.thread);
  switch (ev.kind) {
    case "Sync":
      s.syncs++;
      break;
    case "StateTransition": {
      const t = ev.stateTransition();
      if (t.resource.kind === "Goroutine") {
        s.goroutines.add(t.resource.id);
        if (t.to === "Syscall" && t.from === "Running") s.syscalls++;
      } else {
        s.procs.add(t.resource.id);
        if (ev.typeName === "ProcSteal") s.steals++;
      }
      break;
    }
    case "RangeBegin":
      // One mark phase per GC cycle; a cycle already running shows as RangeActive.
      if (ev.range().name === "GC concurrent mark phase") s.gcCycles++;
      break;
    case "TaskBegin": {
      const type = ev.task().type;
      s.tasks.set(type, (s.tasks.get(type) ?? 0) + 1);
      break;
    }
    case "RegionBegin":
      s.regions++;
      break;
    case "Log":
      s.logs++;
      break;
  }
}

function ms(ns: number): string {
  return `${(ns / 1e6).toFixed(3)} ms`;
}

async function main(args: string[]): Promise<number> {
  let positionals, partial;
  try {
    const p = parse(args, PARTIAL_OPTION, HELP);
    if (p === null) return 0;
    if (p.positionals.length > 1) throw new UsageError("expected at most one FILE");
    positionals = p.positionals;
    partial = partialOption(p);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`demo: ${e.message}\n\n${HELP}`);
    return 2;
  }
  const file = pickTrace(positionals[0]);
  if (!file) {
    console.error("demo: no trace given and none found in testdata/");
    return 2;
  }

  const s: Summary = {
    events: 0,
    syncs: 0,
    byKind: new Map(),
    goroutines: new Set(),
    threads: new Set(),
    procs: new Set(),
    syscalls: 0,
    steals: 0,
    gcCycles: 0,
    tasks: new Map(),
    regions: 0,
    logs: 0,
    first: 0,
    last: 0,
  };
  const validator = new Validator({ strictTime: true });
  let version = 0;
  let error: TraceError | null = null;
  try {
    const input = await TraceInput.open("demo", file, partial);
    version = input.reader.version;
    await input.readAll((ev) => {
      summarize(ev, s);
      validator.event(ev);
    });
    error = input.truncated;
  } catch (e) {
    if (!(e instanceof TraceError)) throw e;
    error = e;
  }

  const size = (() => {
    try {
      return `${(Deno.statSync(file).size / 1024).toFixed(1)} KiB`;
    } catch {
      return "? KiB";
    }
  })();
  const lines: string[] = [];
  lines.push(`Trace        ${file} (${size})`);
  if (version) lines.push(`Go version   1.${version} (trace format in the header)`);
  // Every generation opens with a Sync, and one more closes the trace.
  lines.push(`Generations  ${Math.max(0, s.syncs - 1)}`);
  lines.push(`Time span    ${ms(s.last - s.first)} (${s.first} to ${s.last} ns)`);
  lines.push(`Events       ${s.events}`);
  const kinds = [...s.byKind].sort((a, b) => b[1] - a[1]);
  for (const [kind, n] of kinds) lines.push(`  ${kind.padEnd(16)} ${String(n).padStart(8)}`);
  lines.push(`Goroutines   ${s.goroutines.size} seen`);
  lines.push(`Threads      ${s.threads.size} seen, procs ${s.procs.size}`);
  lines.push(`Syscalls     ${s.syscalls} (ProcSteals: ${s.steals})`);
  lines.push(`GC cycles    ${s.gcCycles}`);
  const taskList = [...s.tasks].map(([t, n]) =>
    n > 1 ? `${JSON.stringify(t)} x${n}` : JSON.stringify(t)
  );
  const taskCount = [...s.tasks.values()].reduce((a, b) => a + b, 0);
  lines.push(`Tasks        ${taskCount}${taskList.length ? ` (${taskList.join(", ")})` : ""}`);
  lines.push(`Regions      ${s.regions}, logs ${s.logs}`);
  lines.push(
    `Consistency  ${validator.ok ? "ok" : `${validator.total} violation(s)`} (src/validate)`,
  );
  for (const v of validator.violations.slice(0, 5)) lines.push(`  ${formatViolation(v)}`);
  if (error) lines.push(`ERROR        ${error.message}`);
  console.log(lines.join("\n"));
  return error ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
