// Tasks and regions, GC and metrics, mutator utilization and MMU, CPU
// samples, on hand-made traces (see fixtures.ts).
import assert from "node:assert/strict";
import { descendants, TaskAnalysis, type TaskResult } from "../../src/queries/tasks.ts";
import { GCAnalysis, type GCResult, valueAt } from "../../src/queries/gc.ts";
import { mmu, mmuTable, MutatorUtilization, type UtilOptions } from "../../src/queries/mmu.ts";
import { CPUProfileAnalysis, type CPUProfileOptions } from "../../src/queries/cpu.ts";
import { TraceBuilder } from "../../src/wire/builder.ts";
import { WireGoStatus, WireProcStatus } from "../../src/wire/spec.ts";
import { summarize } from "../../src/queries/summary.ts";
import { annotations, cpu, events, fr, gc, lifecycle, S } from "./fixtures.ts";

function tasks(t: TraceBuilder): TaskResult {
  const a = new TaskAnalysis();
  for (const ev of events(t)) a.event(ev);
  return a.result();
}

function gcOf(t: TraceBuilder): GCResult {
  const a = new GCAnalysis();
  for (const ev of events(t)) a.event(ev);
  return a.result();
}

function util(t: TraceBuilder, opts?: UtilOptions) {
  const a = new MutatorUtilization(opts);
  for (const ev of events(t)) a.event(ev);
  return a.result();
}

function profile(t: TraceBuilder, opts?: CPUProfileOptions) {
  const a = new CPUProfileAnalysis(opts);
  for (const ev of events(t)) a.event(ev);
  return a.result();
}

/** A go1.22 trace on one M: G1 runs and annotates, with `body` adding events from 200 on. */
function annotated(body: (b: ReturnType<ReturnType<TraceBuilder["generation"]>["batch"]>) => void) {
  const t = new TraceBuilder(22);
  const b = t.generation(1).batch(0, 100)
    .at(110).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
    .at(120).event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running });
  body(b);
  return t;
}

Deno.test("tasks: tree, logs and regions of the annotations trace", () => {
  const { tasks: ts, regions, roots } = tasks(annotations());
  assert.deepEqual(
    regions.map((
      r,
    ) => [r.index, r.name, r.goroutine, r.task, r.start, r.end, r.duration, r.depth, r.parent]),
    [
      [0, "early", 1, 0, null, 130, 30, 0, -1],
      [1, "outer", 1, 1, 300, 500, 200, 0, -1],
      [2, "inner", 1, 1, 310, 400, 90, 1, 1],
      [3, "child", 7, 1, 630, null, 71, 0, -1],
    ],
  );
  assert.deepEqual(
    ts.map((t) => [t.id, t.name, t.parent, t.start, t.end, t.complete, t.duration]),
    [
      [0, "", -1, null, null, false, 601],
      [1, "order", -1, 200, 600, true, 400],
      [2, "", -1, null, null, false, 601],
    ],
  );
  assert.deepEqual(ts[1].regions, [1, 2, 3]);
  assert.deepEqual(ts[1].goroutines, [1, 7]);
  assert.deepEqual(ts[1].logs, [
    { time: 210, goroutine: 1, task: 1, category: "step", message: "start" },
  ]);
  assert.deepEqual(ts[2].logs.map((l) => [l.goroutine, l.category, l.message]), [[
    7,
    "orphan",
    "x",
  ]]);
  assert.deepEqual(ts[0].regions, [0]);
  assert.deepEqual(roots, [0, 1, 2]);
});

Deno.test("tasks: parents, children and descendants", () => {
  const { tasks: ts, roots } = tasks(
    annotated((b) =>
      b.at(200).event("UserTaskBegin", { task: 1, parent_task: 0, name_string: "a", stack: 0 })
        .at(210).event("UserTaskBegin", { task: 2, parent_task: 1, name_string: "b", stack: 0 })
        .at(220).event("UserTaskBegin", { task: 3, parent_task: 2, name_string: "c", stack: 0 })
        .at(230).event("UserTaskBegin", { task: 4, parent_task: 1, name_string: "d", stack: 0 })
        .at(300).event("UserTaskEnd", { task: 3, stack: 0 })
        .at(310).event("UserTaskEnd", { task: 9, stack: 0 }) // began before the trace
    ),
  );
  assert.deepEqual(ts.map((t) => [t.id, t.name, t.parent, t.children, t.complete]), [
    [1, "a", -1, [2, 4], false],
    [2, "b", 1, [3], false],
    [3, "c", 2, [], true],
    [4, "d", 1, [], false],
    [9, "", -1, [], false],
  ]);
  assert.deepEqual(roots, [1, 9]);
  assert.deepEqual(descendants(ts, 1).map((t) => t.id), [1, 2, 3, 4]);
  assert.deepEqual(descendants(ts, 2).map((t) => t.id), [2, 3]);
  assert.deepEqual(descendants(ts, 42), []);
  assert.equal(ts.find((t) => t.id === 3)!.duration, 80);
  assert.equal(ts.find((t) => t.id === 9)!.duration, 210); // trace start (100) to its end
});

