import assert from "node:assert/strict";
import { readEvents } from "../../src/reader/mod.ts";
import { WireGoStatus, WireProcStatus } from "../../src/wire/spec.ts";
import { type Frame, TraceBuilder } from "../../src/wire/builder.ts";
import {
  countsAs,
  defaultRules,
  type StackProfile,
  stackProfile,
  stackProfile as stackProfileOf,
  type StackProfileOptions,
} from "../../src/export/profiles.ts";
import {
  decodePprof,
  emptyPprof,
  encodePprof,
  gunzip,
  gzip,
  pprofFromTrace,
  type PprofProfile,
  toPprof,
} from "../../src/export/pprof.ts";
import { decodeFields, ProtoWriter, readVarint, unpackVarints } from "../../src/export/protobuf.ts";
import { analyzeGoroutines, type ExecStats } from "../../src/queries/analysis.ts";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";

const f = (pc: number, func: string, line = pc): Frame => ({ pc, func, file: `${func}.go`, line });
const S = {
  recv: [f(0x10, "runtime.chanrecv1"), f(0x20, "main.main")],
  send: [f(0x30, "runtime.chansend1"), f(0x40, "main.worker")],
  mutex: [f(0x50, "sync.(*Mutex).Lock"), f(0x41, "main.worker")],
  sys: [f(0x60, "syscall.read"), f(0x21, "main.main")],
  unlock: [f(0x70, "sync.(*Mutex).Unlock"), f(0x22, "main.main")],
  net: [f(0x80, "internal/poll.wait"), f(0x23, "main.main")],
  wake: [f(0x90, "runtime.netpoll"), f(0x42, "main.worker")],
  hot: [f(0xa0, "main.work"), f(0x43, "main.worker")],
  create: [f(0xb0, "main.spawn"), f(0x24, "main.main")],
};

/**
 * Two goroutines on two Ps; every stretch ends inside the trace:
 *   G1: chan receive 1010→1030 (at recv), runnable 1030→1050 (made runnable at send),
 *       syscall 1060→1090 (sys), network 1100→1210 (net), runnable 1210→1230 (wake).
 *   G2: sync 1040→1095 (mutex), runnable 1095→1200 (unlock).
 * CPU samples: G2 at 1015 and 1035 (hot), G1 at 1070 (sys).
 */
function trace(): Uint8Array {
  const t = new TraceBuilder(22);
  const g = t.generation(1);
  g.batch(0, 1000)
    .event("ProcStatus", { dt: 0, p: 0, pstatus: WireProcStatus.Running })
    .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: WireGoStatus.Running })
    .at(1010).event("GoBlock", { reason_string: "chan receive", stack: S.recv })
    .at(1050).event("GoStart", { g: 1, g_seq: 2 })
    .at(1060).event("GoSyscallBegin", { p_seq: 1, stack: S.sys })
    .at(1090).event("GoSyscallEnd")
    .at(1095).event("GoUnblock", { g: 2, g_seq: 1, stack: S.unlock })
    .at(1100).event("GoBlock", { reason_string: "network", stack: S.net });
  g.batch(1, 1000)
    .event("ProcStatus", { dt: 0, p: 1, pstatus: WireProcStatus.Running })
    .event("GoStatus", { dt: 0, g: 2, m: 1, gstatus: WireGoStatus.Running })
    .at(1030).event("GoUnblock", { g: 1, g_seq: 1, stack: S.send })
    .at(1040).event("GoBlock", { reason_string: "sync", stack: S.mutex })
    .at(1200).event("GoStart", { g: 2, g_seq: 2 })
    .at(1210).event("GoUnblock", { g: 1, g_seq: 3, stack: S.wake })
    .at(1220).event("GoDestroy")
    .at(1230).event("GoStart", { g: 1, g_seq: 4 })
    .at(1240).event("GoDestroy");
  g.cpuSample({ time: 1015, m: 1, p: 1, g: 2, stack: S.hot })
    .cpuSample({ time: 1035, m: 1, p: 1, g: 2, stack: S.hot })
    .cpuSample({ time: 1070, m: 0, p: 0, g: 1, stack: S.sys });
  return t.toBytes();
}

const BYTES = trace();

