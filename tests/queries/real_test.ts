// The queries on the real traces of the corpus: the goroutine analysis,
// tasks and MMU equal the reference's NAME.summary.json for every go1.22,
// go1.23 and go1.25 trace (the old formats are checked in ../legacy/legacy_test.ts),
// and the other views agree with the analysis and with the raw events.
import assert from "node:assert/strict";
import { Ev } from "../../src/wire/spec.ts";
import { GoroutineAnalysis, type GoroutineAnalysisResult } from "../../src/queries/analysis.ts";
import { formatSummaryJSON, type Summary, toSummary } from "../../src/queries/summary.ts";
import { mmuTable, MutatorUtilization } from "../../src/queries/mmu.ts";
import { GoroutineTable } from "../../src/queries/goroutines.ts";
import { SyscallAnalysis } from "../../src/queries/syscalls.ts";
import { SchedulerViews } from "../../src/queries/procs.ts";
import { TaskAnalysis } from "../../src/queries/tasks.ts";
import { GCAnalysis } from "../../src/queries/gc.ts";
import { CPUProfileAnalysis } from "../../src/queries/cpu.ts";
import { analyzeAll } from "../../src/queries/source.ts";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { fileEvents } from "../helpers/read.ts";

const VERSIONS = ["go1.22", "go1.23", "go1.25"];

function summaries(version: string): string[] {
  if (!corpusAvailable()) return [];
  return [...Deno.readDirSync(`${CORPUS_DIR}/real/${version}`)]
    .map((e) => e.name)
    .filter((n) => n.endsWith(".summary.json"))
    .map((n) => n.slice(0, -".summary.json".length))
    .sort();
}

for (const v of VERSIONS) {
  for (const name of summaries(v)) {
    const base = `${CORPUS_DIR}/real/${v}/${name}`;
    Deno.test(`queries: ${v}/${name} has the reference's summary`, () => {
      const events = fileEvents(`${base}.trace`);
      const g = new GoroutineAnalysis();
      const mu = new MutatorUtilization();
      for (const ev of events) {
        g.event(ev);
        mu.event(ev);
      }
      const got = toSummary(g.result(), mmuTable(mu.result()));
      const text = Deno.readTextFileSync(`${base}.summary.json`);
      const want: Summary = JSON.parse(text);
      // Goroutine by goroutine, then the tasks: exactly.
      assert.equal(got.goroutines.length, want.goroutines.length);
      for (let i = 0; i < want.goroutines.length; i++) {
        assert.deepEqual(
          got.goroutines[i],
          want.goroutines[i],
          `goroutine ${want.goroutines[i].id}`,
        );
      }
      assert.deepEqual(got.tasks, want.tasks);
      // MMU within 1e-9 at each window.
      assert.deepEqual(Object.keys(got.mmu).sort(), Object.keys(want.mmu).sort());
      for (const w in want.mmu) {
        assert.ok(
          Math.abs(got.mmu[w] - want.mmu[w]) <= 1e-9,
          `mmu ${w}: ${got.mmu[w]} vs ${want.mmu[w]}`,
        );
      }
      // And the JSON text itself, with the reference's MMU figures in.
      assert.equal(formatSummaryJSON({ ...got, mmu: want.mmu }), text);
    });
  }
}

/** Sum of the durations of a goroutine's intervals in one state. */
function timeIn(intervals: { state: string; start: number; end: number }[], state: string): number {
  let n = 0;
  for (const iv of intervals) if (iv.state === state) n += iv.end - iv.start;
  return n;
}

for (const v of VERSIONS) {
  for (const name of summaries(v)) {
    const path = `${CORPUS_DIR}/real/${v}/${name}.trace`;
    Deno.test(`queries: ${v}/${name}: the views agree with the analysis and the events`, async () => {
      const events = fileEvents(path);
      const r = await analyzeAll(events, {
        analysis: new GoroutineAnalysis(),
        table: new GoroutineTable(),
        syscalls: new SyscallAnalysis(),
        sched: new SchedulerViews(),
        tasks: new TaskAnalysis(),
        gc: new GCAnalysis(),
        cpu: new CPUProfileAnalysis({ top: Infinity }),
      });
      const a: GoroutineAnalysisResult = r.analysis;
      // Every analysed goroutine is in the table, and its execution time is
      // the time its timeline spends running (unless it blocked "forever",
      // where the reference stops counting).
      const rows = new Map(r.table.map((g) => [g.id, g]));
      for (const g of a.goroutines) {
        const row = rows.get(g.id);
        assert.ok(row, `goroutine ${g.id} in the table`);
        if (!row.blockReasons.includes("forever")) {
          assert.equal(timeIn(row.timeline, "Running"), g.execTime, `exec time of ${g.id}`);
        }
        for (let i = 1; i < row.timeline.length; i++) {
          assert.equal(row.timeline[i].start, row.timeline[i - 1].end, `timeline of ${g.id}`);
        }
        if (g.endTime !== 0 && !row.blockReasons.includes("forever")) {
          assert.equal(row.endTime, g.endTime);
        }
      }
      // One syscall record per entry into a syscall.
      let entries = 0, steals = 0;
      for (const ev of events) {
        if (ev.kind === "StateTransition") {
          const st = ev.stateTransition();
          if (st.resource.kind === "Goroutine" && st.to === "Syscall" && st.from !== "Syscall") {
            entries++;
          }
        }
        if (ev.type === Ev.ProcSteal) steals++;
      }
      assert.equal(r.syscalls.length, entries);
      assert.ok(r.syscalls.filter((s) => s.steal).length <= steals);
      for (const s of r.syscalls) {
        assert.ok(s.duration >= 0);
        assert.equal(s.end === null, s.outcome === "in-syscall");
      }
      // A P is held by one M at a time.
      for (const p of r.sched.procs) {
        for (let i = 1; i < p.holds.length; i++) {
          assert.ok(p.holds[i].start >= p.holds[i - 1].end, `P${p.proc} holds overlap`);
        }
      }
      // Tasks: the same ids, logs, region counts and completeness as the summary's.
      assert.deepEqual(
        r.tasks.tasks.map((t) => [t.id, t.logs.length, t.regions.length, t.complete]),
        a.tasks.map((t) => [t.id, t.logs, t.regions, t.complete]),
      );
      // GC: a cycle per distinct mark phase seen; pauses end after they begin.
      const seqs = new Set<number>();
      for (const ev of events) if (ev.type === Ev.GCBegin) seqs.add(ev.a0);
      assert.ok(r.gc.cycles.length >= seqs.size);
      for (const s of r.gc.stw) assert.ok(s.duration >= 0);
      // CPU: every sample is in exactly one stack.
      const samples = events.filter((e) => e.type === Ev.CPUSample).length;
      assert.equal(r.cpu.samples, samples);
      assert.equal(r.cpu.stacks.reduce((n, s) => n + s.count, 0), samples);
    });
  }
}

Deno.test("queries: the analyze script prints the reference's JSON", async () => {
  if (!corpusAvailable()) return;
  const base = `${CORPUS_DIR}/real/go1.23/annotations`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      new URL("../../scripts/analyze.ts", import.meta.url).pathname,
      "--json",
      `${base}.trace`,
    ],
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.equal(new TextDecoder().decode(out.stdout), Deno.readTextFileSync(`${base}.summary.json`));
  const text = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      new URL("../../scripts/analyze.ts", import.meta.url).pathname,
      `${base}.trace`,
    ],
  }).output();
  const s = new TextDecoder().decode(text.stdout);
  assert.match(s, /By entry function/);
  assert.match(s, /main\.main/);
  assert.match(s, /Minimum mutator utilization/);
});