Deno.test("tasks: nested regions on two goroutines", () => {
  const { regions } = tasks(
    annotated((b) =>
      b.at(200).event("UserRegionBegin", { task: 0, name_string: "a", stack: 0 })
        .at(210).event("UserRegionBegin", { task: 0, name_string: "b", stack: 0 })
        .at(220).event("UserRegionBegin", { task: 0, name_string: "c", stack: 0 })
        .at(230).event("UserRegionEnd", { task: 0, name_string: "c", stack: 0 })
        .at(240).event("UserRegionBegin", { task: 0, name_string: "d", stack: 0 })
        .at(250).event("GoCreate", { new_g: 2, new_stack: S.workerEntry, stack: 0 })
        .at(260).event("GoBlock", { reason_string: "sleep", stack: S.sleep })
        .at(270).event("GoStart", { g: 2, g_seq: 1 })
        .at(280).event("UserRegionBegin", { task: 0, name_string: "e", stack: 0 })
        .at(290).event("UserRegionEnd", { task: 0, name_string: "e", stack: 0 })
    ),
  );
  assert.deepEqual(
    regions.map((r) => [r.name, r.goroutine, r.depth, r.parent, r.end, r.duration]),
    [
      ["a", 1, 0, -1, null, 91],
      ["b", 1, 1, 0, null, 81],
      ["c", 1, 2, 1, 230, 10],
      ["d", 1, 2, 1, null, 51],
      ["e", 2, 0, -1, 290, 10],
    ],
  );
});

Deno.test("gc: a cycle with its two pauses, metrics and assist time", () => {
  const r = gcOf(gc());
  assert.equal(r.cycles.length, 1);
  const c = r.cycles[0];
  assert.deepEqual([c.seq, c.start, c.end, c.duration, c.stwTime], [1, 210, 510, 300, 40]);
  assert.deepEqual(
    r.stw.map((s) => [s.kind, s.gc, s.start, s.end, s.duration, s.goroutine, s.cycle]),
    [
      ["GC sweep termination", true, 200, 220, 20, 1, 1],
      ["GC mark termination", true, 500, 520, 20, 1, 1],
    ],
  );
  assert.deepEqual(c.stw, r.stw);
  assert.equal(r.gcSTWTime, 40);
  assert.equal(r.markAssistTime, 50);
  assert.equal(r.sweepTime, 0);
  assert.deepEqual(r.metrics.heapLive, [{ time: 140, value: 1000 }, { time: 530, value: 1500 }]);
  assert.deepEqual(r.metrics.heapGoal, [{ time: 150, value: 4000 }]);
  assert.deepEqual(r.metrics.gomaxprocs, [{ time: 130, value: 2 }]);
  assert.deepEqual(r.metrics.goroutines, [{ time: 120, value: 1 }, { time: 305, value: 2 }]);
  assert.deepEqual(Object.keys(r.metrics.byName).sort(), [
    "/gc/heap/goal:bytes",
    "/memory/classes/heap/objects:bytes",
    "/sched/gomaxprocs:threads",
  ]);
  assert.equal(valueAt(r.metrics.heapLive, 529), 1000);
  assert.equal(valueAt(r.metrics.heapLive, 530), 1500);
  assert.equal(valueAt(r.metrics.heapLive, 139), null);
});

Deno.test("gc: a non-GC pause, sweeping, and goroutines coming and going", () => {
  const r = gcOf(
    annotated((b) =>
      b.at(200).event("STWBegin", { kind_string: "start trace", stack: 0 })
        .at(230).event("STWEnd")
        .at(240).event("GCSweepBegin", { stack: 0 })
        .at(265).event("GCSweepEnd", { swept_value: 10, reclaimed_value: 5 })
        .at(270).event("GoCreate", { new_g: 2, new_stack: S.workerEntry, stack: 0 })
        .at(280).event("GoCreate", { new_g: 3, new_stack: S.workerEntry, stack: 0 })
        .at(290).event("GoDestroy")
    ),
  );
  assert.deepEqual(r.stw.map((s) => [s.kind, s.gc, s.duration, s.cycle]), [
    ["start trace", false, 30, null],
  ]);
  assert.equal(r.gcSTWTime, 0);
  assert.equal(r.sweepTime, 25);
  assert.deepEqual(r.cycles, []);
  assert.deepEqual(r.metrics.goroutines.map((p) => [p.time, p.value]), [
    [120, 1],
    [270, 2],
    [280, 3],
    [290, 2],
  ]);
});

