// Goroutine analysis on hand-made traces: every figure worked out by hand
// from the scenario comments in fixtures.ts.
import assert from "node:assert/strict";
import {
  functionSummaries,
  GoroutineAnalysis,
  type GoroutineAnalysisResult,
  type GoroutineSummary,
  isSystemGoroutine,
  unknownTime,
} from "../../src/queries/analysis.ts";
import { formatSummaryJSON, toSummary } from "../../src/queries/summary.ts";
import { TraceBuilder } from "../../src/wire/builder.ts";
import { WireGoStatus, WireProcStatus } from "../../src/wire/spec.ts";
import { annotations, events, fr, lifecycle, S, steal } from "./fixtures.ts";

function analyze(t: TraceBuilder): GoroutineAnalysisResult {
  const a = new GoroutineAnalysis();
  for (const ev of events(t)) a.event(ev);
  return a.result();
}

function g(res: GoroutineAnalysisResult, id: number): GoroutineSummary {
  const found = res.goroutines.find((x) => x.id === id);
  assert.ok(found, `goroutine ${id}`);
  return found;
}

Deno.test("analysis: lifecycle (create, block, syscall, unblock, exit)", () => {
  const res = analyze(lifecycle());
  assert.deepEqual(res.goroutines.map((x) => x.id), [1, 5]);
  assert.deepEqual(g(res, 1), {
    id: 1,
    name: "main.main",
    pc: S.chanrecv[1].pc, // outermost frame of the first stack seen (the block)
    creationTime: 100, // existed already: the first Sync
    startTime: 120,
    endTime: 0,
    execTime: 270,
    schedWaitTime: 110,
    blockTimeByReason: { "chan receive": 200, sleep: 1 },
    syscallTime: 0,
    syscallBlockTime: 0,
    totalTime: 601,
    rangeTime: {},
    regions: 0,
  });
  assert.deepEqual(g(res, 5), {
    id: 5,
    name: "main.worker",
    pc: S.workerEntry[0].pc,
    creationTime: 200,
    startTime: 310,
    endTime: 600,
    execTime: 240,
    schedWaitTime: 110,
    blockTimeByReason: {},
    syscallTime: 50,
    syscallBlockTime: 0,
    totalTime: 400,
    rangeTime: {},
    regions: 0,
  });
  assert.equal(unknownTime(g(res, 1)), 601 - 270 - 110 - 201);
  assert.equal(res.start, 100);
  assert.equal(res.end, 701);
});

Deno.test("analysis: syscall whose P is stolen splits into syscall and syscall-blocked time", () => {
  const res = analyze(steal());
  const g1 = g(res, 1);
  assert.equal(g1.syscallTime, 100); // 200..300, until M1 steals P0
  assert.equal(g1.syscallBlockTime, 100); // 300..400
  assert.equal(g1.schedWaitTime, 20); // 400..420
  assert.equal(g1.execTime, 160); // 120..200 and 420..500
  assert.deepEqual(g1.blockTimeByReason, { sleep: 1 });
  assert.equal(g1.totalTime, 401);
  assert.equal(g1.name, "main.main"); // outermost frame of the syscall stack
  const g2 = g(res, 2);
  assert.equal(g2.execTime, 210);
  assert.deepEqual(g2.blockTimeByReason, { select: 151 });
  assert.equal(g2.totalTime, 401);
});

Deno.test("analysis: a syscall still blocked at the trace end counts its tail as sched wait", () => {
  // The reference's rule: the blocked part of an unfinished syscall goes to schedWaitTime.
  const t = new TraceBuilder(22);
  const gen = t.generation(1);
  gen.batch(0, 100)
    .at(110).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
    .at(120).event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running })
    .at(200).event("GoSyscallBegin", { p_seq: 1, stack: S.write });
  gen.batch(1, 100)
    .at(130).event("ProcStatus", { p: 1, pstatus: WireProcStatus.Running })
    .at(250).event("ProcSteal", { p: 0, p_seq: 2, m: 0 })
    .at(300).event("ProcStop");
  const g1 = g(analyze(t), 1);
  assert.equal(g1.syscallTime, 101); // 200..301 (the trace end), as the reference has it
  assert.equal(g1.syscallBlockTime, 0);
  assert.equal(g1.schedWaitTime, 51); // 250..301: the stolen tail
  assert.equal(g1.execTime, 80);
  assert.equal(g1.totalTime, 201);
});

Deno.test("analysis: regions, inherited tasks and the task summary", () => {
  const res = analyze(annotations());
  assert.equal(g(res, 1).regions, 3); // early (no begin), outer, inner
  assert.equal(g(res, 7).regions, 2); // the task inherited from G1's region, and "child"
  const r1 = res.regions.filter((r) => r.goroutine === 1);
  assert.deepEqual(r1.map((r) => [r.name, r.start, r.end]), [
    ["early", null, 130],
    ["outer", 300, 500],
    ["inner", 310, 400],
  ]);
  // G1 ran throughout: a region's exec time is its length.
  assert.equal(r1[0].execTime, 10); // 120..130
  assert.equal(r1[0].totalTime, 30); // 100..130
  assert.equal(r1[1].execTime, 200);
  assert.equal(r1[2].execTime, 90);
  const r7 = res.regions.filter((r) => r.goroutine === 7);
  assert.deepEqual(r7.map((r) => [r.name, r.task, r.start, r.end, r.inherited]), [
    ["", 1, 320, null, true],
    ["child", 1, 630, null, false],
  ]);
  // child: G7 ran 620..700 (began at 630), blocked 700..701.
  assert.equal(r7[1].execTime, 70);
  assert.deepEqual(r7[1].blockTimeByReason, { "chan send": 1 });
  assert.equal(r7[1].schedWaitTime, 0);
  assert.equal(r7[1].totalTime, 71);
  assert.equal(r7[0].schedWaitTime, 300); // the whole life of G7
  assert.deepEqual(
    res.tasks.map((t) => [t.id, t.name, t.parent, t.complete, t.logs, t.regions, t.goroutines]),
    [
      [0, "", null, false, 0, 1, [1]],
      [1, "order", null, true, 1, 3, [1, 7]],
      [2, "", null, false, 1, 0, [7]],
    ],
  );
  const task1 = res.tasks[1];
  assert.equal(task1.start, 200);
  assert.equal(task1.end, 600);
});

