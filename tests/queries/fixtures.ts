/**
 * Hand-made traces for the query tests, each small enough that every
 * figure the queries compute can be worked out by hand from the comments.
 * Times are nanoseconds (frequency 1e9). The reader puts the first Sync at
 * the earliest batch time and the final Sync 1 ns after the last event.
 *
 * @module
 */

import { type Frame, TraceBuilder } from "../../src/wire/builder.ts";
import { WireGoStatus, WireProcStatus } from "../../src/wire/spec.ts";
import type { Event } from "../../src/events/mod.ts";
import { readEvents } from "../../src/reader/mod.ts";

/**
 * A frame with a made-up pc derived from the name.
 *
 * @example
 * ```ts
 * import { fr } from "./fixtures.ts";
 * console.assert(fr("main.main").func === "main.main");
 * ```
 */
export function fr(func: string, line = 1): Frame {
  let pc = 0x400000;
  for (const c of func) pc = (pc * 31 + c.charCodeAt(0)) % 0xffffff;
  return { pc: pc + line, func, file: `/app/${func.split(".")[0]}.go`, line };
}

/**
 * Stacks used by the scenarios, innermost first.
 *
 * @example
 * ```ts
 * import { S } from "./fixtures.ts";
 * console.assert(S.chanrecv.at(-1)!.func === "main.main");
 * ```
 */
export const S = {
  goStmt: [fr("main.main", 10)],
  workerEntry: [fr("main.worker")],
  chanrecv: [fr("runtime.chanrecv1"), fr("main.main", 20)],
  chansend: [fr("runtime.chansend1"), fr("main.worker", 5)],
  sleep: [fr("time.Sleep"), fr("main.main", 30)],
  read: [fr("syscall.read"), fr("os.(*File).Read"), fr("main.worker", 7)],
  write: [fr("syscall.write"), fr("main.main", 40)],
  forever: [fr("runtime.block"), fr("main.idle", 3)],
  idleEntry: [fr("main.idle")],
} satisfies Record<string, Frame[]>;

/**
 * Events of a built trace.
 *
 * @example
 * ```ts
 * import { events, lifecycle } from "./fixtures.ts";
 * console.assert(events(lifecycle()).at(-1)!.kind === "Sync");
 * ```
 */
export function events(t: TraceBuilder): Event[] {
  return readEvents(t.toBytes());
}

/**
 * One M, one P. G1 (main.main, running at the start) creates G5
 * (main.worker), blocks on a channel; G5 makes a read syscall, wakes G1 and
 * exits; G1 sleeps until the trace ends.
 *
 *     100 Sync                      (G1 created here: it existed already)
 *     110 P0 Running on M0
 *     120 G1 Running                 [GoStatus: no stack]
 *     200 G1 creates G5 (Runnable)   creation stack goStmt, G5 entry main.worker
 *     300 G1 blocks "chan receive"   stack chanrecv (names G1 main.main)
 *     310 G5 starts
 *     400 G5 syscall begins          stack read
 *     450 G5 syscall ends (keeps P0)
 *     500 G5 unblocks G1             stack chansend
 *     600 G5 exits
 *     610 G1 starts
 *     700 G1 blocks "sleep"          stack sleep
 *     701 Sync (trace end)
 *
 * G1: exec 180+90=270, block chan receive 200 + sleep 1, sched wait 110, total 601.
 * G5: sched wait 110, exec 90+150=240, syscall 50, total 400, ends at 600.
 *
 * @example
 * ```ts
 * import { lifecycle } from "./fixtures.ts";
 * console.assert(lifecycle().toBytes().length > 0);
 * ```
 */
export function lifecycle(): TraceBuilder {
  const t = new TraceBuilder(22);
  t.generation(1).batch(0, 100)
    .at(110).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
    .at(120).event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running })
    .at(200).event("GoCreate", { new_g: 5, new_stack: S.workerEntry, stack: S.goStmt })
    .at(300).event("GoBlock", { reason_string: "chan receive", stack: S.chanrecv })
    .at(310).event("GoStart", { g: 5, g_seq: 1 })
    .at(400).event("GoSyscallBegin", { p_seq: 1, stack: S.read })
    .at(450).event("GoSyscallEnd")
    .at(500).event("GoUnblock", { g: 1, g_seq: 1, stack: S.chansend })
    .at(600).event("GoDestroy")
    .at(610).event("GoStart", { g: 1, g_seq: 2 })
    .at(700).event("GoBlock", { reason_string: "sleep", stack: S.sleep });
  return t;
}

