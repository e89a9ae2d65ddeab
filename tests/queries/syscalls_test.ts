// Syscall records, steals and the per-P / per-M views on hand-made traces,
// and on Go's syscall-steal conformance cases.
import assert from "node:assert/strict";
import { filterSyscalls, SyscallAnalysis, type SyscallRecord } from "../../src/queries/syscalls.ts";
import { procOfThreadAt, type SchedulerResult, SchedulerViews } from "../../src/queries/procs.ts";
import { TraceBuilder } from "../../src/wire/builder.ts";
import { WireGoStatus, WireProcStatus } from "../../src/wire/spec.ts";
import { encodeBinary, parseText } from "../../src/wire/text.ts";
import { readEvents } from "../../src/reader/mod.ts";
import { events, lifecycle, S, steal } from "./fixtures.ts";
import { conformanceCases } from "../helpers/corpus.ts";

function calls(t: TraceBuilder): SyscallRecord[] {
  const a = new SyscallAnalysis();
  for (const ev of events(t)) a.event(ev);
  return a.result();
}

function views(t: TraceBuilder): SchedulerResult {
  const v = new SchedulerViews();
  for (const ev of events(t)) v.event(ev);
  return v.result();
}

Deno.test("syscalls: a quick syscall keeps its P", () => {
  assert.deepEqual(calls(lifecycle()), [{
    goroutine: 5,
    thread: 0,
    proc: 0,
    start: 400,
    end: 450,
    duration: 50,
    stack: S.read,
    beforeTrace: false,
    outcome: "returned",
    returnProc: 0,
    steal: null,
  }]);
});

Deno.test("syscalls: a blocking syscall whose P another M steals", () => {
  assert.deepEqual(calls(steal()), [{
    goroutine: 1,
    thread: 0,
    proc: 0,
    start: 200,
    end: 400,
    duration: 200,
    stack: S.write,
    beforeTrace: false,
    outcome: "stolen",
    returnProc: -1,
    steal: {
      time: 300,
      proc: 0,
      thread: 1,
      stealerProc: 1,
      stealerGoroutine: 2,
      self: false,
      abandoned: false,
    },
  }]);
});

Deno.test("syscalls: still inside at the end; inside since before the trace; reacquired", () => {
  const t = new TraceBuilder(22);
  const gen = t.generation(1);
  // M0: G1 already in a syscall (P0 in syscall too); it comes back at 300 and
  // gets P1 (reacquired: a different P). M1 steals P0 at 200, then G2 enters
  // a syscall at 400 that is still going when the trace ends (at 501).
  gen.batch(0, 100)
    .at(110).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Syscall })
    .at(120).event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Syscall })
    .at(250).event("ProcStatus", { p: 1, pstatus: WireProcStatus.Idle })
    .at(260).event("ProcStart", { p: 1, p_seq: 1 })
    .at(300).event("GoSyscallEndBlocked")
    .at(310).event("GoStart", { g: 1, g_seq: 1 })
    .at(320).event("GoBlock", { reason_string: "sleep", stack: S.sleep });
  gen.batch(1, 100)
    .at(130).event("ProcStatus", { p: 2, pstatus: WireProcStatus.Running })
    .at(140).event("GoStatus", { g: 2, m: 1, gstatus: WireGoStatus.Running })
    .at(200).event("ProcSteal", { p: 0, p_seq: 1, m: 0 })
    .at(400).event("GoSyscallBegin", { p_seq: 1, stack: S.write })
    .at(500).event("HeapAlloc", { heapalloc_value: 1 });
  const [c1, c2] = calls(t);
  assert.deepEqual(
    [c1.goroutine, c1.thread, c1.proc, c1.start, c1.end, c1.beforeTrace, c1.outcome, c1.returnProc],
    [1, 0, 0, 120, 300, true, "reacquired", 1],
  );
  assert.deepEqual([c1.steal?.thread, c1.steal?.time, c1.steal?.stealerProc], [1, 200, 2]);
  assert.deepEqual(
    [c2.goroutine, c2.thread, c2.proc, c2.start, c2.end, c2.duration, c2.outcome, c2.steal],
    [2, 1, 2, 400, null, 101, "in-syscall", null],
  );
});

