// The trace tables hold what the Reader and the query helpers give, on
// every real trace of the corpus: one events row per event, one
// transitions row per StateTransition, the goroutine analysis's figures,
// and the syscall helpers' records and steals.
import assert from "node:assert/strict";
import { CORPUS_DIR, corpusAvailable, realTraces } from "../helpers/corpus.ts";
import { analyzeAll, readAll } from "../../src/queries/source.ts";
import { GoroutineAnalysis } from "../../src/queries/analysis.ts";
import { SyscallAnalysis } from "../../src/queries/syscalls.ts";
import { steals } from "../../src/display/syscall_view.ts";
import { chunkRows, type Table, TraceTables, traceTables } from "../../src/tables/mod.ts";

const rows = (t: Table) => t.chunks.flatMap(chunkRows);

Deno.test("tables: every real trace's tables equal the Reader and the query helpers", async (t) => {
  const traces = realTraces();
  if (traces.length === 0) {
    console.warn("*** tables_test: corpus missing, SKIPPED");
    return;
  }
  for (const name of traces) {
    await t.step(name, async () => {
      const bytes = Deno.readFileSync(`${CORPUS_DIR}/real/${name}`);
      const tables = new TraceTables(name.split("/")[1]);
      let events = 0, transitions = 0;
      await readAll(bytes, (ev) => {
        events++;
        if (ev.kind === "StateTransition") transitions++;
        tables.event(ev);
      });
      const got = tables.result();
      assert.equal(got.events.length, events);
      assert.equal(got.transitions.length, transitions);
      const { g, s } = await analyzeAll(bytes, {
        g: new GoroutineAnalysis(),
        s: new SyscallAnalysis(),
      });
      const gs = rows(got.goroutines);
      assert.equal(gs.length, g.goroutines.length);
      gs.forEach((r, i) => {
        const w = g.goroutines[i];
        const block = Object.values(w.blockTimeByReason).reduce((a, b) => a + b, 0);
        assert.deepEqual(
          [r.id, r.name, r.exec_time, r.sched_wait_time, r.block_time, r.syscall_time],
          [w.id, w.name, w.execTime, w.schedWaitTime, block, w.syscallTime],
        );
        assert.deepEqual(
          [r.syscall_block_time, r.total_time, r.creation_time, r.start_time, r.end_time],
          [w.syscallBlockTime, w.totalTime, w.creationTime, w.startTime, w.endTime],
        );
        assert.deepEqual(JSON.parse(r.block_time_by_reason as string), w.blockTimeByReason);
      });
      const sc = rows(got.syscalls);
      assert.equal(sc.length, s.length);
      sc.forEach((r, i) => {
        const w = s[i];
        assert.deepEqual(
          [r.g, r.m, r.p, r.start, r.end, r.duration, r.outcome, r.return_p, r.stolen],
          [
            w.goroutine,
            w.thread,
            w.proc,
            w.start,
            w.end,
            w.duration,
            w.outcome,
            w.returnProc,
            !!w.steal,
          ],
        );
        assert.equal(r.func, w.stack[0]?.func ?? "");
      });
      const st = rows(got.steals);
      const want = steals(s);
      assert.equal(st.length, want.length);
      st.forEach((r, i) => {
        const w = want[i];
        assert.deepEqual(
          [r.time, r.p, r.m, r.stealer_p, r.stealer_g, r.self, r.syscall_g, r.syscall_start],
          [
            w.steal.time,
            w.steal.proc,
            w.steal.thread,
            w.steal.stealerProc,
            w.steal.stealerGoroutine,
            w.steal.self,
            w.syscall.goroutine,
            w.syscall.start,
          ],
        );
      });
      // Stacks resolve: every stack id used is a row of stacks with its frames.
      const ids = new Set(rows(got.stacks).map((r) => r.stack_id));
      const frames = rows(got.frames);
      for (const r of rows(got.transitions).slice(0, 5000)) {
        if (r.stack_id !== 0) assert.ok(ids.has(r.stack_id), `stack ${r.stack_id}`);
      }
      assert.equal(frames.length, rows(got.stacks).reduce((a, r) => a + (r.depth as number), 0));
    });
  }
});

Deno.test("tables: built while a worker orders the trace, every table equals the one-thread build", async (t) => {
  const testdata = new URL("../../testdata/", import.meta.url);
  const traces = [
    ...["demo.trace", "syscall-steal-ambiguous.trace", "cpu-samples.trace", "gc-stw.trace"].map(
      (f) => new URL(f, testdata),
    ),
    ...realTraces().filter((n) => /^go1\.2[2-9]\//.test(n)).map((n) => `${CORPUS_DIR}/real/${n}`),
  ];
  if (!corpusAvailable()) console.warn("*** tables_test: corpus missing, testdata traces only");
  for (const trace of traces) {
    await t.step(String(trace).split("/").slice(-2).join("/"), async () => {
      const one = await traceTables(trace, "x");
      const two = await traceTables(trace, "x", { workers: 2 });
      for (const name of Object.keys(one) as (keyof typeof one)[]) {
        assert.equal(two[name].length, one[name].length, name);
        assert.deepEqual(rows(two[name]), rows(one[name]), name);
      }
      assert.ok(one.events.length > 0);
    });
  }
});
