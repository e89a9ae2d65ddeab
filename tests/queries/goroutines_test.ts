// The goroutine table, its filters and goroutine timelines, on hand-made
// traces (see fixtures.ts for each scenario's timeline).
import assert from "node:assert/strict";
import {
  allOf,
  anyOf,
  byBlockReason,
  byEntry,
  byFunction,
  byId,
  byLabel,
  byRegion,
  byStateAt,
  byTask,
  byWindow,
  filterGoroutines,
  type GoroutineInfo,
  goroutines,
  GoroutineTable,
  not,
  stateAt,
} from "../../src/queries/goroutines.ts";
import { intervalAt, Timelines } from "../../src/queries/timeline.ts";
import type { TraceBuilder } from "../../src/wire/builder.ts";
import { annotations, events, gc, lifecycle, S, steal } from "./fixtures.ts";

function table(t: TraceBuilder, timelines = true): GoroutineInfo[] {
  const tab = new GoroutineTable({ timelines });
  for (const ev of events(t)) tab.event(ev);
  return tab.result();
}

const ids = (gs: GoroutineInfo[]) => gs.map((g) => g.id);

Deno.test("goroutines: table rows of the lifecycle trace", () => {
  const [g1, g5] = table(lifecycle());
  assert.deepEqual({ ...g1, timeline: g1.timeline.length }, {
    id: 1,
    name: "main.main",
    creationTime: null,
    startTime: 120,
    endTime: null,
    firstSeen: 120,
    state: "Waiting",
    creator: -1,
    creationStack: [],
    labels: [],
    blockReasons: ["chan receive", "sleep"],
    functions: ["main.main", "runtime.chanrecv1", "time.Sleep"],
    regions: [],
    tasks: [],
    timeline: 5,
  });
  assert.deepEqual({ ...g5, timeline: g5.timeline.length }, {
    id: 5,
    name: "main.worker",
    creationTime: 200,
    startTime: 310,
    endTime: 600,
    firstSeen: 200,
    state: "NotExist",
    creator: 1,
    creationStack: S.goStmt,
    labels: [],
    blockReasons: [],
    functions: ["main.worker", "os.(*File).Read", "runtime.chansend1", "syscall.read"],
    regions: [],
    tasks: [],
    timeline: 4,
  });
});

Deno.test("goroutines: filters compose", () => {
  const gs = table(lifecycle());
  assert.deepEqual(ids(filterGoroutines(gs, byEntry("main.worker"))), [5]);
  assert.deepEqual(ids(filterGoroutines(gs, byEntry(/^main\./))), [1, 5]);
  assert.deepEqual(ids(filterGoroutines(gs, byFunction(/^syscall\./))), [5]);
  assert.deepEqual(ids(filterGoroutines(gs, byFunction("time.Sleep"))), [1]);
  assert.deepEqual(ids(filterGoroutines(gs, byBlockReason("sleep"))), [1]);
  assert.deepEqual(ids(filterGoroutines(gs, byBlockReason(/chan/))), [1]);
  assert.deepEqual(ids(filterGoroutines(gs, byStateAt("Syscall", 420))), [5]);
  assert.deepEqual(ids(filterGoroutines(gs, byStateAt("Waiting", 420))), [1]);
  assert.deepEqual(ids(filterGoroutines(gs, byStateAt("Runnable", 250))), [5]);
  assert.deepEqual(ids(filterGoroutines(gs, byWindow(650, 800))), [1]); // G5 exited at 600
  assert.deepEqual(ids(filterGoroutines(gs, byWindow(0, 150))), [1]); // G5 not created yet
  assert.deepEqual(ids(filterGoroutines(gs, not(byId(1)))), [5]);
  assert.deepEqual(ids(filterGoroutines(gs, anyOf(byId(1), byEntry("main.worker")))), [1, 5]);
  assert.deepEqual(ids(filterGoroutines(gs, allOf(byId(1, 5), byBlockReason("sleep")))), [1]);
  assert.deepEqual(ids(filterGoroutines(gs, byEntry("main.main"), byStateAt("Running", 250))), [1]);
  assert.deepEqual(ids(filterGoroutines(gs, byEntry("main.main"), byStateAt("Running", 350))), []);
  assert.equal(stateAt(gs[1], 100), "NotExist");
  assert.equal(stateAt(gs[1], 650), "NotExist");
  assert.equal(stateAt(gs[0], 50), "Undetermined"); // before the trace saw it
});