Deno.test("analysis: blocking forever ends a goroutine; status stacks do not name goroutines", () => {
  const t = new TraceBuilder(23);
  t.generation(1).batch(0, 100)
    .at(110).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
    .at(120).event("GoStatusStack", { g: 1, m: 0, gstatus: WireGoStatus.Running, stack: S.sleep })
    .at(130).event("GoStatusStack", {
      g: 3,
      m: 0,
      gstatus: WireGoStatus.Waiting,
      stack: S.idleEntry,
    })
    .at(200).event("GoUnblock", { g: 3, g_seq: 1, stack: 0 })
    .at(300).event("GoBlock", { reason_string: "forever", stack: S.forever })
    .at(310).event("GoStart", { g: 3, g_seq: 2 })
    .at(400).event("GoBlock", { reason_string: "sleep", stack: S.sleep });
  const res = analyze(t);
  const g1 = g(res, 1);
  assert.equal(g1.name, "main.idle"); // from the block stack, not the status stack
  assert.equal(g1.endTime, 300); // blocked forever: as good as dead
  assert.equal(g1.execTime, 180);
  assert.equal(g1.totalTime, 200);
  assert.deepEqual(g1.blockTimeByReason, {});
  const g3 = g(res, 3);
  assert.equal(g3.name, "main.main");
  assert.deepEqual(g3.blockTimeByReason, { "": 70, sleep: 1 });
  assert.equal(g3.schedWaitTime, 110);
  assert.equal(g3.execTime, 90);
  assert.equal(g3.totalTime, 301);
  assert.equal(g3.startTime, 310);
});

Deno.test("analysis: per entry function aggregates", () => {
  const res = analyze(lifecycle());
  const fns = functionSummaries([...res.goroutines, { ...g(res, 5), id: 9 }]);
  assert.deepEqual(fns.map((f) => [f.name, f.count, f.execTime, f.goroutines]), [
    ["main.worker", 2, 480, [5, 9]],
    ["main.main", 1, 270, [1]],
  ]);
  assert.equal(fns[0].syscallTime, 100);
  assert.deepEqual(fns[1].blockTimeByReason, { "chan receive": 200, sleep: 1 });
  assert.ok(isSystemGoroutine("runtime.gcBgMarkWorker"));
  assert.ok(isSystemGoroutine(""));
  assert.ok(!isSystemGoroutine("runtime.main"));
  assert.ok(!isSystemGoroutine("main.main"));
});

Deno.test("analysis: summary JSON of a hand-made trace, in Go's MarshalIndent layout", () => {
  const json = formatSummaryJSON(toSummary(analyze(steal()), { "1ms": 1 }));
  const parsed = JSON.parse(json);
  assert.deepEqual(Object.keys(parsed), ["goroutines", "mmu", "tasks"]);
  assert.equal(parsed.tasks, null);
  assert.deepEqual(Object.keys(parsed.goroutines[0]), [
    "id",
    "name",
    "pc",
    "creationTime",
    "startTime",
    "endTime",
    "execTime",
    "schedWaitTime",
    "blockTimeByReason",
    "syscallTime",
    "syscallBlockTime",
    "totalTime",
    "rangeTime",
    "regions",
  ]);
  assert.ok(json.startsWith('{\n "goroutines": [\n  {\n   "id": 1,\n'));
  assert.ok(json.includes('   "rangeTime": {},\n'));
  assert.ok(json.endsWith(' "mmu": {\n  "1ms": 1\n },\n "tasks": null\n}\n'));
  // Map keys sorted by bytes, `<>&` escaped as Go does.
  const odd = formatSummaryJSON({
    goroutines: [],
    mmu: { b: 1, a: 0.5 },
    tasks: [{ id: 1, name: "<&>", parent: 0, complete: true, logs: 0, regions: 0, goroutines: 1 }],
  });
  assert.ok(odd.includes('"a": 0.5,\n  "b": 1'));
  assert.ok(odd.includes('"name": "\\u003c\\u0026\\u003e"'));
  assert.equal(fr("x").func, "x");
});

Deno.test("analysis: per entry function aggregates of unnamed goroutines, ties and ranges", () => {
  const base = g(analyze(lifecycle()), 5);
  const mk = (id: number, name: string, execTime: number, rangeTime: Record<string, number>) => ({
    ...base,
    id,
    name,
    execTime,
    rangeTime,
  });
  const fns = functionSummaries([
    mk(3, "", 10, {}),
    mk(2, "", 10, { "GC mark assist": 4 }),
    mk(4, "b.f", 20, { "GC mark assist": 1 }),
    mk(1, "a.f", 20, {}),
  ]);
  assert.deepEqual(fns.map((f) => [f.name, f.count, f.execTime, f.goroutines, f.rangeTime]), [
    // Equal execution time: by name, the unnamed goroutines' "" first.
    ["", 2, 20, [2, 3], { "GC mark assist": 4 }],
    ["a.f", 1, 20, [1], {}],
    ["b.f", 1, 20, [4], { "GC mark assist": 1 }],
  ]);
  assert.deepEqual(functionSummaries([]), []);
});
