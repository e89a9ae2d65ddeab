/**
 * Tests for the event-stream Validator: hand-made event sequences with known
 * defects, and the real corpus (Go's conformance cases and real traces),
 * which must validate clean.
 */

import assert from "node:assert/strict";
import {
  formatViolation,
  validate,
  validateAsync,
  type ValidatedEvent,
  type ValidatedStack,
  Validator,
  type ValidatorOptions,
  type Violation,
} from "../../src/validate/mod.ts";
import type { Event } from "../../src/events/mod.ts";
import { Reader, readEvents } from "../../src/reader/mod.ts";
import { encodeBinary, parseText } from "../../src/wire/text.ts";
import { conformanceCases, CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { TESTDATA, testdataTraces } from "../helpers/read.ts";

// The library's Event must be accepted wherever a ValidatedEvent is.
const _eventIsValidated: (e: Event) => ValidatedEvent = (e) => e;

// ---------------------------------------------------------------------------
// Hand-made events.

/** Where an event happened: thread, proc, goroutine (default -1) and time. */
interface At {
  m?: number;
  p?: number;
  g?: number;
  t: number;
  stack?: ValidatedStack | null;
}

type Details = Record<string, unknown>;

/** A fake event: the accessor for its kind returns `details`, the others throw. */
function fake(kind: string, at: At, details: Details = {}, text = ""): ValidatedEvent {
  const only = (k: string) => () => {
    if (
      k !== kind && !(k === "range" && kind.startsWith("Range")) &&
      !(k === "task" && kind.startsWith("Task")) &&
      !(k === "region" && kind.startsWith("Region"))
    ) {
      throw new TypeError(`${k}() on a ${kind} event`);
    }
    return details;
  };
  const m = at.m ?? -1, p = at.p ?? -1, g = at.g ?? -1;
  return {
    kind,
    time: at.t,
    thread: m,
    proc: p,
    goroutine: g,
    stack: at.stack ?? null,
    stateTransition: only("StateTransition"),
    range: only("range"),
    task: only("task"),
    region: only("region"),
    log: only("Log"),
    metric: only("Metric"),
    label: only("Label"),
    sync: only("Sync"),
    toString: () => `M=${m} P=${p} G=${g} ${kind} Time=${at.t}${text}\nStack=\n`,
  } as unknown as ValidatedEvent;
}

const go = (at: At, id: number, from: string, to: string, stack: ValidatedStack | null = null) =>
  fake("StateTransition", at, {
    resource: { kind: "Goroutine", id },
    from,
    to,
    reason: "",
    stack,
  }, ` GoID=${id} ${from}->${to}`);
const proc = (at: At, id: number, from: string, to: string) =>
  fake("StateTransition", at, {
    resource: { kind: "Proc", id },
    from,
    to,
    reason: "",
    stack: null,
  }, ` ProcID=${id} ${from}->${to}`);
const sync = (t: number, n: number, clockSnapshot: Details | null = null) =>
  fake("Sync", { t }, { n, clockSnapshot }, ` N=${n}`);
const metric = (at: At, name = "/gc/heap/goal:bytes", value: unknown = 1) =>
  fake("Metric", at, { name, value });
const label = (at: At, text: string, kind: string, id: number) =>
  fake("Label", at, { label: text, resource: { kind, id } });
const range = (kind: string, at: At, name: string, scope: { kind: string; id: number }) =>
  fake(kind, at, { name, scope });
const task = (kind: string, at: At, id: number, parent: number, type: string) =>
  fake(kind, at, { id, parent, type });
const region = (kind: string, at: At, task: number, type: string) => fake(kind, at, { task, type });
const stackOf = (...funcs: string[]): ValidatedStack => ({
  frames: funcs.map((func, i) => ({ func, file: "x.go", line: 10 + i, pc: 0x1000 + i })),
});

/** On M1 with P0, running G1: what most events below happen in. */
const G1: Omit<At, "t"> = { m: 1, p: 0, g: 1 };
const at = (t: number, where: Omit<At, "t"> = G1): At => ({ ...where, t });

/** Sync, then P0 and G1 running on M1 (times 1..3). */
function prelude(): ValidatedEvent[] {
  return [
    sync(1, 1),
    proc({ m: 1, t: 2 }, 0, "Undetermined", "Running"),
    go({ m: 1, p: 0, t: 3 }, 1, "Undetermined", "Running"),
  ];
}

function check(events: ValidatedEvent[], options?: ValidatorOptions): Violation[] {
  return validate([...prelude(), ...events], options);
}

/** Asserts exactly one violation, matching `re`, on event `index` (counting the prelude). */
function assertOne(vs: Violation[], re: RegExp, index?: number): Violation {
  assert.equal(vs.length, 1, `want one violation, got:\n${vs.map(formatViolation).join("\n")}`);
  assert.match(vs[0].message, re);
  if (index !== undefined) assert.equal(vs[0].index, index);
  return vs[0];
}

// ---------------------------------------------------------------------------
// Scheduler model.

Deno.test("validate: a consistent scheduling story has no violations", () => {
  const vs = check([
    metric(at(4)),
    go(at(5), 2, "NotExist", "Runnable", stackOf("main.main")), // G1 creates G2
    go(
      at(6, { ...G1, stack: stackOf("runtime.gopark") }),
      1,
      "Running",
      "Waiting",
      stackOf("runtime.gopark"),
    ),
    go(at(7, { m: 1, p: 0 }), 2, "Runnable", "Running"),
    go(at(8, { m: 1, p: 0, g: 2 }), 2, "Running", "Syscall"),
    // Another thread takes P0 from the syscall...
    proc(at(9, { m: 2 }), 0, "Running", "Idle"),
    // ...so M1 leaves the syscall with no P, and G2 queues.
    go(at(10, { m: 1, g: 2 }), 2, "Syscall", "Runnable"),
    proc(at(11, { m: 2 }), 0, "Idle", "Running"),
    go(at(12, { m: 2, p: 0 }), 1, "Waiting", "Runnable"),
    go(at(13, { m: 2, p: 0 }), 2, "Runnable", "Running"),
    go(at(14, { m: 2, p: 0, g: 2 }), 2, "Running", "NotExist"),
    proc(at(15, { m: 2, p: 0 }), 0, "Running", "Idle"),
    sync(16, 2),
  ]);
  assert.deepEqual(vs, []);
});

Deno.test("validate: transitions must start from the previous state", () => {
  const vs = check([
    go(at(4), 1, "Running", "Waiting"),
    go(at(5, { m: 2 }), 1, "Runnable", "Waiting"),
  ]);
  assertOne(vs, /G1 goes Runnable->Waiting but its state was Waiting/, 4);
});

Deno.test("validate: a resource first seen must come from Undetermined or NotExist", () => {
  assertOne(
    check([go(at(4), 7, "Waiting", "Runnable")]),
    /first transition of G7 starts from Waiting/,
  );
  assertOne(check([proc(at(4, { m: 2 }), 3, "Idle", "Running")]), /first transition of P3/);
});

Deno.test("validate: nothing transitions to Undetermined, nor from it after the first generation", () => {
  assertOne(
    check([go(at(4, { m: 2 }), 5, "NotExist", "Undetermined")]),
    /G5 transitions to Undetermined/,
  );
  const vs = check([sync(4, 2), go(at(5, { m: 2 }), 5, "Undetermined", "Waiting")]);
  assertOne(vs, /G5 is Undetermined after the first generation/);
});

Deno.test("validate: unknown states are reported", () => {
  assertOne(check([go(at(4, { m: 2 }), 5, "NotExist", "Sleeping")]), /unknown state/);
  assertOne(check([proc(at(4, { m: 2 }), 5, "NotExist", "Runnable")]), /unknown state/);
});

Deno.test("validate: one goroutine per thread", () => {
  const vs = check([
    go(at(4), 2, "NotExist", "Runnable"),
    go(at(5), 2, "Runnable", "Running"), // G1 still runs on M1
  ]);
  assertOne(vs, /G2 becomes Running on M1, which is running G1/);
});

Deno.test("validate: one thread per goroutine", () => {
  // G1 is already running on M1; M2 reasserts it as running there too.
  const vs = check([
    proc(at(4, { m: 2 }), 1, "Undetermined", "Running"),
    go(at(5, { m: 2, p: 1 }), 1, "Running", "Running"),
  ]);
  assertOne(vs, /G1 runs on M2 while still running on M1/);
});

Deno.test("validate: one thread per proc, one proc per thread", () => {
  assertOne(
    check([proc(at(4, { m: 2 }), 0, "Running", "Running")]),
    /P0 runs on M2 while still running on M1/,
  );
  assertOne(
    check([proc(at(4), 1, "Undetermined", "Running")]),
    /P1 becomes Running on M1, which is running P0/,
  );
});

Deno.test("validate: executing resources need a thread", () => {
  assertOne(
    check([go({ t: 4 }, 9, "Undetermined", "Running")]),
    /G9 becomes Running without a thread/,
  );
});

Deno.test("validate: a goroutine is stopped only by its own thread", () => {
  const vs = check([go(at(4, { m: 2 }), 1, "Running", "Runnable")]);
  assertOne(vs, /G1 stops on M2 but was running on M1/);
});

Deno.test("validate: stopping something that is not bound to a thread", () => {
  // Running in the model only via a thread-less GoStatus (itself a violation).
  const vs = check([
    go({ t: 4 }, 9, "Undetermined", "Syscall"),
    go(at(5, { m: 3, g: -1 }), 9, "Syscall", "Runnable"),
  ]);
  assert.equal(vs.length, 2);
  assert.match(vs[1].message, /G9 stops Syscall but is not bound to any thread/);
});

Deno.test("validate: a stopping goroutine's transition stack is the event's stack", () => {
  const s = stackOf("runtime.gopark", "main.main");
  assert.deepEqual(check([go(at(4, { ...G1, stack: s }), 1, "Running", "Waiting", s)]), []);
  // An equal copy of the stack is fine too.
  assert.deepEqual(
    check([
      go(
        at(4, { ...G1, stack: s }),
        1,
        "Running",
        "Waiting",
        stackOf("runtime.gopark", "main.main"),
      ),
    ]),
    [],
  );
  assertOne(
    check([go(at(4, { ...G1, stack: s }), 1, "Running", "Waiting", stackOf("main.main"))]),
    /G1 stops with a transition stack unlike the event's stack/,
  );
});

// ---------------------------------------------------------------------------
// Event context.

Deno.test("validate: an event's goroutine is the one running on its thread", () => {
  const v = assertOne(
    check([metric(at(4, { m: 1, p: 0, g: 2 }))]),
    /names G2 but M1 is running G1/,
    3,
  );
  assert.equal(v.event, "M=1 P=0 G=2 Metric Time=4", "first line of toString only");
  assert.equal(v.time, 4);
  assertOne(check([metric(at(4, { m: 1, p: 0 }))]), /names G-1 but M1 is running G1/);
  assertOne(check([metric(at(4, { m: 5, g: 1 }))]), /M5 is running no goroutine/);
});

Deno.test("validate: an event's proc is the one its thread holds", () => {
  assertOne(check([metric(at(4, { m: 1, p: 3, g: 1 }))]), /names P3 but M1 holds P0/);
  // After a ProcStop the thread holds nothing.
  const vs = check([
    go(at(4), 1, "Running", "Runnable"),
    proc(at(5, { m: 1, p: 0 }), 0, "Running", "Idle"),
    metric(at(6, { m: 1, p: 0 })),
  ]);
  assertOne(vs, /names P0 but M1 holds no proc/, 5);
});

Deno.test("validate: context after a ProcSteal", () => {
  const base = [
    go(at(4), 1, "Running", "Syscall"),
    proc(at(5, { m: 2 }), 0, "Running", "Idle"), // M2 steals P0 from M1
  ];
  // M1 no longer holds P0.
  assert.deepEqual(check([...base, go(at(6, { m: 1, g: 1 }), 1, "Syscall", "Runnable")]), []);
  assertOne(check([...base, metric(at(6))]), /names P0 but M1 holds no proc/);
});

Deno.test("validate: the event right after a self-steal may still name the proc", () => {
  // GoDestroySyscall implies a self-ProcSteal that the reader emits first.
  const steal = [go(at(4), 1, "Running", "Syscall"), proc(at(5), 0, "Running", "Idle")];
  assert.deepEqual(check([...steal, go(at(6), 1, "Syscall", "NotExist")]), []);
  // Only that event, and only right after the steal.
  assertOne(check([...steal, metric(at(6))]), /names P0 but M1 holds no proc/, 5);
  const later = [...steal, metric(at(6, { m: 1, g: 1 })), go(at(7), 1, "Syscall", "NotExist")];
  assertOne(check(later), /names P0 but M1 holds no proc/, 6);
});

Deno.test("validate: a status for a goroutine in a syscall on another thread keeps the writer's P", () => {
  // M1 (holding P0) reports that G7 sits in a syscall on M9.
  assert.deepEqual(check([go(at(4, { m: 9, p: 0 }), 7, "Undetermined", "Syscall")]), []);
});

Deno.test("validate: StackSample and thread-less events skip context checks", () => {
  assert.deepEqual(
    check([
      fake("StackSample", at(4, { m: 1, p: 4, g: 8 })),
      go({ t: 5 }, 3, "Undetermined", "Waiting"),
    ]),
    [],
  );
});

// ---------------------------------------------------------------------------
// Time, syncs, stacks, strings.

Deno.test("validate: timestamps must not go backwards", () => {
  const vs = check([metric(at(10)), metric(at(9)), metric(at(11))]);
  assertOne(vs, /timestamp went backwards: 9 after 10/, 4);
  assert.deepEqual(check([metric(at(10)), metric(at(10))]), []);
  assertOne(check([metric(at(10)), metric(at(10))], { strictTime: true }), /did not increase/);
  assertOne(check([metric(at(Number.NaN))]), /not a finite number/);
});

Deno.test("validate: sync events are numbered 1, 2, 3...", () => {
  assertOne(check([sync(4, 3)]), /sync number 3 does not follow 1/);
  assertOne(validate([sync(1, 2)]), /sync number 2 does not follow 0/);
});

Deno.test("validate: clock snapshots are non-zero and increase", () => {
  const snap = (trace: number, mono: number, wallSec: number, wallNsec: number) => ({
    trace,
    mono,
    wallSec,
    wallNsec,
    wall: "ignored when wallSec is there",
  });
  const ok = [
    sync(1, 1, snap(1, 100, 1700000000, 5)),
    sync(2, 2, snap(2, 200, 1700000000, 6)),
    sync(3, 3),
  ];
  assert.deepEqual(validate(ok, { requireClockSnapshot: true }), []);
  const vs = validate([
    sync(1, 1, snap(5, 100, 1700000000, 5)),
    sync(2, 2, snap(4, 0, 1700000000, 5)),
  ]);
  assert.deepEqual(vs.map((v) => v.message), [
    "sync 2 trace clock did not increase: 4 after 5",
    "sync 2 has a zero or missing mono clock",
    "sync 2 wall clock did not increase: 1700000000000000005 after 1700000000000000005",
  ]);
  assert.equal(
    validate([sync(1, 1, snap(5, 100, 1, 0)), sync(2, 2, snap(4, 50, 0, 9))], {
      skipClockChecks: true,
    }).length,
    0,
  );
  assertOne(validate([sync(1, 1)], { requireClockSnapshot: true }), /sync 1 has no clock snapshot/);
  // RFC 3339 text keeps its nanoseconds.
  const wall = (w: string, t: number) => ({ trace: t, mono: t, wall: w });
  assert.deepEqual(
    validate([
      sync(1, 1, wall("2026-11-24T04:18:09.508705487Z", 1)),
      sync(2, 2, wall("2026-11-24T04:18:09.508705488Z", 2)),
    ]),
    [],
  );
  assertOne(
    validate([
      sync(1, 1, wall("2026-11-24T04:18:09.5087054Z", 1)),
      sync(2, 2, wall("2026-11-24T04:18:09.50870539Z", 2)),
    ]),
    /wall clock did not increase/,
  );
});

Deno.test("validate: stack frames must resolve", () => {
  const frames = [
    { func: "", file: "", line: 0, pc: 0 }, // a blank first frame is tolerated
    { func: "main.f", file: "f.go", line: 3, pc: 0x10 },
    { func: "", file: "g.go", line: 0, pc: 0x20 },
  ];
  const vs = check([metric(at(4, { ...G1, stack: { frames } }))]);
  assertOne(vs, /event stack frame 2 \(pc 0x20\) is missing its function, line/);
  const tr = check([go(at(4), 2, "NotExist", "Runnable", { frames: [frames[1], frames[2]] })]);
  assertOne(tr, /transition stack frame 1/);
  const first = [{ func: undefined as unknown as string, file: "a.go", line: 1, pc: 0x30 }];
  assertOne(
    check([metric(at(4, { ...G1, stack: { frames: first } }))]),
    /frame 0 .* missing its function/,
  );
});

Deno.test("validate: metrics, labels and logs", () => {
  assertOne(check([metric(at(4), "gomaxprocs")]), /invalid metric name "gomaxprocs"/);
  assertOne(check([metric(at(4), "/x:bytes", null)]), /has no value/);
  assert.deepEqual(check([label(at(4), "GC (dedicated)", "Goroutine", 1)]), []);
  assertOne(check([label(at(4), "", "Goroutine", 1)]), /invalid label ""/);
  assertOne(check([label(at(4), "x", "Goroutine", 42)]), /unknown resource Goroutine\(42\)/);
  assertOne(check([label(at(4), "x", "None", 0)]), /unknown resource None/);
  assert.deepEqual(check([fake("Log", at(4), { task: 0, category: "", message: "hi" })]), []);
  assertOne(
    check([fake("Log", at(4), { task: 0, category: undefined, message: "hi" })]),
    /did not resolve/,
  );
  assertOne(check([fake("Bogus", at(4))]), /unknown event kind "Bogus"/);
});

// ---------------------------------------------------------------------------
// Ranges, regions, tasks.

Deno.test("validate: ranges begin before they end, per scope and name", () => {
  const gc = { kind: "None", id: 0 };
  const g1 = { kind: "Goroutine", id: 1 };
  assert.deepEqual(
    check([
      range("RangeBegin", at(4), "GC concurrent mark phase", gc),
      range("RangeBegin", at(5), "GC mark assist", g1),
      range("RangeEnd", at(6), "GC mark assist", g1),
      range("RangeEnd", at(7), "GC concurrent mark phase", gc),
      range("RangeActive", at(8), "GC mark assist", g1), // began before the generation
      range("RangeEnd", at(9), "GC mark assist", g1),
    ]),
    [],
  );
  assertOne(
    check([range("RangeEnd", at(4), "GC mark assist", g1)]),
    /"GC mark assist" on Goroutine\(1\) ended but not active/,
  );
  assertOne(
    check([
      range("RangeBegin", at(4), "GC concurrent mark phase", gc),
      range("RangeBegin", at(5), "GC concurrent mark phase", gc),
    ]),
    /begun again/,
  );
  // Same name, different scopes: independent.
  assert.deepEqual(
    check([
      range("RangeBegin", at(4), "x", g1),
      range("RangeBegin", at(5), "x", { kind: "Proc", id: 0 }),
    ]),
    [],
  );
  assertOne(check([range("RangeBegin", at(4), "", g1)]), /invalid name/);
});

Deno.test("validate: a goroutine or proc may not die inside a range", () => {
  const vs = check([
    range("RangeBegin", at(4), "GC mark assist", { kind: "Goroutine", id: 1 }),
    go(at(5), 1, "Running", "NotExist"),
  ]);
  assertOne(vs, /G1 ceased to exist with active ranges/);
});

Deno.test("validate: regions nest per goroutine", () => {
  assert.deepEqual(
    check([
      region("RegionEnd", at(4), 1, "begun before the trace"), // tolerated
      region("RegionBegin", at(5), 1, "outer"),
      region("RegionBegin", at(6), 1, "inner"),
      region("RegionEnd", at(7), 1, "inner"),
      region("RegionEnd", at(8), 1, "outer"),
      region("RegionBegin", at(9), 0, "left open"),
    ]),
    [],
  );
  const vs = check([
    region("RegionBegin", at(4), 1, "outer"),
    region("RegionBegin", at(5), 1, "inner"),
    region("RegionEnd", at(6), 1, "outer"),
    region("RegionEnd", at(7), 1, "x"), // the stack resynchronised on "outer": now empty
  ]);
  assertOne(vs, /region "outer" \(task 1\) ends on G1 inside "inner" \(task 1\)/, 5);
  assertOne(check([region("RegionBegin", at(4, { m: 3 }), 1, "r")]), /outside any goroutine/);
});

Deno.test("validate: regions of different goroutines are independent", () => {
  const vs = check([
    region("RegionBegin", at(4), 0, "a"),
    go(at(5), 1, "Running", "Runnable"),
    go(at(6, { m: 1, p: 0 }), 2, "NotExist", "Runnable"),
    go(at(7, { m: 1, p: 0 }), 2, "Runnable", "Running"),
    region("RegionBegin", at(8, { m: 1, p: 0, g: 2 }), 0, "b"),
    region("RegionEnd", at(9, { m: 1, p: 0, g: 2 }), 0, "b"),
  ]);
  assert.deepEqual(vs, []);
});

Deno.test("validate: tasks", () => {
  assert.deepEqual(
    check([
      task("TaskBegin", at(4), 1, -1, "t"),
      task("TaskBegin", at(5), 2, 1, "child"),
      task("TaskEnd", at(6), 2, 1, "child"),
      task("TaskEnd", at(7), 1, -1, "t"),
      task("TaskEnd", at(8), 1, -1, ""), // ended again: nothing known about it
      task("TaskEnd", at(9), 9, -1, ""), // begun before the trace
    ]),
    [],
  );
  assertOne(check([task("TaskBegin", at(4), 0, -1, "t")]), /has invalid id 0/);
  assertOne(check([task("TaskBegin", at(4), -1, -1, "t")]), /has invalid id -1/);
  assertOne(check([task("TaskBegin", at(4), 3, 0, "t")]), /background task as its parent/);
  assertOne(
    check([task("TaskBegin", at(4), 3, -1, "t"), task("TaskBegin", at(5), 3, -1, "t")]),
    /begun again/,
  );
  assertOne(
    check([task("TaskBegin", at(4), 3, -1, "t"), task("TaskEnd", at(5), 3, -1, "u")]),
    /task 3 ends as type "u" parent -1, but began as type "t" parent -1/,
  );
  assertOne(
    check([task("TaskEnd", at(4), 3, -1, "t")]),
    /ends without having begun, yet claims a type/,
  );
});

// ---------------------------------------------------------------------------
// The Validator object.

Deno.test("Validator: streaming use, per-event results and the limit", () => {
  const v = new Validator({ limit: 2 });
  for (const ev of prelude()) assert.deepEqual(v.event(ev), []);
  assert.equal(v.ok, true);
  const bad = v.event(metric(at(4, { m: 1, p: 7, g: 9 })));
  assert.equal(bad.length, 2); // wrong G and wrong P
  v.event(metric(at(5, { m: 1, p: 7, g: 9 })));
  assert.equal(v.count, 5);
  assert.equal(v.total, 4);
  assert.equal(v.violations.length, 2, "only `limit` are kept");
  assert.equal(v.ok, false);
  assert.match(
    formatViolation(v.violations[0]),
    /^event 3 @4: event names G9 but M1 is running G1\n\tM=1 P=7 G=9 Metric Time=4$/,
  );
});

Deno.test("validateAsync consumes an async source", async () => {
  async function* events() {
    yield* prelude();
    yield metric(at(2));
  }
  const vs = await validateAsync(events());
  assertOne(vs, /timestamp went backwards/);
});

Deno.test("validate: legacy mode relaxes what old traces cannot say", () => {
  const old = [
    sync(1, 1),
    go({ t: 2, p: 0, g: 17 }, 17, "Undetermined", "Syscall"), // no thread known
    proc({ m: 0, p: 0, t: 3 }, 0, "Undetermined", "Running"), // "after" context
    task("TaskBegin", { m: 0, p: 0, t: 4 }, 1, -1, "t"),
    task("TaskEnd", { m: 0, p: 0, t: 5 }, 1, 0, "t"), // parent not repeated
  ];
  assert.deepEqual(validate(old).map((v) => v.message), [
    "G17 becomes Syscall without a thread",
    "event names P0 but M0 holds no proc",
    'task 1 ends as type "t" parent 0, but began as type "t" parent -1',
  ]);
  assert.deepEqual(validate(old, { legacy: true }), []);
});

// ---------------------------------------------------------------------------
// The corpus: everything the reader produces from real input is consistent.

Deno.test("validate: every SUCCESS conformance case validates clean", () => {
  const cases = conformanceCases().filter((c) => c.failure === null);
  if (!corpusAvailable()) return;
  assert.ok(cases.length > 10, `only ${cases.length} SUCCESS cases`);
  for (const c of cases) {
    const events = readEvents(encodeBinary(parseText(c.trace)));
    const vs = validate(events, { strictTime: true });
    assert.deepEqual(vs.map(formatViolation), [], c.name);
  }
});

Deno.test("validate: every testdata trace that should read validates clean", async () => {
  const names = testdataTraces().filter((n) => !n.startsWith("fail-"));
  assert.ok(names.length > 0, "no testdata/*.trace");
  for (const name of names) {
    const v = new Validator({ strictTime: true });
    for await (const ev of await Reader.open(new URL(name, TESTDATA))) v.event(ev);
    assert.deepEqual(v.violations.map(formatViolation), [], name);
  }
});

const REAL_VERSIONS = ["go1.22", "go1.23", "go1.25"];

function realTraces(): string[] {
  if (!corpusAvailable()) return [];
  const out: string[] = [];
  for (const v of REAL_VERSIONS) {
    const dir = `${CORPUS_DIR}/real/${v}`;
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.endsWith(".trace")) out.push(`${dir}/${e.name}`);
    }
  }
  return out.sort();
}

