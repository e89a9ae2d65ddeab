// The analyses that keep less than everything give what keeping everything
// gives: the bounded syscall selection equals filtering, sorting and cutting
// every record (and its steals-only use equals the steals of the full
// analysis) on every testdata trace, Go's conformance cases and the real
// go1.22+ traces of the corpus; IdSet behaves as a Set.
import assert from "node:assert/strict";
import type { Event } from "../../src/events/mod.ts";
import { Reader } from "../../src/reader/mod.ts";
import {
  filterSyscalls,
  SyscallAnalysis,
  type SyscallQuery,
  type SyscallRecord,
  SyscallSelection,
  type SyscallSelectionOptions,
} from "../../src/queries/syscalls.ts";
import { IdSet } from "../../src/queries/ids.ts";
import { GCAnalysis, type MetricPoint } from "../../src/queries/gc.ts";
import { encodeBinary, parseText } from "../../src/wire/text.ts";
import { conformanceCases, CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { TESTDATA, testdataTraces } from "../helpers/read.ts";

/** The events a trace gives before any error (the analyses see the same). */
function eventsOf(bytes: Uint8Array): Event[] {
  const out: Event[] = [];
  const r = Reader.fromBytes(bytes);
  try {
    for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) out.push(ev);
  } catch {
    // a bad trace: what was read so far
  }
  return out;
}

function traces(): [string, () => Event[]][] {
  const out: [string, () => Event[]][] = [];
  for (const e of testdataTraces()) {
    out.push([e, () => eventsOf(Deno.readFileSync(new URL(e, TESTDATA)))]);
  }
  for (const c of conformanceCases()) {
    if (c.failure === null) out.push([c.name, () => eventsOf(encodeBinary(parseText(c.trace)))]);
  }
  if (corpusAvailable()) {
    for (const v of ["go1.22", "go1.23", "go1.25"]) {
      const d = `${CORPUS_DIR}/real/${v}`;
      for (const n of [...Deno.readDirSync(d)].map((e) => e.name).sort()) {
        if (n.endsWith(".trace")) {
          out.push([`${v}/${n}`, () => eventsOf(Deno.readFileSync(`${d}/${n}`))]);
        }
      }
    }
  }
  return out;
}

/** What the syscalls command printed before the selection: filter, stable sort, cut. */
function expected(all: readonly SyscallRecord[], q: SyscallQuery, o: SyscallSelectionOptions) {
  let list = filterSyscalls(all, q);
  const matched = list.length;
  if (o.longest) list = list.slice().sort((a, b) => b.duration - a.duration);
  if (o.limit) list = list.slice(0, o.limit);
  return { matched, records: list };
}

function select(events: readonly Event[], q: SyscallQuery, o: SyscallSelectionOptions) {
  const s = new SyscallSelection(q, o);
  for (const ev of events) s.event(ev);
  return s.result();
}

Deno.test("syscall selection: the same rows as filtering, sorting and cutting every record", async (t) => {
  let withSteals = 0, withCalls = 0;
  for (const [name, read] of traces()) {
    await t.step(name, () => {
      const events = read();
      const full = new SyscallAnalysis();
      for (const ev of events) full.event(ev);
      const all = full.result();
      if (all.length > 0) withCalls++;
      const longestDuration = all.reduce((m, s) => Math.max(m, s.duration), 0);
      const queries: [SyscallQuery, SyscallSelectionOptions][] = [
        [{}, {}],
        [{}, { limit: 50 }],
        [{}, { limit: 1 }],
        [{}, { longest: true }],
        [{}, { longest: true, limit: 3 }],
        [{}, { longest: true, limit: 50 }],
        [{ minDuration: Math.floor(longestDuration / 2) }, { longest: true, limit: 2 }],
        [{ func: /os|read/ }, { limit: 5 }],
        [{ goroutines: all.length ? [all[0].goroutine] : [1] }, { longest: true, limit: 4 }],
        [{ outcomes: ["in-syscall", "no-proc"] }, {}],
      ];
      for (const [q, o] of queries) {
        assert.deepEqual(select(events, q, o), expected(all, q, o), `${JSON.stringify(o)}`);
      }
      // `trace steals`: the steals-only selection equals the full analysis's steals.
      // (every steal, an M giving up its own P included), and `--stolen`
      // those another M made.
      const stolen = select(events, { stealSeen: true }, {});
      assert.deepEqual(stolen.records, all.filter((s) => s.steal !== null));
      const byOthers = select(events, { stolen: true }, {});
      assert.deepEqual(byOthers.records, all.filter((s) => s.steal !== null && !s.steal.self));
      if (stolen.records.length > 0) withSteals++;
    });
  }
  // Not vacuous: syscalls, and steals, were there to compare.
  assert.ok(
    withCalls >= 10 && withSteals >= 3,
    `${withCalls} with syscalls, ${withSteals} with steals`,
  );
});

Deno.test("syscall selection: result() settles once; no events after it", () => {
  const s = new SyscallSelection();
  const first = s.result();
  assert.equal(s.result(), first);
  assert.deepEqual(first, { matched: 0, records: [] });
  assert.throws(() => s.event(eventsOf(Deno.readFileSync("testdata/demo.trace"))[0]));
});

Deno.test("IdSet: the same members and size as a Set", () => {
  let seed = 7;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const ids = new IdSet(), ref = new Set<number>();
  for (let i = 0; i < 20_000; i++) {
    const pick = rnd(10);
    const id = pick < 6
      ? rnd(3000)
      : pick < 8
      ? rnd(200_000)
      : pick < 9
      ? -rnd(5)
      : 2 ** 40 + rnd(9);
    if (rnd(4) === 0) assert.equal(ids.delete(id), ref.delete(id));
    else assert.equal(ids.add(id), !ref.has(id) && ref.add(id) !== undefined);
    assert.equal(ids.size, ref.size);
  }
  for (let id = -6; id < 200_000; id++) assert.equal(ids.has(id), ref.has(id));
});

Deno.test("GC analysis: with series 'peak', each series is the first point at the full series' peak", async (t) => {
  for (const [name, read] of traces()) {
    await t.step(name, () => {
      const events = read();
      const all = new GCAnalysis(), peak = new GCAnalysis({ series: "peak" });
      for (const ev of events) {
        all.event(ev);
        peak.event(ev);
      }
      const a = all.result(), p = peak.result();
      const top = (s: readonly MetricPoint[]) =>
        s.length === 0 ? [] : [s.reduce((best, x) => (x.value > best.value ? x : best))];
      assert.deepEqual(p.metrics.heapLive, top(a.metrics.heapLive));
      assert.deepEqual(p.metrics.heapGoal, top(a.metrics.heapGoal));
      assert.deepEqual(p.metrics.gomaxprocs, top(a.metrics.gomaxprocs));
      assert.deepEqual(p.metrics.goroutines, top(a.metrics.goroutines));
      assert.deepEqual({ ...p, metrics: null }, { ...a, metrics: null });
    });
  }
});