Deno.test("goroutines: regions, tasks and labels", () => {
  const gs = table(annotations());
  assert.deepEqual(gs.map((g) => [g.id, g.regions, g.tasks]), [
    [1, ["early", "outer", "inner"], [0, 1]],
    [7, ["child"], [1, 2]],
  ]);
  assert.deepEqual(ids(filterGoroutines(gs, byRegion("child"))), [7]);
  assert.deepEqual(ids(filterGoroutines(gs, byRegion(/er$/))), [1]);
  assert.deepEqual(ids(filterGoroutines(gs, byTask(1))), [1, 7]);
  assert.deepEqual(ids(filterGoroutines(gs, byTask(2))), [7]);
  assert.equal(gs[1].creator, 1);
  const withGC = table(gc());
  assert.deepEqual(ids(filterGoroutines(withGC, byLabel(/^GC /))), [9]);
  assert.deepEqual(withGC.find((g) => g.id === 9)!.labels, ["GC (dedicated)"]);
  assert.equal(withGC.find((g) => g.id === 9)!.name, "runtime.gcBgMarkWorker");
  assert.equal(withGC.find((g) => g.id === 9)!.creator, -1); // created with no goroutine running
});

Deno.test("goroutines: a table without timelines", () => {
  const gs = table(steal(), false);
  assert.deepEqual(ids(gs), [1, 2]);
  assert.ok(gs.every((g) => g.timeline.length === 0));
  assert.equal(stateAt(gs[0], 300), "Undetermined");
  assert.equal(gs[0].state, "Waiting");
  assert.deepEqual(gs[1].blockReasons, ["select"]);
});

Deno.test("timelines: intervals of the lifecycle trace", () => {
  const tl = new Timelines();
  for (const ev of events(lifecycle())) tl.event(ev);
  const res = tl.result();
  const brief = (id: number) =>
    res[id].map((iv) => [iv.state, iv.start, iv.end, iv.proc, iv.thread, iv.reason]);
  assert.deepEqual(brief(1), [
    ["Running", 120, 300, 0, 0, ""],
    ["Waiting", 300, 500, 0, 0, "chan receive"],
    ["Runnable", 500, 610, 0, 0, ""],
    ["Running", 610, 700, 0, 0, ""],
    ["Waiting", 700, 701, 0, 0, "sleep"],
  ]);
  assert.deepEqual(brief(5), [
    ["Runnable", 200, 310, 0, 0, ""],
    ["Running", 310, 400, 0, 0, ""],
    ["Syscall", 400, 450, 0, 0, ""],
    ["Running", 450, 600, 0, 0, ""],
  ]);
  assert.deepEqual(res[1][1].stack, S.chanrecv);
  assert.deepEqual(res[5][0].stack, S.workerEntry); // created: the new goroutine's stack
  assert.deepEqual(res[5][2].stack, S.read);
  assert.deepEqual(res[1][0].stack, []);
});

Deno.test("timelines: the stolen syscall, and P/M of each interval", () => {
  const tl = new Timelines({ goroutines: [1] });
  for (const ev of events(steal())) tl.event(ev);
  const res = tl.result();
  assert.deepEqual(Object.keys(res), ["1"]);
  assert.deepEqual(res[1].map((iv) => [iv.state, iv.start, iv.end, iv.proc, iv.thread]), [
    ["Running", 120, 200, 0, 0],
    ["Syscall", 200, 400, 0, 0],
    ["Runnable", 400, 420, -1, 0],
    ["Running", 420, 500, 1, 0],
    ["Waiting", 500, 501, 1, 0],
  ]);
});

Deno.test("timelines: filter by predicate, no stacks, and intervalAt", () => {
  const tl = new Timelines({ goroutines: (id) => id === 7, stacks: false });
  for (const ev of events(annotations())) tl.event(ev);
  const res = tl.result();
  assert.deepEqual(Object.keys(res), ["7"]);
  const t7 = res[7];
  assert.deepEqual(t7.map((iv) => [iv.state, iv.start, iv.end, iv.stack.length]), [
    ["Runnable", 320, 620, 0],
    ["Running", 620, 700, 0],
    ["Waiting", 700, 701, 0],
  ]);
  assert.equal(intervalAt(t7, 319), null);
  assert.equal(intervalAt(t7, 320)?.state, "Runnable");
  assert.equal(intervalAt(t7, 620)?.state, "Running"); // the later one at a boundary
  assert.equal(intervalAt(t7, 701)?.state, "Waiting");
  assert.equal(intervalAt(t7, 702), null);
});

Deno.test("goroutines: a GoStatusStack's stack names the goroutine it describes, not the writer", async () => {
  // In the demo, G1 (running main.main) writes GoStatusStack events for the
  // runtime's background goroutines: their stacks are theirs, not G1's.
  const rows = await goroutines(new URL("../../testdata/demo.trace", import.meta.url));
  const row = new Map(rows.map((g) => [g.id, g]));
  assert.equal(row.get(1)!.name, "main.main");
  assert.equal(row.get(2)!.name, "runtime.bgsweep");
  assert.ok(!row.get(1)!.functions.includes("runtime.bgsweep"));
});