Deno.test("validate: every real go1.22, go1.23 and go1.25 trace validates clean", async (t) => {
  const files = realTraces();
  if (files.length === 0) {
    console.warn(`*** SKIPPED: no real traces under ${CORPUS_DIR}/real`);
    return;
  }
  for (const file of files) {
    const name = file.slice(CORPUS_DIR.length + "/real/".length);
    await t.step(name, async () => {
      const v = new Validator({
        strictTime: true,
        requireClockSnapshot: name.startsWith("go1.25"),
      });
      for await (const ev of await Reader.open(file)) v.event(ev);
      assert.ok(v.count > 2, `${name}: only ${v.count} events`);
      assert.deepEqual(v.violations.map(formatViolation), [], `${name}: ${v.total} violations`);
    });
  }
});

Deno.test("validate: the corpus check is not vacuous (corrupted real events are caught)", () => {
  const file = realTraces().find((f) => f.endsWith("go1.25/stress.trace"));
  if (!file) return;
  const events = readEvents(Deno.readFileSync(file));
  // Deterministic picks of events that have a thread.
  const picks = events.map((e, i) => [e, i] as const)
    .filter(([e]) => e.thread !== -1 && e.kind !== "StackSample")
    .filter((_, j) => j % 9973 === 0);
  assert.ok(picks.length >= 5);
  for (const [ev, i] of picks) {
    for (
      const change of [{ goroutine: ev.goroutine + 1 }, { proc: ev.proc + 1 }, {
        time: ev.time - 1e6,
      }]
    ) {
      const bad = Object.assign(Object.create(Object.getPrototypeOf(ev)), ev, change);
      const copy = events.slice();
      copy[i] = bad;
      const vs = validate(copy);
      assert.ok(
        vs.some((v) => v.index === i),
        `${JSON.stringify(change)} at ${i} (${ev}) not caught`,
      );
    }
  }
});