/** Records as `innermost-func count value`, for comparing with hand-computed answers. */
function summary(p: StackProfile): string[] {
  return p.records.map((r) => `${r.stack[0]?.func ?? "-"} ${r.count} ${r.value}`);
}

Deno.test("profiles: each kind on a hand-made trace, the analysis's rules", async () => {
  const events = readEvents(BYTES);
  const of = (kind: Parameters<typeof stackProfile>[1]["kind"]) =>
    stackProfile(events, { kind, rules: "analysis" });
  assert.deepEqual(summary(await of("sync")), [
    "sync.(*Mutex).Lock 1 55",
    "runtime.chanrecv1 1 20",
  ]);
  assert.deepEqual(summary(await of("network")), ["internal/poll.wait 1 110"]);
  assert.deepEqual(summary(await of("syscall")), ["syscall.read 1 30"]);
  // Scheduler latency goes to the stack that made the goroutine runnable.
  assert.deepEqual(summary(await of("sched")), [
    "sync.(*Mutex).Unlock 1 105",
    "runtime.chansend1 1 20",
    "runtime.netpoll 1 20",
  ]);
  assert.deepEqual(summary(await of("block")), [
    "internal/poll.wait 1 110",
    "sync.(*Mutex).Lock 1 55",
    "runtime.chanrecv1 1 20",
  ]);
  const cpu = await of("cpu");
  assert.equal(cpu.unit, "samples");
  assert.deepEqual(summary(cpu), ["main.work 2 2", "syscall.read 1 1"]);
  const sync = await of("sync");
  assert.equal(sync.count, 2);
  assert.equal(sync.value, 75);
  assert.deepEqual(sync.records[0].stack.map((x) => x.pc), [0x50, 0x41]);
});

Deno.test("profiles: filters by window, goroutine, function and reason (analysis)", async () => {
  const events = readEvents(BYTES);
  const stackProfile = (source: typeof events, opts: StackProfileOptions) =>
    stackProfileOf(source, { rules: "analysis", ...opts });
  // Window 1020..1100: chan receive 1020–1030 (10), mutex 1040–1095 (55).
  const w = await stackProfile(events, { kind: "sync", from: 1020, to: 1100 });
  assert.deepEqual(summary(w), ["sync.(*Mutex).Lock 1 55", "runtime.chanrecv1 1 10"]);
  // Sched in the same window: 1030–1050 (20) and 1095–1100 (5); 1210–1230 is outside.
  const ws = await stackProfile(events, { kind: "sched", from: 1020, to: 1100 });
  assert.deepEqual(summary(ws), ["runtime.chansend1 1 20", "sync.(*Mutex).Unlock 1 5"]);
  const g2 = await stackProfile(events, { kind: "sched", goroutines: [2] });
  assert.deepEqual(summary(g2), ["sync.(*Mutex).Unlock 1 105"]);
  const byPred = await stackProfile(events, { kind: "sched", goroutines: (id) => id === 1 });
  assert.equal(byPred.value, 40);
  const fn = await stackProfile(events, { kind: "sched", func: /main\.worker/ });
  assert.deepEqual(summary(fn), ["runtime.chansend1 1 20", "runtime.netpoll 1 20"]);
  assert.equal((await stackProfile(events, { kind: "sched", func: "main.main" })).value, 105);
  const rs = await stackProfile(events, { kind: "block", reasons: /chan|net/ });
  assert.deepEqual(summary(rs), ["internal/poll.wait 1 110", "runtime.chanrecv1 1 20"]);
  const cpu = await stackProfile(events, { kind: "cpu", from: 1030, goroutines: [2] });
  assert.deepEqual(summary(cpu), ["main.work 1 1"]);
  await assert.rejects(stackProfile(events, { kind: "bogus" as "sync" }), RangeError);
});