/**
 * Two Ms. G1 on M0/P0 enters a write syscall; M1 (running G2 on P1) steals
 * P0; G1 comes back without a P and waits to be scheduled; M1's G2 then
 * goes idle, P1 is handed to... nobody: G1 runs again on P1 via M0.
 *
 *     100 Sync
 *     110 M0: P0 Running         120 M0: G1 Running
 *     130 M1: P1 Running         140 M1: G2 Running (GoStatus, no stack)
 *     200 M0: G1 syscall begins (p_seq 1 of P0), stack write
 *     300 M1: steals P0 from M0 (p_seq 2)
 *     350 M1: G2 blocks "select" (stack chanrecv: names G2 main.main)
 *     360 M1: P1 stops
 *     400 M0: G1 syscall ends blocked (no P)
 *     410 M0: P1 starts (p_seq 1 of P1)
 *     420 M0: G1 starts on P1 (g_seq 1)
 *     500 M0: G1 blocks "sleep"
 *     501 Sync (trace end)
 *
 * G1: syscall 100 (200..300), syscall blocked 100 (300..400), sched wait 20,
 * exec 80+80=160, block sleep 1, total 401; its syscall's P was stolen by M1.
 *
 * @example
 * ```ts
 * import { steal } from "./fixtures.ts";
 * console.assert(steal().toBytes().length > 0);
 * ```
 */
export function steal(): TraceBuilder {
  const t = new TraceBuilder(22);
  const g = t.generation(1);
  g.batch(0, 100)
    .at(110).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
    .at(120).event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running })
    .at(200).event("GoSyscallBegin", { p_seq: 1, stack: S.write })
    .at(400).event("GoSyscallEndBlocked")
    .at(410).event("ProcStart", { p: 1, p_seq: 1 })
    .at(420).event("GoStart", { g: 1, g_seq: 1 })
    .at(500).event("GoBlock", { reason_string: "sleep", stack: S.sleep });
  g.batch(1, 100)
    .at(130).event("ProcStatus", { p: 1, pstatus: WireProcStatus.Running })
    .at(140).event("GoStatus", { g: 2, m: 1, gstatus: WireGoStatus.Running })
    .at(300).event("ProcSteal", { p: 0, p_seq: 2, m: 0 })
    .at(350).event("GoBlock", { reason_string: "select", stack: S.chanrecv })
    .at(360).event("ProcStop");
  return t;
}

/**
 * Annotations on one M and P. G1 begins task 1 "order" (parent none),
 * logs, opens region "outer" with "inner" nested inside, creates G7 while
 * both are open (G7 inherits task 1), ends them, ends the task; G7 runs a
 * region "child" of task 1 that is still open when the trace ends; G1 ends
 * a region "early" that began before the trace.
 *
 *     100 Sync
 *     110 P0 Running             120 G1 Running
 *     130 G1 ends region "early" (task 0; began before the trace)
 *     200 TaskBegin 1 "order" (parent 0 = background)
 *     210 Log task 1 "step" = "start"
 *     300 RegionBegin "outer" (task 1)
 *     310 RegionBegin "inner" (task 1)
 *     320 GoCreate G7 (entry main.worker)
 *     400 RegionEnd "inner"      500 RegionEnd "outer"
 *     600 TaskEnd 1
 *     610 G1 blocks "sleep" (stack sleep)
 *     620 G7 starts              630 RegionBegin "child" (task 1) on G7
 *     640 Log task 2 "orphan" = "x" on G7 (task 2 never begins)
 *     700 G7 blocks "chan send" (stack chansend), region still open
 *     701 Sync (trace end)
 *
 * @example
 * ```ts
 * import { annotations } from "./fixtures.ts";
 * console.assert(annotations().toBytes().length > 0);
 * ```
 */
export function annotations(): TraceBuilder {
  const t = new TraceBuilder(22);
  t.generation(1).batch(0, 100)
    .at(110).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
    .at(120).event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running })
    .at(130).event("UserRegionEnd", { task: 0, name_string: "early", stack: 0 })
    .at(200).event("UserTaskBegin", { task: 1, parent_task: 0, name_string: "order", stack: 0 })
    .at(210).event("UserLog", { task: 1, key_string: "step", value_string: "start", stack: 0 })
    .at(300).event("UserRegionBegin", { task: 1, name_string: "outer", stack: 0 })
    .at(310).event("UserRegionBegin", { task: 1, name_string: "inner", stack: 0 })
    .at(320).event("GoCreate", { new_g: 7, new_stack: S.workerEntry, stack: S.goStmt })
    .at(400).event("UserRegionEnd", { task: 1, name_string: "inner", stack: 0 })
    .at(500).event("UserRegionEnd", { task: 1, name_string: "outer", stack: 0 })
    .at(600).event("UserTaskEnd", { task: 1, stack: 0 })
    .at(610).event("GoBlock", { reason_string: "sleep", stack: S.sleep })
    .at(620).event("GoStart", { g: 7, g_seq: 1 })
    .at(630).event("UserRegionBegin", { task: 1, name_string: "child", stack: 0 })
    .at(640).event("UserLog", { task: 2, key_string: "orphan", value_string: "x", stack: 0 })
    .at(700).event("GoBlock", { reason_string: "chan send", stack: S.chansend });
  return t;
}