Deno.test("syscalls: filters", () => {
  const rec = (goroutine: number, thread: number, duration: number, func: string) =>
    ({
      goroutine,
      thread,
      proc: 0,
      start: 1000 * goroutine,
      end: 1000 * goroutine + duration,
      duration,
      stack: [{ pc: 1, func, file: "f.go", line: 1 }],
      beforeTrace: false,
      outcome: duration > 100 ? "stolen" : "returned",
      returnProc: duration > 100 ? -1 : 0,
      steal: null,
    }) as SyscallRecord;
  const all = [rec(1, 0, 10, "syscall.read"), rec(2, 1, 500, "syscall.write"), rec(3, 0, 50, "x")];
  const gs = (xs: SyscallRecord[]) => xs.map((x) => x.goroutine);
  assert.deepEqual(gs(filterSyscalls(all, { minDuration: 50 })), [2, 3]);
  assert.deepEqual(gs(filterSyscalls(all, { maxDuration: 49 })), [1]);
  assert.deepEqual(gs(filterSyscalls(all, { func: /^syscall\./ })), [1, 2]);
  assert.deepEqual(gs(filterSyscalls(all, { func: "x", goroutines: [3] })), [3]);
  assert.deepEqual(gs(filterSyscalls(all, { threads: [0] })), [1, 3]);
  assert.deepEqual(gs(filterSyscalls(all, { outcomes: ["stolen"] })), [2]);
  assert.deepEqual(gs(filterSyscalls(all, { stolen: false })), [1, 2, 3]);
  assert.deepEqual(gs(filterSyscalls(all, { window: [2400, 3000] })), [2, 3]);
});

// What each of Go's syscall-steal conformance cases must come out as: per
// syscall, [goroutine, M, P it entered with, outcome, stealing M or null].
const STEAL_CASES: Record<string, [number, number, number, string, number | null][]> = {
  "go122-syscall-steal-proc-ambiguous.test": [
    [1, 0, 0, "returned", null],
    [1, 0, 0, "stolen", 1],
  ],
  "go122-syscall-steal-proc-gen-boundary-bare-m.test": [[1, 0, 0, "reacquired", 1]],
  "go122-syscall-steal-proc-gen-boundary-reacquire-new-proc-bare-m.test": [
    [1, 0, 0, "reacquired", 1],
  ],
  "go122-syscall-steal-proc-gen-boundary-reacquire-new-proc.test": [[1, 0, 0, "reacquired", 1]],
  "go122-syscall-steal-proc-gen-boundary.test": [[1, 0, 0, "reacquired", 1]],
  "go122-syscall-steal-proc-reacquire-new-proc-bare-m.test": [[1, 0, 0, "reacquired", 1]],
  "go122-syscall-steal-proc-reacquire-new-proc.test": [[1, 0, 0, "reacquired", 1]],
  "go122-syscall-steal-proc-self.test": [[1, 0, 0, "returned", 0]],
  "go122-syscall-steal-proc-simple-bare-m.test": [[1, 0, 0, "stolen", 1]],
  "go122-syscall-steal-proc-simple.test": [[1, 0, 0, "stolen", 1]],
  "go122-syscall-steal-proc-sitting-in-syscall.test": [[1, 1, 0, "in-syscall", 0]],
};