Deno.test("profiles: Go's rules on the hand-made trace", async () => {
  const events = readEvents(BYTES);
  const of = (opts: StackProfileOptions) => stackProfile(events, opts);
  assert.equal(defaultRules("sync"), "go");
  // Blocking stretches end at the stacked unblocks: the same as the analysis's.
  assert.deepEqual(summary(await of({ kind: "sync" })), [
    "sync.(*Mutex).Lock 1 55",
    "runtime.chanrecv1 1 20",
  ]);
  assert.deepEqual(summary(await of({ kind: "network" })), ["internal/poll.wait 1 110"]);
  // GoSyscallEnd (1090) has no stack: the syscall runs on to G1's next stacked
  // transition, the network block at 1100.
  assert.deepEqual(summary(await of({ kind: "syscall" })), ["syscall.read 1 40"]);
  // G1 made runnable at 1030 (send): GoStart has no stack, so the stretch ends at
  // the syscall at 1060. G2's (1095) and G1's (1210) never meet a stacked
  // transition again and are dropped.
  assert.deepEqual(summary(await of({ kind: "sched" })), ["runtime.chansend1 1 30"]);
  // A window cuts each goroutine's lifetime: 1020..1100, then 1035..1045.
  assert.deepEqual(summary(await of({ kind: "sync", from: 1020, to: 1100 })), [
    "sync.(*Mutex).Lock 1 55",
    "runtime.chanrecv1 1 10",
  ]);
  assert.deepEqual(summary(await of({ kind: "sync", from: 1035, to: 1045 })), [
    "sync.(*Mutex).Lock 1 5",
  ]);
  assert.deepEqual(summary(await of({ kind: "sched", from: 1020, to: 1100 })), [
    "runtime.chansend1 1 30",
  ]);
  // By goroutine id, and by entry function as the web UI's "name" does
  // (G2 is main.worker, named by its first stacked transition).
  assert.deepEqual(summary(await of({ kind: "sync", goroutines: [1] })), [
    "runtime.chanrecv1 1 20",
  ]);
  assert.deepEqual(summary(await of({ kind: "sync", goroutineName: "main.worker" })), [
    "sync.(*Mutex).Lock 1 55",
  ]);
  assert.equal((await of({ kind: "sync", goroutineName: "main.nobody" })).records.length, 0);
  // Events that stop short of the final Sync are a failed read: Go keeps only what
  // came before the last Sync, here the one that opens the only generation.
  const cut = events.slice(0, -1);
  assert.equal(events.at(-1)!.kind, "Sync");
  assert.deepEqual(summary(await stackProfile(cut, { kind: "sync" })), []);
  assert.equal((await stackProfile(cut, { kind: "sync", rules: "analysis" })).value, 75);
  await assert.rejects(of({ kind: "block", rules: "go" }), RangeError);
  await assert.rejects(of({ kind: "sync", rules: "analysis", goroutineName: "x" }), RangeError);
});

/**
 * A goroutine made runnable before it first ran, and its id used again:
 *   G1 creates G3 at 1005 (stack S.create), stops at 1010 (S.hot), runs again at 1035
 *   and blocks on select at 1045 (S.recv); G3 runs at 1020, blocks at 1030 (S.mutex),
 *   is woken by G1 at 1040 (S.unlock), runs at 1050 and exits at 1060. With `reuse`,
 *   G2 creates a new G3 at 1070 that never runs.
 */
function lifetimes(reuse: boolean): Uint8Array {
  const t = new TraceBuilder(22);
  const g = t.generation(1);
  g.batch(0, 1000)
    .event("ProcStatus", { dt: 0, p: 0, pstatus: WireProcStatus.Running })
    .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: WireGoStatus.Running })
    .at(1005).event("GoCreate", { new_g: 3, new_stack: S.hot, stack: S.create })
    .at(1010).event("GoStop", { reason_string: "preempted", stack: S.hot })
    .at(1020).event("GoStart", { g: 3, g_seq: 1 })
    .at(1030).event("GoBlock", { reason_string: "sync", stack: S.mutex })
    .at(1035).event("GoStart", { g: 1, g_seq: 1 })
    .at(1040).event("GoUnblock", { g: 3, g_seq: 2, stack: S.unlock })
    .at(1045).event("GoBlock", { reason_string: "select", stack: S.recv })
    .at(1050).event("GoStart", { g: 3, g_seq: 3 })
    .at(1060).event("GoDestroy");
  const b = g.batch(1, 1000)
    .event("ProcStatus", { dt: 0, p: 1, pstatus: WireProcStatus.Running })
    .event("GoStatus", { dt: 0, g: 2, m: 1, gstatus: WireGoStatus.Running });
  if (reuse) b.at(1070).event("GoCreate", { new_g: 3, new_stack: S.hot, stack: S.wake });
  b.at(1080).event("GoDestroy");
  return t.toBytes();
}