/**
 * GC on GOMAXPROCS 2 (one M, P0 running; P1 idle). A sweep-termination
 * pause, the mark phase with a dedicated mark worker on P0 and a mark
 * assist by G1, a mark-termination pause, and heap metrics.
 *
 *     100 Sync
 *     110 P0 Running          115 P1 Idle
 *     120 G1 Running (GoStatus)
 *     130 GOMAXPROCS = 2 (ProcsChange)          util 1
 *     140 HeapAlloc 1000      150 HeapGoal 4000
 *     200 STW "GC sweep termination" begins     util 0
 *     210 GCBegin (seq 1)
 *     220 STW ends                               util 1
 *     300 G1 stops, "preempted" (Runnable; stack sleep)
 *     305 G9 created (entry runtime.gcBgMarkWorker; no goroutine running)
 *     310 G9 starts
 *     320 G9 labels itself "GC (dedicated)"     util 1/2 (P0 in GC)
 *     400 G9 blocks "GC worker (idle)"           util 1
 *     410 G1 starts again     420 mark assist begins (G1)  util 1/2
 *     470 mark assist ends                       util 1
 *     500 STW "GC mark termination" begins      util 0
 *     510 GCEnd (seq 2)       520 STW ends       util 1
 *     530 HeapAlloc 1500
 *     600 G1 blocks "sleep"
 *     601 Sync: util 0 from here (end of series)
 *
 * Utilization series: 130→1, 200→0, 220→1, 320→0.5, 400→1, 420→0.5,
 * 470→1, 500→0, 520→1, 601→0.
 *
 * @example
 * ```ts
 * import { gc } from "./fixtures.ts";
 * console.assert(gc().toBytes().length > 0);
 * ```
 */
export function gc(): TraceBuilder {
  const t = new TraceBuilder(22);
  t.generation(1).batch(0, 100)
    .at(110).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
    .at(115).event("ProcStatus", { p: 1, pstatus: WireProcStatus.Idle })
    .at(120).event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running })
    .at(130).event("ProcsChange", { procs_value: 2, stack: 0 })
    .at(140).event("HeapAlloc", { heapalloc_value: 1000 })
    .at(150).event("HeapGoal", { heapgoal_value: 4000 })
    .at(200).event("STWBegin", { kind_string: "GC sweep termination", stack: 0 })
    .at(210).event("GCBegin", { gc_seq: 1, stack: 0 })
    .at(220).event("STWEnd")
    .at(300).event("GoStop", { reason_string: "preempted", stack: S.sleep })
    .at(305).event("GoCreate", {
      new_g: 9,
      new_stack: [fr("runtime.gcBgMarkWorker")],
      stack: 0,
    })
    .at(310).event("GoStart", { g: 9, g_seq: 1 })
    .at(320).event("GoLabel", { label_string: "GC (dedicated)" })
    .at(400).event("GoBlock", { reason_string: "GC worker (idle)", stack: 0 })
    .at(410).event("GoStart", { g: 1, g_seq: 1 })
    .at(420).event("GCMarkAssistBegin", { stack: 0 })
    .at(470).event("GCMarkAssistEnd")
    .at(500).event("STWBegin", { kind_string: "GC mark termination", stack: 0 })
    .at(510).event("GCEnd", { gc_seq: 2 })
    .at(520).event("STWEnd")
    .at(530).event("HeapAlloc", { heapalloc_value: 1500 })
    .at(600).event("GoBlock", { reason_string: "sleep", stack: S.sleep });
  return t;
}

/**
 * CPU samples over two generations (stacks get new ids in each). G1 runs
 * throughout; samples:
 *
 *     gen 1: [main.checksum, main.verify, main.main] x2 (G1),
 *            [main.verify, main.main] x1 (G1), [runtime.scanobject] x1 (no G)
 *     gen 2: [main.checksum, main.verify, main.main] x1 (G1),
 *            [main.verify, main.main] x1 (G1)
 *
 * Self: checksum 3, verify 2, scanobject 1. Cumulative: main.main 5,
 * main.verify 5, main.checksum 3, runtime.scanobject 1. Stacks: 3, 2, 1.
 *
 * @example
 * ```ts
 * import { cpu } from "./fixtures.ts";
 * console.assert(cpu().toBytes().length > 0);
 * ```
 */
export function cpu(): TraceBuilder {
  const hot = [fr("main.checksum"), fr("main.verify"), fr("main.main")];
  const warm = [fr("main.verify"), fr("main.main")];
  const t = new TraceBuilder(22);
  const g1 = t.generation(1);
  g1.batch(0, 100)
    .at(110).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
    .at(120).event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running })
    .at(190).event("HeapAlloc", { heapalloc_value: 1 });
  for (
    const [time, stack, g] of [[130, hot, 1], [140, hot, 1], [150, warm, 1], [160, [
      fr("runtime.scanobject"),
    ], 0]] as const
  ) {
    g1.cpuSample({ time, m: 0, p: 0, g, stack });
  }
  const g2 = t.generation(2);
  g2.batch(0, 200)
    .at(210).event("ProcStatus", { p: 0, pstatus: WireProcStatus.Running })
    .at(220).event("GoStatus", { g: 1, m: 0, gstatus: WireGoStatus.Running })
    .at(290).event("GoBlock", { reason_string: "sleep", stack: S.sleep });
  g2.cpuSample({ time: 230, m: 0, p: 0, g: 1, stack: hot });
  g2.cpuSample({ time: 240, m: 0, p: 0, g: 1, stack: warm });
  return t;
}