Deno.test("gc: a cycle already running at the trace start, still running at its end", () => {
  const r = gcOf(annotated((b) =>
    b.at(200).event("GCActive", { gc_seq: 7 })
      .at(300).event("STWBegin", { kind_string: "GC mark termination", stack: 0 })
  ));
  assert.deepEqual(r.cycles.map((c) => [c.seq, c.start, c.end, c.duration, c.stwTime]), [
    [7, null, null, 201, 1], // trace start 100 to end 301; the pause 300..301
  ]);
  assert.deepEqual(r.stw.map((s) => [s.start, s.end, s.duration, s.cycle]), [[300, null, 1, 7]]);
});

Deno.test("mmu: utilization series of the GC trace", () => {
  const [series, ...rest] = util(gc());
  assert.equal(rest.length, 0);
  assert.deepEqual(series.map((u) => [u.time, u.util]), [
    [130, 1],
    [200, 0],
    [220, 1],
    [320, 0.5],
    [400, 1],
    [420, 0.5],
    [470, 1],
    [500, 0],
    [520, 1],
    [601, 0],
  ]);
  const all = [series];
  assert.equal(mmu(all, 10), 0);
  assert.equal(mmu(all, 20), 0);
  assert.equal(mmu(all, 40), 0.5); // half a pause and half of full use
  // The whole trace (and any longer window): 366 ns of mutator time in 471.
  assert.ok(Math.abs(mmu(all, 471) - 366 / 471) < 1e-12);
  assert.ok(Math.abs(mmu(all, 1e9) - 366 / 471) < 1e-12);
  assert.equal(mmu(all, 0), 0);
  assert.deepEqual(Object.keys(mmuTable(all)), ["100µs", "1ms", "10ms", "100ms"]);
});

Deno.test("mmu: what counts against the mutator is configurable", () => {
  const noSTW = util(gc(), { stw: false })[0];
  assert.deepEqual(noSTW.map((u) => [u.time, u.util]), [
    [130, 1],
    [320, 0.5],
    [400, 1],
    [420, 0.5],
    [470, 1],
    [601, 0],
  ]);
  const stwOnly = util(gc(), { background: false, assist: false, sweep: false })[0];
  assert.deepEqual(stwOnly.map((u) => [u.time, u.util]), [
    [130, 1],
    [200, 0],
    [220, 1],
    [500, 0],
    [520, 1],
    [601, 0],
  ]);
  // Per P: P0 carries the mark assist, P1 (idle) only the pauses.
  const perP = util(gc(), { perProc: true });
  assert.equal(perP.length, 2);
  assert.deepEqual(perP[1].map((u) => [u.time, u.util]), [
    [130, 1],
    [200, 0],
    [220, 1],
    [500, 0],
    [520, 1],
    [601, 0],
  ]);
  // Per P, a dedicated worker does not count (it has the P to itself); the assist does.
  assert.deepEqual(perP[0].map((u) => [u.time, u.util]), [
    [130, 1],
    [200, 0],
    [220, 1],
    [420, 0],
    [470, 1],
    [500, 0],
    [520, 1],
    [601, 0],
  ]);
  // Worst 80 ns on P0: 420..500, the 50 ns assist then 30 ns of mutator.
  assert.equal(mmu(perP, 80), 30 / 80);
});

Deno.test("mmu: no GOMAXPROCS, no series; synthetic series", () => {
  assert.deepEqual(util(lifecycle()), []);
  assert.deepEqual(mmuTable([]), {});
  const s = [
    { time: 0, util: 1 },
    { time: 2e6, util: 0 },
    { time: 3e6, util: 1 },
    { time: 10e6, util: 0 },
  ];
  assert.equal(mmu([s], 1e6), 0);
  assert.equal(mmu([s], 2e6), 0.5);
  assert.ok(Math.abs(mmu([s], 10e6) - 0.9) < 1e-12);
  assert.ok(Math.abs(mmu([s], 4e6) - 0.75) < 1e-12);
});