Deno.test("profiles: Go's rules clip to the goroutine's lifetime, the last one of its id", async () => {
  const sched = async (reuse: boolean, opts: Partial<StackProfileOptions> = {}) =>
    summary(await stackProfile(readEvents(lifetimes(reuse)), { kind: "sched", ...opts }));
  // G3, runnable from its creation at 1005, is clipped to its first run at 1020 (10 of 25 ns);
  // G1, stopped at 1010, counts until its next stacked transition, the select at 1045.
  // G3's second runnable stretch (1040) meets no stacked transition again: dropped.
  assert.deepEqual(await sched(false), ["main.work 1 35", "main.spawn 1 10"]);
  // A new G3 that never ran makes Go clip to [0, end]: the first G3's stretch counts whole.
  assert.deepEqual(await sched(true), ["main.work 1 35", "main.spawn 1 25"]);
  assert.deepEqual(await sched(false, { from: 1025, to: 1040 }), [
    "main.work 1 15",
    "main.spawn 1 5",
  ]);
  assert.deepEqual(await sched(true, { goroutines: [3] }), ["main.spawn 1 25"]);
  // Both are named main.worker, by the outermost frame of their first stacked transition.
  assert.deepEqual(await sched(true, { goroutineName: "main.worker" }), await sched(true));
  assert.deepEqual(await sched(true, { goroutineName: "main.main" }), []);
  const sync = await stackProfile(readEvents(lifetimes(true)), { kind: "sync" });
  assert.deepEqual(summary(sync), ["sync.(*Mutex).Lock 1 10"]);
});

Deno.test("profiles: go tool trace's reason rules", () => {
  for (const r of ["chan receive", "chan send", "select", "sync", "sync.(*Cond).Wait"]) {
    assert.ok(countsAs("sync", r), r);
  }
  for (const r of ["sleep", "network", "preempted", "GC background sweeper wait", ""]) {
    assert.ok(!countsAs("sync", r), r);
  }
  assert.ok(countsAs("network", "network") && !countsAs("network", "sync"));
  assert.ok(countsAs("block", "sleep") && !countsAs("block", "forever"));
});