Deno.test("syscalls: Go's syscall-steal conformance cases", async (t) => {
  const cases = conformanceCases().filter((c) => c.name.includes("syscall-steal-proc"));
  if (cases.length === 0) return; // corpus missing: corpus.ts has warned
  assert.deepEqual(cases.map((c) => c.name).sort(), Object.keys(STEAL_CASES).sort());
  for (const c of cases) {
    await t.step(c.name, () => {
      const a = new SyscallAnalysis();
      for (const ev of readEvents(encodeBinary(parseText(c.trace)))) a.event(ev);
      const got = a.result().map((s) => [
        s.goroutine,
        s.thread,
        s.proc,
        s.outcome,
        s.steal ? s.steal.thread : null,
      ]);
      assert.deepEqual(got, STEAL_CASES[c.name]);
    });
  }
});

Deno.test("procs: who held each P, with the steal marked", () => {
  const { procs, threads } = views(steal());
  assert.deepEqual(procs.map((p) => p.proc), [0, 1]);
  assert.deepEqual(procs[0].holds, [
    { proc: 0, thread: 0, start: 110, end: 300, endedBy: "steal", stolenBy: 1 },
  ]);
  assert.deepEqual(procs[1].holds, [
    { proc: 1, thread: 1, start: 130, end: 360, endedBy: "stop", stolenBy: -1 },
    { proc: 1, thread: 0, start: 410, end: 501, endedBy: "trace-end", stolenBy: -1 },
  ]);
  assert.deepEqual(procs[0].steals, [{ time: 300, thread: 1, victim: 0, abandoned: false }]);
  const run = (xs: { goroutine: number; thread: number; start: number; end: number }[]) =>
    xs.map((s) => [s.goroutine, s.thread, s.start, s.end]);
  assert.deepEqual(run(procs[0].slices), [[1, 0, 120, 200]]);
  assert.deepEqual(run(procs[1].slices), [[2, 1, 140, 350], [1, 0, 420, 500]]);
  assert.deepEqual(threads.map((m) => m.thread), [0, 1]);
  assert.deepEqual(threads[0].holds.map((h) => [h.proc, h.start, h.end]), [[0, 110, 300], [
    1,
    410,
    501,
  ]]);
  assert.deepEqual(threads[0].slices.map((s) => [s.goroutine, s.state, s.proc, s.start, s.end]), [
    [1, "Running", 0, 120, 200],
    [1, "Syscall", 0, 200, 400],
    [1, "Running", 1, 420, 500],
  ]);
  assert.equal(procOfThreadAt(threads[0], 250), 0);
  assert.equal(procOfThreadAt(threads[0], 405), -1);
  assert.equal(procOfThreadAt(threads[0], 450), 1);
});

Deno.test("procs: one M running goroutines one after another", () => {
  const { procs, threads } = views(lifecycle());
  assert.deepEqual(procs[0].holds, [
    { proc: 0, thread: 0, start: 110, end: 701, endedBy: "trace-end", stolenBy: -1 },
  ]);
  assert.deepEqual(procs[0].slices.map((s) => [s.goroutine, s.start, s.end]), [
    [1, 120, 300],
    [5, 310, 400],
    [5, 450, 600],
    [1, 610, 700],
  ]);
  assert.deepEqual(threads[0].slices.filter((s) => s.state === "Syscall").map((s) => s.goroutine), [
    5,
  ]);
  assert.deepEqual(procs[0].steals, []);
});

Deno.test("procs: an abandoned P stolen and a P stopped by its status", () => {
  const c = conformanceCases().find((c) =>
    c.name === "go122-syscall-steal-proc-sitting-in-syscall.test"
  );
  if (!c) return;
  const v = new SchedulerViews();
  for (const ev of readEvents(encodeBinary(parseText(c.trace)))) v.event(ev);
  const { procs, threads } = v.result();
  assert.deepEqual(procs.map((p) => [p.proc, p.holds.length]), [[0, 0]]);
  assert.deepEqual(procs[0].steals, [{ time: 128, thread: 0, victim: 1, abandoned: true }]);
  assert.deepEqual(threads.map((m) => [m.thread, m.slices.map((s) => s.state)]), [[1, [
    "Syscall",
  ]]]);
});