Deno.test("cpu: functions and stacks over two generations", () => {
  const p = profile(cpu());
  assert.equal(p.samples, 6);
  assert.deepEqual(p.functions.map((f) => [f.func, f.self, f.cumulative]), [
    ["main.checksum", 3, 3],
    ["main.verify", 2, 5],
    ["runtime.scanobject", 1, 1],
    ["main.main", 0, 5],
  ]);
  assert.deepEqual(p.cumulative.map((f) => [f.func, f.cumulative, f.self]), [
    ["main.verify", 5, 2],
    ["main.main", 5, 0],
    ["main.checksum", 3, 3],
    ["runtime.scanobject", 1, 1],
  ]);
  assert.deepEqual(p.stacks.map((s) => [s.stack.map((f) => f.func).join(" < "), s.count]), [
    ["main.checksum < main.verify < main.main", 3],
    ["main.verify < main.main", 2],
    ["runtime.scanobject", 1],
  ]);
  assert.equal(p.functions[0].selfFraction, 0.5);
  assert.deepEqual(p.byGoroutine, { "-1": 1, 1: 5 });
});

Deno.test("cpu: top N, and traces without samples", () => {
  const p = profile(cpu(), { top: 1 });
  assert.deepEqual(p.functions.map((f) => f.func), ["main.checksum"]);
  assert.deepEqual(p.cumulative.map((f) => f.func), ["main.verify"]);
  assert.equal(p.stacks.length, 1);
  const none = profile(lifecycle());
  assert.deepEqual(none, {
    samples: 0,
    functions: [],
    cumulative: [],
    stacks: [],
    byGoroutine: {},
  });
});

Deno.test("cpu: recursion counts once per sample; samples by goroutine", () => {
  const fib = [fr("main.fib"), fr("main.fib"), fr("main.fib"), fr("main.main")];
  const t = new TraceBuilder(22);
  const gen = t.generation(1);
  gen.batch(0, 100)
    .at(110).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
    .at(120).event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running })
    .at(200).event("GoBlock", { reason_string: "sleep", stack: S.sleep });
  gen.cpuSample({ time: 130, m: 0, p: 0, g: 1, stack: fib });
  gen.cpuSample({ time: 140, m: 0, p: 0, g: 1, stack: fib });
  gen.cpuSample({ time: 150, m: 0, p: 0, g: 2, stack: [fr("main.fib"), fr("main.main")] });
  const p = profile(t);
  assert.equal(p.samples, 3);
  assert.deepEqual(p.functions.map((f) => [f.func, f.self, f.cumulative]), [
    ["main.fib", 3, 3],
    ["main.main", 0, 3],
  ]);
  assert.equal(p.functions[0].cumulativeFraction, 1);
  assert.deepEqual(p.stacks.map((s) => [s.stack.length, s.count]), [[4, 2], [2, 1]]);
  assert.deepEqual(p.byGoroutine, { 1: 2, 2: 1 });
});

Deno.test("summary: the GC trace, range times and the MMU table", async () => {
  const s = await summarize(gc().toBytes());
  assert.equal(s.tasks, null);
  assert.deepEqual(s.goroutines.map((g) => g.id), [1, 9]);
  const [g1, g9] = s.goroutines;
  assert.deepEqual(g1.rangeTime, {
    "stop-the-world (GC sweep termination)": 20,
    "stop-the-world (GC mark termination)": 20,
    "GC mark assist": 50,
  });
  assert.deepEqual(
    [g1.execTime, g1.schedWaitTime, g1.blockTimeByReason, g1.totalTime],
    [370, 110, { sleep: 1 }, 501],
  );
  assert.deepEqual(
    [g9.name, g9.execTime, g9.schedWaitTime, g9.blockTimeByReason, g9.totalTime, g9.creationTime],
    ["runtime.gcBgMarkWorker", 90, 5, { "GC worker (idle)": 201 }, 296, 305],
  );
  // Every window is longer than the trace (471 ns of utilization data): the whole-trace mean.
  assert.deepEqual(Object.keys(s.mmu), ["100µs", "1ms", "10ms", "100ms"]);
  for (const v of Object.values(s.mmu)) assert.ok(Math.abs(v - 366 / 471) < 1e-12);
  // Without GOMAXPROCS there is no utilization: `{}` as in the reference.
  assert.deepEqual((await summarize(lifecycle().toBytes())).mmu, {});
});

Deno.test("summary: tasks in the reference's shape", async () => {
  const s = await summarize(annotations().toBytes());
  assert.deepEqual(s.tasks, [
    { id: 0, name: "", parent: 0, complete: false, logs: 0, regions: 1, goroutines: 1 },
    { id: 1, name: "order", parent: 0, complete: true, logs: 1, regions: 3, goroutines: 2 },
    { id: 2, name: "", parent: 0, complete: false, logs: 1, regions: 0, goroutines: 1 },
  ]);
  assert.deepEqual(s.goroutines.map((g) => [g.id, g.regions]), [[1, 3], [7, 2]]);
});