Deno.test("protobuf: varints, fields and packing", () => {
  const w = new ProtoWriter().uint(1, 0).uint(2, 300).uint(3, 2 ** 53 - 1).uint(4, -1)
    .packed(5, [3, 270, 86942]).string(6, "é").bytes(7, new Uint8Array(0));
  const bytes = w.finish();
  // 300 is ac 02; -1 is ten bytes ending in 01; packed [3, 270, 86942] is the protobuf docs' example.
  assert.deepEqual([...bytes.subarray(0, 5)], [0x08, 0x00, 0x10, 0xac, 0x02]);
  const fields = decodeFields(bytes);
  assert.deepEqual(fields.map((x) => [x.field, x.wire]), [
    [1, 0],
    [2, 0],
    [3, 0],
    [4, 0],
    [5, 2],
    [6, 2],
    [7, 2],
  ]);
  assert.equal(fields[2].value, 2 ** 53 - 1);
  assert.equal(fields[3].value, 2 ** 64); // 2^64-1 as a float
  assert.deepEqual([...(fields[4].value as Uint8Array)], [0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
  assert.deepEqual(unpackVarints(fields[4].value as Uint8Array), [3, 270, 86942]);
  assert.equal(new TextDecoder().decode(fields[5].value as Uint8Array), "é");
  assert.equal((fields[6].value as Uint8Array).length, 0);
  assert.deepEqual(readVarint(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), 0), [2 ** 32 - 1, 5]);
  assert.throws(() => decodeFields(new Uint8Array([0x08])), RangeError);
  assert.throws(() => decodeFields(new Uint8Array([0x0a, 0x05, 1])), RangeError);
  assert.throws(() => decodeFields(new Uint8Array([0x0b])), RangeError); // wire type 3
});

Deno.test("pprof: encode/decode round trip of every field", () => {
  const p: PprofProfile = {
    sampleTypes: [{ type: "samples", unit: "count" }, { type: "cpu", unit: "nanoseconds" }],
    samples: [{
      locationIds: [2, 1],
      values: [3, 3_000_000],
      labels: [
        { key: "goroutine", str: "", num: 7, numUnit: "id" },
        { key: "state", str: "running", num: 0, numUnit: "" },
      ],
    }],
    mappings: [{
      id: 1,
      memoryStart: 0x400000,
      memoryLimit: 0x800000,
      fileOffset: 0,
      filename: "/bin/app",
      buildId: "abc",
      hasFunctions: true,
      hasFilenames: true,
      hasLineNumbers: false,
      hasInlineFrames: false,
    }],
    locations: [
      {
        id: 1,
        mappingId: 1,
        address: 0x401000,
        lines: [{ functionId: 1, line: 10 }],
        isFolded: false,
      },
      {
        id: 2,
        mappingId: 1,
        address: 0x402000,
        lines: [{ functionId: 2, line: 5 }, { functionId: 1, line: 12 }],
        isFolded: true,
      },
    ],
    functions: [
      { id: 1, name: "main.main", systemName: "main.main", filename: "main.go", startLine: 9 },
      { id: 2, name: "main.f", systemName: "main.f", filename: "main.go", startLine: 4 },
    ],
    dropFrames: "runtime\\..*",
    keepFrames: "",
    timeNanos: 1_767_225_600_000_000_000,
    durationNanos: 5_000_000_000,
    periodType: { type: "cpu", unit: "nanoseconds" },
    period: 10_000_000,
    comments: ["made by a test", "second"],
    defaultSampleType: "cpu",
  };
  assert.deepEqual(decodePprof(encodePprof(p)), p);
  assert.deepEqual(decodePprof(encodePprof(emptyPprof())), emptyPprof());
  assert.throws(() => decodePprof(new ProtoWriter().string(6, "x").finish()), RangeError);
  assert.throws(() => decodePprof(new ProtoWriter().string(6, "").uint(7, 9).finish()), RangeError);
});

Deno.test("pprof: the sync profile of the hand-made trace, field by field", async () => {
  const gz = await pprofFromTrace(BYTES, { kind: "sync" });
  assert.deepEqual([...gz.subarray(0, 2)], [0x1f, 0x8b]);
  const raw = await gunzip(gz);
  // Top-level fields in the order written: sample types, samples, locations, functions, strings,
  // then period type and period.
  const order = decodeFields(raw).map((x) => x.field);
  assert.deepEqual(order.filter((n, i) => n !== order[i - 1]), [1, 2, 4, 5, 6, 11, 12]);
  const p = decodePprof(raw);
  assert.deepEqual(p.sampleTypes, [
    { type: "contentions", unit: "count" },
    { type: "delay", unit: "nanoseconds" },
  ]);
  assert.deepEqual(p.periodType, { type: "trace", unit: "count" });
  assert.equal(p.period, 1);
  // Largest delay first: the mutex (55 ns), then the channel receive (20 ns).
  assert.deepEqual(p.samples, [
    { locationIds: [1, 2], values: [1, 55], labels: [] },
    { locationIds: [3, 4], values: [1, 20], labels: [] },
  ]);
  assert.deepEqual(p.locations.map((l) => [l.id, l.address, l.lines]), [
    [1, 0x50, [{ functionId: 1, line: 0x50 }]],
    [2, 0x41, [{ functionId: 2, line: 0x41 }]],
    [3, 0x10, [{ functionId: 3, line: 0x10 }]],
    [4, 0x20, [{ functionId: 4, line: 0x20 }]],
  ]);
  assert.deepEqual(p.functions.map((x) => [x.id, x.name, x.systemName, x.filename]), [
    [1, "sync.(*Mutex).Lock", "sync.(*Mutex).Lock", "sync.(*Mutex).Lock.go"],
    [2, "main.worker", "main.worker", "main.worker.go"],
    [3, "runtime.chanrecv1", "runtime.chanrecv1", "runtime.chanrecv1.go"],
    [4, "main.main", "main.main", "main.main.go"],
  ]);
  assert.equal(p.mappings.length, 0);
});

Deno.test("pprof: locations are shared by program counter across samples", async () => {
  const sched = decodePprof(
    await gunzip(await pprofFromTrace(BYTES, { kind: "sched", rules: "analysis" })),
  );
  assert.deepEqual(sched.samples.map((s) => s.values), [[1, 105], [1, 20], [1, 20]]);
  assert.equal(sched.locations.length, 6);
  assert.equal(new Set(sched.functions.map((x) => x.name)).size, sched.functions.length);
  const cpu = decodePprof(await gunzip(await pprofFromTrace(BYTES, { kind: "cpu" })));
  assert.deepEqual(cpu.sampleTypes, [{ type: "samples", unit: "count" }]);
  assert.deepEqual(cpu.samples.map((s) => s.values), [[2], [1]]);
});

Deno.test("pprof: gzip round trip", async () => {
  const data = new TextEncoder().encode("x".repeat(10_000));
  const z = await gzip(data);
  assert.ok(z.length < 200);
  assert.deepEqual(await gunzip(z), data);
});

/** A Go toolchain with `go tool pprof`, or null. */
function goTool(): string | null {
  for (const go of ["/usr/lib/go-1.19/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go"]) {
    try {
      if (Deno.statSync(go).isFile) return go;
    } catch { /* not there */ }
  }
  return null;
}

Deno.test("pprof: go tool pprof reads the output (when a Go toolchain is installed)", async () => {
  const go = goTool();
  if (!go) {
    console.warn("\n*** WARNING: no Go toolchain found: go tool pprof check SKIPPED.\n");
    return;
  }
  const file = await Deno.makeTempFile({ suffix: ".pb.gz" });
  try {
    Deno.writeFileSync(file, await pprofFromTrace(BYTES, { kind: "sync" }));
    const out = await new Deno.Command(go, {
      args: ["tool", "pprof", "-raw", file],
      env: { HOME: "/tmp", PPROF_TMPDIR: "/tmp" },
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(text, /contentions\/count delay\/nanoseconds/);
    assert.match(text, /\s1\s+55: 1 2\s*\n/);
    assert.match(text, /\s1\s+20: 3 4\s*\n/);
    assert.match(text, /0x50 M=1 sync\.\(\*Mutex\)\.Lock sync\.\(\*Mutex\)\.Lock\.go:80/);
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("pprof: under the analysis's rules, a real trace gives the goroutine analysis's times", async (t) => {
  if (!corpusAvailable()) return;
  for (const name of ["stress", "cgo-callback"]) {
    await t.step(name, async () => {
      const bytes = Deno.readFileSync(`${CORPUS_DIR}/real/go1.25/${name}.trace`);
      type Times = Pick<ExecStats, "blockTimeByReason" | "syscallTime" | "syscallBlockTime"> & {
        schedWaitTime: number;
      };
      const sums = (goroutines: readonly Times[]) => {
        const want = { network: 0, sync: 0, syscall: 0, sched: 0 };
        for (const g of goroutines) {
          for (const [reason, ns] of Object.entries(g.blockTimeByReason)) {
            if (countsAs("sync", reason)) want.sync += ns;
            if (countsAs("network", reason)) want.network += ns;
          }
          want.syscall += g.syscallTime + g.syscallBlockTime;
          want.sched += g.schedWaitTime;
        }
        return want;
      };
      const want = sums((await analyzeGoroutines(bytes)).goroutines);
      // The reference's own goroutine analysis (go tool trace's), kept beside the trace.
      const reference = JSON.parse(
        Deno.readTextFileSync(`${CORPUS_DIR}/real/go1.25/${name}.summary.json`),
      ) as { goroutines: Times[] };
      assert.deepEqual(sums(reference.goroutines), want);
      for (const kind of ["network", "sync", "syscall", "sched"] as const) {
        const gz = await pprofFromTrace(bytes, { kind, rules: "analysis" });
        const p = decodePprof(await gunzip(gz));
        assert.equal(p.sampleTypes[1].type, "delay");
        const total = p.samples.reduce((n, s) => n + s.values[1], 0);
        assert.equal(total, want[kind], `${name} ${kind}`);
        // Every sample's stack resolves.
        const ids = new Set(p.locations.map((l) => l.id));
        assert.ok(p.samples.every((s) => s.locationIds.every((id) => ids.has(id))));
      }
      assert.ok(want.sync > 0 && want.sched > 0, "the trace has sync blocking to check");
    });
  }
});

Deno.test("pprof: toPprof of an empty stack keeps the sample with no locations", () => {
  const p = toPprof({
    kind: "block",
    unit: "nanoseconds",
    count: 1,
    value: 9,
    records: [{ stack: [], count: 1, value: 9 }],
  });
  assert.deepEqual(p.samples, [{ locationIds: [], values: [1, 9], labels: [] }]);
  assert.deepEqual(decodePprof(encodePprof(p)).samples, p.samples);
});

/** Runs `deno task trace pprof ARGS` the way the task does; returns status, stdout and stderr. */
async function tracePprof(...args: string[]) {
  const script = new URL("../../scripts/trace.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", script, "pprof", ...args],
    stdin: "null",
  }).output();
  return { code: out.code, stdout: out.stdout, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("trace pprof: writes the profile to stdout or a file, with filters", async () => {
  const file = await Deno.makeTempFile({ suffix: ".trace" });
  const outFile = `${file}.pb.gz`;
  try {
    Deno.writeFileSync(file, BYTES);
    const sync = await tracePprof("--kind=sync", file);
    assert.equal(sync.code, 0, sync.stderr);
    const p = decodePprof(await gunzip(sync.stdout));
    assert.deepEqual(p.samples.map((s) => s.values), [[1, 55], [1, 20]]);
    // The window is relative to the first event (the trace starts at 1000).
    const w = await tracePprof(
      "--kind=sched",
      "--rules=analysis",
      "--from=20ns",
      "--to",
      "100",
      "-o",
      outFile,
      file,
    );
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.stdout.length, 0);
    const pw = decodePprof(await gunzip(Deno.readFileSync(outFile)));
    assert.deepEqual(pw.samples.map((s) => s.values), [[1, 20], [1, 5]]);
    const values = async (...args: string[]) => {
      const r = await tracePprof(...args, file);
      assert.equal(r.code, 0, r.stderr);
      return decodePprof(await gunzip(r.stdout)).samples.map((s) => s.values);
    };
    assert.deepEqual(
      await values(
        "--kind",
        "sched",
        "--rules",
        "analysis",
        "--goroutine",
        "2",
        "--func",
        "/Unlock/",
      ),
      [[1, 105]],
    );
    // Go's rules by default; "net" is Go's name for network.
    assert.deepEqual(await values("--kind=sched", "--from=20ns", "--to=100ns"), [[1, 30]]);
    assert.deepEqual(await values("--kind=net"), [[1, 110]]);
    assert.deepEqual(await values("--kind=syscall"), [[1, 40]]);
    assert.deepEqual(await values("--kind=sync", "--name=main.worker"), [[1, 55]]);
    assert.deepEqual(await values("--kind=sync", "--goroutine=1"), [[1, 20]]);
    assert.deepEqual(await values("--kind=block"), [[1, 110], [1, 55], [1, 20]]);
    const bad = await tracePprof("--kind=heap", file);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--kind must be one of network, sync, syscall, sched, block, cpu/);
    assert.equal((await tracePprof("--kind=block", "--rules=go", file)).code, 2);
    assert.equal((await tracePprof("--kind=sync", "--rules=mine", file)).code, 2);
    assert.equal((await tracePprof("--kind=sync", "--rules=analysis", "--name=f", file)).code, 2);
    assert.equal((await tracePprof("--kind=sync")).code, 2);
    assert.equal((await tracePprof("--kind=sync", "--from=soon", file)).code, 2);
    assert.equal((await tracePprof("--kind=sync", `${file}.missing`)).code, 1);
    const help = await tracePprof("--help");
    assert.equal(help.code, 0);
    assert.match(new TextDecoder().decode(help.stdout), /--kind KIND/);
  } finally {
    Deno.removeSync(file);
    try {
      Deno.removeSync(outFile);
    } catch { /* not written */ }
  }
});
