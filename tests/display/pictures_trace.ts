/**
 * A hand-made trace for the picture tests, small enough to work every
 * answer out by hand (1 tick = 1 ns). The reader makes equal timestamps
 * distinct, so every event has its own time. The window of interest is
 * 1000–2000:
 *
 *   P0/M0  G1 runs from the start (992) to 1100 (region "load" 1010–1050), blocks on a chan receive
 *          1100–1250, runnable 1250–1300 (made runnable by G2 at `send`), runs 1300–1410
 *          (region "save" 1310–1590), syscall 1410–1510, runs 1510–1600 (unblocks G2 at
 *          1550), sleeps 1600–1800 (woken by G2 at `wake`), runnable 1800–1860, runs
 *          1860–2000 and exits.
 *   P1/M1  G2 runs from the start (997) to 1260 (stops the world 1055–1075 for GC 1, which runs 1060–1710),
 *          blocks on a mutex 1260–1550, runnable 1550–1560 (made runnable at `unlock`), runs
 *          1560–1850 (stops the world 1700–1720) and exits.
 *   P2/M2  idle until 1399; G3, runnable since 1000, runs 1400–1610 and exits.
 *
 * Metrics: GOMAXPROCS 3, heap live 4 MiB and heap goal 8 MiB from the start; heap live 6 MiB
 * at 1200 and 3 MiB at 1750; heap goal 6 MiB at 1760. CPU samples: `a` at 1015, 1025, 1035 and `c` at 1045 (G1);
 * `b` at 1275 and `c` at 1585 (G2).
 *
 * @module
 */

import { WireGoStatus, WireProcStatus } from "../../src/wire/spec.ts";
import { type Frame, TraceBuilder } from "../../src/wire/builder.ts";

const f = (pc: number, func: string, line = pc): Frame => ({ pc, func, file: "main.go", line });

/**
 * Stacks of the trace, innermost frame first.
 *
 * @example
 * ```ts
 * import { STACKS } from "./pictures_trace.ts";
 * console.assert(STACKS.recv[0].func === "runtime.chanrecv1");
 * ```
 */
export const STACKS: Readonly<Record<string, readonly Frame[]>> = {
  recv: [f(0x10, "runtime.chanrecv1"), f(0x20, "main.main")],
  send: [f(0x30, "runtime.chansend1"), f(0x40, "main.worker")],
  mutex: [f(0x50, "sync.(*Mutex).Lock"), f(0x41, "main.worker")],
  unlock: [f(0x70, "sync.(*Mutex).Unlock"), f(0x22, "main.main")],
  sys: [f(0x60, "syscall.read"), f(0x21, "main.main")],
  sleep: [f(0x80, "time.Sleep"), f(0x23, "main.main")],
  wake: [f(0x90, "time.wake"), f(0x42, "main.worker")],
  main: [f(0x24, "main.main")],
  gc: [f(0xe0, "runtime.GC"), f(0x25, "main.main")],
  // CPU sample stacks: main.work appears at two pcs and merges by function.
  a: [f(0xa0, "main.crunch"), f(0xa8, "main.work"), f(0xb0, "main.main")],
  b: [f(0xc0, "main.hash"), f(0xa9, "main.work"), f(0xb0, "main.main")],
  c: [f(0xd0, "runtime.mallocgc"), f(0xb1, "main.main")],
};

const MiB = 1 << 20;

/**
 * The trace's bytes.
 *
 * @example
 * ```ts
 * import { picturesTrace } from "./pictures_trace.ts";
 * console.assert(picturesTrace().length > 100);
 * ```
 */
export function picturesTrace(): Uint8Array {
  const S = STACKS;
  const t = new TraceBuilder(22);
  const g = t.generation(1);
  g.batch(0, 990)
    .event("ProcStatus", { dt: 0, p: 0, pstatus: WireProcStatus.Running })
    .event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running })
    .event("ProcsChange", { procs_value: 3, stack: S.main })
    .event("HeapAlloc", { heapalloc_value: 4 * MiB })
    .event("HeapGoal", { heapgoal_value: 8 * MiB })
    .at(1010).event("UserRegionBegin", { task: 0, name_string: "load", stack: S.main })
    .at(1050).event("UserRegionEnd", { task: 0, name_string: "load", stack: S.main })
    .at(1100).event("GoBlock", { reason_string: "chan receive", stack: S.recv })
    .at(1300).event("GoStart", { g: 1, g_seq: 2 })
    .at(1310).event("UserRegionBegin", { task: 0, name_string: "save", stack: S.main })
    .at(1410).event("GoSyscallBegin", { p_seq: 1, stack: S.sys })
    .at(1510).event("GoSyscallEnd")
    .at(1550).event("GoUnblock", { g: 2, g_seq: 1, stack: S.unlock })
    .at(1590).event("UserRegionEnd", { task: 0, name_string: "save", stack: S.main })
    .at(1600).event("GoBlock", { reason_string: "sleep", stack: S.sleep })
    .at(1860).event("GoStart", { g: 1, g_seq: 4 })
    .at(2000).event("GoDestroy");
  g.batch(1, 995)
    .event("ProcStatus", { dt: 0, p: 1, pstatus: WireProcStatus.Running })
    .event("GoStatus", { g: 2, m: 1, gstatus: WireGoStatus.Running })
    .at(1055).event("STWBegin", { kind_string: "GC sweep termination", stack: S.gc })
    .at(1060).event("GCBegin", { gc_seq: 1, stack: S.gc })
    .at(1075).event("STWEnd")
    .at(1200).event("HeapAlloc", { heapalloc_value: 6 * MiB })
    .at(1250).event("GoUnblock", { g: 1, g_seq: 1, stack: S.send })
    .at(1260).event("GoBlock", { reason_string: "sync", stack: S.mutex })
    .at(1560).event("GoStart", { g: 2, g_seq: 2 })
    .at(1700).event("STWBegin", { kind_string: "GC mark termination", stack: S.gc })
    .at(1710).event("GCEnd", { gc_seq: 2 })
    .at(1720).event("STWEnd")
    .at(1750).event("HeapAlloc", { heapalloc_value: 3 * MiB })
    .at(1760).event("HeapGoal", { heapgoal_value: 6 * MiB })
    .at(1800).event("GoUnblock", { g: 1, g_seq: 3, stack: S.wake })
    .at(1850).event("GoDestroy");
  g.batch(2, 997)
    .event("ProcStatus", { dt: 0, p: 2, pstatus: WireProcStatus.Idle })
    .at(1000).event("GoStatus", { g: 3, m: -1, gstatus: WireGoStatus.Runnable })
    .at(1399).event("ProcStart", { p: 2, p_seq: 1 })
    .at(1400).event("GoStart", { g: 3, g_seq: 1 })
    .at(1610).event("GoDestroy")
    .at(1611).event("ProcStop");
  g.cpuSample({ time: 1015, m: 0, p: 0, g: 1, stack: S.a })
    .cpuSample({ time: 1025, m: 0, p: 0, g: 1, stack: S.a })
    .cpuSample({ time: 1035, m: 0, p: 0, g: 1, stack: S.a })
    .cpuSample({ time: 1045, m: 0, p: 0, g: 1, stack: S.c })
    .cpuSample({ time: 1275, m: 1, p: 1, g: 2, stack: S.b })
    .cpuSample({ time: 1585, m: 1, p: 1, g: 2, stack: S.c });
  return t.toBytes();
}
