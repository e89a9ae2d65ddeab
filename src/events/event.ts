/**
 * The event model: what the reader hands out. An event is a few numbers (wire
 * type, time, thread/proc/goroutine, up to four arguments) and a pointer to
 * its generation's tables; every view (state transition, range, task...) is
 * computed on demand, so reading events costs no more than the numbers.
 *
 * @module
 */

import { Ev, EXPERIMENTS, SPECS } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import { formatU64 } from "../wire/uvarint.ts";
import { setWireArg, wireArg } from "../wire/cursor.ts";
import { rfc3339Nano } from "./go_format.ts";
import { goQuoteString } from "../wire/go_quote.ts";
import {
  EV_SYNC,
  type EventKind,
  GO_STATES,
  type GoState,
  GoStateCode,
  goStateOfWire,
  KIND_OF_TYPE,
  NO_TASK,
  PROC_STATES,
  type ProcState,
  ProcStateCode,
  procStateOfWire,
} from "./kinds.ts";
import { type WireGoStatus, WireProcStatus } from "../wire/spec.ts";

/** One frame of a stack. */
export interface StackFrame {
  /** Program counter. */
  pc: number;
  /** Function name. */
  func: string;
  /** Source file. */
  file: string;
  /** Line number. */
  line: number;
}

/**
 * A stack, resolved lazily from its generation's tables.
 *
 * @example
 * ```ts
 * import { Stack } from "./event.ts";
 * const s = Stack.fromFrames([{ pc: 0x10, func: "main.main", file: "main.go", line: 3 }]);
 * console.assert(s.frames[0].func === "main.main");
 * console.assert(s.toString() === "main.main @ 0x10\n\tmain.go:3\n");
 * ```
 */
export class Stack {
  #frames?: StackFrame[];
  /**
   * A stack by id in a generation's tables.
   * @param tables the generation's tables
   * @param id the stack id (non-zero)
   */
  constructor(readonly tables: GenTables | null, readonly id: number) {}

  /** Builds a stack from frames (for tests and synthetic events). */
  static fromFrames(frames: StackFrame[]): Stack {
    const s = new Stack(null, -1);
    s.#frames = frames.slice();
    return s;
  }

  /** Frames, innermost first. */
  get frames(): StackFrame[] {
    if (this.#frames) return this.#frames;
    const t = this.tables!;
    const pcs = t.stacks.get(this.id) ?? [];
    return this.#frames = pcs.map((pc) => {
      const f = t.pcs.get(pc)!;
      return { pc, func: t.string(f.funcID) ?? "", file: t.string(f.fileID) ?? "", line: f.line };
    });
  }

  /** Go's text for a stack: `func @ 0xpc` then `\tfile:line`, one pair per frame. */
  toString(prefix = ""): string {
    // Joined, the text is one flat string (events print it millions of times).
    return this.frames.map((f) =>
      `${prefix}${f.func} @ 0x${f.pc.toString(16)}\n${prefix}\t${f.file}:${f.line}\n`
    ).join("");
  }
}

/** A resource an event or transition is about. */
export interface ResourceID {
  /** Resource kind. */
  kind: "None" | "Goroutine" | "Proc" | "Thread";
  /** Its id (-1 for none). */
  id: number;
}

/** A change of state of a goroutine or a P. */
export interface StateTransition {
  /** The goroutine or P whose state changed. */
  resource: ResourceID;
  /** State before (a GoState or ProcState name). */
  from: GoState | ProcState;
  /** State after. */
  to: GoState | ProcState;
  /** Why, when the runtime said (blocking and stopping reasons). */
  reason: string;
  /** Stack of the resource at the transition (not of the event), if any. */
  stack: Stack | null;
}

/** A named span of time (GC, sweep, mark assist, stop-the-world). */
export interface Range {
  /** Range name, e.g. "GC concurrent mark phase" or "stop-the-world (GC sweep termination)". */
  name: string;
  /** What the range belongs to. */
  scope: ResourceID;
}

/** A metric sample. */
export interface Metric {
  /** Metric name in runtime/metrics form. */
  name: string;
  /** Its value. */
  value: number;
}

/** A user task begin or end. */
export interface Task {
  /** Task id. */
  id: number;
  /** Parent task id, -1 (prints as 18446744073709551615) when none. */
  parent: number;
  /** Task type name (empty on an end whose begin was not seen). */
  type: string;
}

/** A user region begin or end. */
export interface Region {
  /** Task the region belongs to (0 = background). */
  task: number;
  /** Region type name. */
  type: string;
}

/** A user log message. */
export interface Log {
  /** Task id (0 = background). */
  task: number;
  /** Category (key). */
  category: string;
  /** Message. */
  message: string;
}

/** A goroutine label. */
export interface Label {
  /** The label text. */
  label: string;
  /** The goroutine it applies to. */
  resource: ResourceID;
}

/** Clock snapshot of a generation (Go 1.25+). */
export interface ClockSnapshot {
  /** Trace time of the snapshot (ns). */
  trace: number;
  /** Wall clock seconds since the Unix epoch. */
  wallSec: number;
  /** Wall clock nanoseconds within the second. */
  wallNsec: number;
  /** Wall clock as RFC 3339 text (UTC). */
  wall: string;
  /** Monotonic clock reading (ns). */
  mono: number;
}

/** Details of a Sync event. */
export interface Sync {
  /** 1-based count of Sync events so far. */
  n: number;
  /** The generation's clock snapshot, when it has one. */
  clockSnapshot: ClockSnapshot | null;
  /** Experimental batches of the generation, by experiment name. */
  experimentalBatches: Record<string, { thread: number; data: Uint8Array }[]>;
}

/** An experimental event's name and arguments. */
export interface ExperimentalEvent {
  /** Event name. */
  name: string;
  /** Experiment name. */
  experiment: string;
  /** Argument names. */
  args: string[];
  /** Argument values (strings for `*string` args). */
  values: (number | string)[];
}

// Argument slot of each event type's own stack (the first of its spec's
// stacks; a CPU sample's is its first argument), -1 for none.
const OWN_STACK_SLOT: Int8Array = (() => {
  const a = new Int8Array(256).fill(-1);
  for (let t = 0; t < SPECS.length; t++) {
    const s = SPECS[t].stacks;
    if (s.length) a[t] = s[0] - 1;
  }
  a[Ev.CPUSample] = 0;
  return a;
})();

function goroutine(id: number): ResourceID {
  return { kind: "Goroutine", id };
}

type FieldName =
  | "tables"
  | "thread"
  | "proc"
  | "goroutine"
  | "type"
  | "time"
  | "a0"
  | "a1"
  | "a2"
  | "a3";

/**
 * Overwrites every field of `ev`: how the ordering engine reuses the Event
 * objects of a scan, whose caller keeps none of them.
 *
 * @example
 * ```ts
 * import { Event, refillEvent } from "./event.ts";
 * import { EV_SYNC } from "./kinds.ts";
 * const ev = new Event(null, -1, -1, -1, EV_SYNC, 42, 1, 0, 0, 0);
 * refillEvent(ev, null, -1, -1, -1, EV_SYNC, 50, 2, 0, 0, 0);
 * console.assert(ev.toString() === "M=-1 P=-1 G=-1 Sync Time=50 N=2");
 * ```
 */
export function refillEvent(
  ev: Event,
  tables: GenTables | null,
  thread: number,
  proc: number,
  goroutine: number,
  type: number,
  time: number,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
): void {
  // The two readonly fields are readonly for users; the engine may refill.
  const e = ev as { -readonly [K in FieldName]: Event[K] };
  // Stored only when it changes: a generation's tables are young while the
  // refilled events are old, and each such store takes the garbage
  // collector's write barrier on its slow path (it records the slot).
  if (e.tables !== tables) e.tables = tables;
  e.thread = thread;
  e.proc = proc;
  e.goroutine = goroutine;
  e.type = type;
  e.time = time;
  e.a0 = a0;
  e.a1 = a1;
  e.a2 = a2;
  e.a3 = a3;
}

/**
 * One trace event, as Go's reader returns it. Fields are plain numbers;
 * views are methods that throw a TypeError when called on the wrong kind.
 *
 * @example
 * ```ts
 * import { Event } from "./event.ts";
 * import { EV_SYNC } from "./kinds.ts";
 * const ev = new Event(null, -1, -1, -1, EV_SYNC, 42, 1, 0, 0, 0);
 * console.assert(ev.kind === "Sync");
 * console.assert(ev.toString() === "M=-1 P=-1 G=-1 Sync Time=42 N=1");
 * ```
 */
export class Event {
  /**
   * An event; the ordering engine makes them.
   * @param tables the generation's tables (null for a final Sync)
   * @param thread M id, -1 for none
   * @param proc P id, -1 for none
   * @param goroutine G id, -1 for none
   * @param type wire event type ({@link EV_SYNC} for Sync)
   * @param time nanoseconds
   */
  constructor(
    tables: GenTables | null,
    thread: number,
    proc: number,
    goroutine: number,
    type: number,
    time: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
  ) {
    // The same stores as refillEvent, not a call to it: its stores would then
    // meet both the fields being added and the fields being refilled, and a
    // read measured 5% slower.
    this.tables = tables;
    this.thread = thread;
    this.proc = proc;
    this.goroutine = goroutine;
    this.type = type;
    this.time = time;
    this.a0 = a0;
    this.a1 = a1;
    this.a2 = a2;
    this.a3 = a3;
  }

  // Declared, not defined: a defined field starts undefined, and V8 then
  // boxes every time stored in it (see BatchCursor).
  /** The generation's tables (null for a final Sync). */
  declare readonly tables: GenTables | null;
  /** M id, -1 for none. */
  declare thread: number;
  /** P id, -1 for none. */
  declare proc: number;
  /** G id, -1 for none. */
  declare goroutine: number;
  /** Wire event type ({@link EV_SYNC} for Sync). */
  declare readonly type: number;
  /** Nanoseconds. */
  declare time: number;
  /** First argument after the timestamp. */
  declare a0: number;
  /** Second argument. */
  declare a1: number;
  /** Third argument. */
  declare a2: number;
  /** Fourth argument. */
  declare a3: number;

  /** What the event is about. */
  get kind(): EventKind {
    return KIND_OF_TYPE[this.type];
  }

  /** Name of the wire event it came from ("Sync" for Sync events). */
  get typeName(): string {
    return this.type === EV_SYNC ? "Sync" : SPECS[this.type].name;
  }

  /** Argument `i` (0-based, after the timestamp). */
  arg(i: number): number {
    return wireArg(this, i);
  }

  /** Sets argument slot `i` (the ordering engine smuggles state into spare slots). */
  setArg(i: number, v: number): void {
    setWireArg(this, i, v);
  }

  /** The event's own stack (where it happened), or null. */
  get stack(): Stack | null {
    if (this.type === Ev.CPUSample) return new Stack(this.tables, this.a0);
    const id = this.stackId;
    return id === 0 ? null : new Stack(this.tables, id);
  }

  /**
   * Id of the event's own stack in its generation's table, 0 for none: what
   * {@link stack} resolves, for code that keys or caches stacks by id.
   */
  get stackId(): number {
    const slot = OWN_STACK_SLOT[this.type];
    return slot < 0 ? 0 : this.arg(slot);
  }

  /** A string of this event's generation. */
  private str(id: number): string {
    return this.tables?.string(id) ?? "";
  }

  /** Throws unless a view fits this event's kind. */
  private expect(ok: boolean, what: string): void {
    if (!ok) throw new TypeError(`${what} called on a ${this.kind} event`);
  }

  /** The metric of a Metric event. */
  metric(): Metric {
    this.expect(this.kind === "Metric", "metric()");
    const name = this.type === Ev.ProcsChange
      ? "/sched/gomaxprocs:threads"
      : this.type === Ev.HeapAlloc
      ? "/memory/classes/heap/objects:bytes"
      : "/gc/heap/goal:bytes";
    return { name, value: this.a0 };
  }

  /** The label of a Label event. */
  label(): Label {
    this.expect(this.kind === "Label", "label()");
    return { label: this.str(this.a0), resource: goroutine(this.goroutine) };
  }

  /** The range of a RangeBegin/RangeActive/RangeEnd event. */
  range(): Range {
    const k = this.kind;
    this.expect(k === "RangeBegin" || k === "RangeActive" || k === "RangeEnd", "range()");
    switch (this.type) {
      case Ev.STWBegin:
      case Ev.STWEnd:
        return {
          name: `stop-the-world (${this.str(this.a0)})`,
          scope: goroutine(this.goroutine),
        };
      case Ev.GCBegin:
      case Ev.GCActive:
      case Ev.GCEnd:
        return { name: "GC concurrent mark phase", scope: { kind: "None", id: 0 } };
      case Ev.GCSweepBegin:
      case Ev.GCSweepActive:
      case Ev.GCSweepEnd:
        return {
          name: "GC incremental sweep",
          scope: { kind: "Proc", id: this.type === Ev.GCSweepActive ? this.a0 : this.proc },
        };
      default:
        return {
          name: "GC mark assist",
          scope: goroutine(this.type === Ev.GCMarkAssistActive ? this.a0 : this.goroutine),
        };
    }
  }

  /** Attributes of a RangeEnd (bytes swept and reclaimed for a sweep). */
  rangeAttributes(): { name: string; value: number }[] {
    this.expect(this.kind === "RangeEnd", "rangeAttributes()");
    if (this.type !== Ev.GCSweepEnd) return [];
    return [{ name: "bytes swept", value: this.a0 }, { name: "bytes reclaimed", value: this.a1 }];
  }

  /** The task of a TaskBegin/TaskEnd event. */
  task(): Task {
    this.expect(this.kind === "TaskBegin" || this.kind === "TaskEnd", "task()");
    if (this.type === Ev.UserTaskBegin) {
      return { id: this.a0, parent: this.a1, type: this.str(this.a2) };
    }
    return { id: this.a0, parent: this.a2, type: this.tables?.extraString(this.a3) ?? "" };
  }

  /** The region of a RegionBegin/RegionEnd event. */
  region(): Region {
    this.expect(this.kind === "RegionBegin" || this.kind === "RegionEnd", "region()");
    return { task: this.a0, type: this.str(this.a1) };
  }

  /** The message of a Log event. */
  log(): Log {
    this.expect(this.kind === "Log", "log()");
    return { task: this.a0, category: this.str(this.a1), message: this.str(this.a2) };
  }

  /** The state change of a StateTransition event. */
  stateTransition(): StateTransition {
    this.expect(this.kind === "StateTransition", "stateTransition()");
    const proc = (id: number, from: ProcStateCode, to: ProcStateCode): StateTransition => ({
      resource: { kind: "Proc", id },
      from: PROC_STATES[from],
      to: PROC_STATES[to],
      reason: "",
      stack: null,
    });
    const go = (
      id: number,
      from: GoStateCode,
      to: GoStateCode,
      reason = "",
      stack: Stack | null = null,
    ): StateTransition => ({
      resource: goroutine(id),
      from: GO_STATES[from] ?? "Bad" as GoState,
      to: GO_STATES[to] ?? "Bad" as GoState,
      reason,
      stack,
    });
    switch (this.type) {
      case Ev.ProcStart:
        return proc(this.a0, ProcStateCode.Idle, ProcStateCode.Running);
      case Ev.ProcStop:
        return proc(this.proc, ProcStateCode.Running, ProcStateCode.Idle);
      case Ev.ProcSteal: {
        // A steal of a P that was never seen in a syscall is Idle -> Idle.
        const before = this.a3 === WireProcStatus.SyscallAbandoned
          ? ProcStateCode.Idle
          : ProcStateCode.Running;
        return proc(this.a0, before, ProcStateCode.Idle);
      }
      case Ev.ProcStatus:
        return proc(this.a0, this.a2 as ProcStateCode, procStateOfWire(this.a1 as WireProcStatus));
      case Ev.GoCreate:
      case Ev.GoCreateBlocked: {
        const to = this.type === Ev.GoCreate ? GoStateCode.Runnable : GoStateCode.Waiting;
        return go(this.a0, GoStateCode.NotExist, to, "", new Stack(this.tables, this.a1));
      }
      case Ev.GoCreateSyscall:
        return go(this.a0, GoStateCode.NotExist, GoStateCode.Syscall);
      case Ev.GoStart:
        return go(this.a0, GoStateCode.Runnable, GoStateCode.Running);
      case Ev.GoDestroy:
        return go(this.goroutine, GoStateCode.Running, GoStateCode.NotExist);
      case Ev.GoDestroySyscall:
        return go(this.goroutine, GoStateCode.Syscall, GoStateCode.NotExist);
      case Ev.GoStop:
        return go(
          this.goroutine,
          GoStateCode.Running,
          GoStateCode.Runnable,
          this.str(this.a0),
          this.stack,
        );
      case Ev.GoBlock:
        return go(
          this.goroutine,
          GoStateCode.Running,
          GoStateCode.Waiting,
          this.str(this.a0),
          this.stack,
        );
      case Ev.GoUnblock:
      case Ev.GoSwitch:
      case Ev.GoSwitchDestroy:
        return go(this.a0, GoStateCode.Waiting, GoStateCode.Runnable);
      case Ev.GoSyscallBegin:
        return go(this.goroutine, GoStateCode.Running, GoStateCode.Syscall, "", this.stack);
      case Ev.GoSyscallEnd:
        return go(this.goroutine, GoStateCode.Syscall, GoStateCode.Running);
      case Ev.GoSyscallEndBlocked:
        return go(this.goroutine, GoStateCode.Syscall, GoStateCode.Runnable);
      default: {
        // GoStatus / GoStatusStack: the engine packs from*65536 + wire status into a2.
        const from = Math.floor(this.a2 / 65536) as GoStateCode;
        const to = goStateOfWire(this.a2 % 65536 as WireGoStatus);
        return go(this.a0, from, to, "", this.stack);
      }
    }
  }

  /** Details of a Sync event. */
  sync(): Sync {
    this.expect(this.kind === "Sync", "sync()");
    const t = this.tables;
    const experimentalBatches: Sync["experimentalBatches"] = {};
    let clockSnapshot: ClockSnapshot | null = null;
    if (t) {
      for (const [id, list] of t.expBatches) experimentalBatches[EXPERIMENTS[id] ?? `${id}`] = list;
      if (t.hasClockSnapshot) {
        clockSnapshot = {
          trace: t.toNs(t.snapTime),
          wallSec: t.snapSec,
          wallNsec: t.snapNsec,
          wall: rfc3339Nano(t.snapSec, t.snapNsec),
          mono: t.snapMono,
        };
      }
    }
    return { n: this.a0, clockSnapshot, experimentalBatches };
  }

  /** Name and arguments of an Experimental event. */
  experimental(): ExperimentalEvent {
    this.expect(this.kind === "Experimental", "experimental()");
    const spec = SPECS[this.type];
    const args = spec.args.slice(1);
    const values = args.map((a, i) => a.endsWith("string") ? this.str(this.arg(i)) : this.arg(i));
    return { name: spec.name, experiment: EXPERIMENTS[spec.experiment], args, values };
  }

  /** In the REPL and `console.log`, an event shows as its text. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Go's `Event.String()` text, byte for byte. */
  toString(): string {
    const kind = this.kind;
    let s = `M=${this.thread} P=${this.proc} G=${this.goroutine} ${kind} Time=${this.time}`;
    switch (kind) {
      case "Metric": {
        const m = this.metric();
        s += ` Name=${goQuote(m.name)} Value=Value{Uint64(${formatU64(m.value)})}`;
        break;
      }
      case "Label": {
        const l = this.label();
        s += ` Label=${goQuote(l.label)} Resource=Goroutine(${l.resource.id})`;
        break;
      }
      case "RangeBegin":
      case "RangeActive":
      case "RangeEnd": {
        const r = this.range();
        const scope = r.scope.kind === "None" ? "None" : `${r.scope.kind}(${r.scope.id})`;
        s += ` Name=${goQuote(r.name)} Scope=${scope}`;
        if (kind === "RangeEnd") {
          const attrs = this.rangeAttributes().map((a) =>
            `${goQuote(a.name)}=Value{Uint64(${formatU64(a.value)})}`
          );
          s += ` Attributes=[${attrs.join(" ")}]`;
        }
        break;
      }
      case "TaskBegin":
      case "TaskEnd": {
        const t = this.task();
        s += ` ID=${formatU64(t.id)} Parent=${formatU64(t.parent)} Type=${goQuote(t.type)}`;
        break;
      }
      case "RegionBegin":
      case "RegionEnd": {
        const r = this.region();
        s += ` Task=${formatU64(r.task)} Type=${goQuote(r.type)}`;
        break;
      }
      case "Log": {
        const l = this.log();
        s += ` Task=${formatU64(l.task)} Category=${goQuote(l.category)} Message=${
          goQuote(l.message)
        }`;
        break;
      }
      case "StateTransition": {
        const t = this.stateTransition();
        const label = t.resource.kind === "Goroutine" ? "GoID" : "ProcID";
        s += ` ${label}=${t.resource.id} ${t.from}->${t.to} Reason=${goQuote(t.reason)}`;
        if (t.stack) s += `\nTransitionStack=\n${stackText(t.stack)}`;
        break;
      }
      case "Experimental": {
        const x = this.experimental();
        const parts = x.args.map((a, i) => {
          const v = x.values[i];
          return `${a}=${typeof v === "string" ? v : `Value{Uint64(${formatU64(v)})}`}`;
        });
        s += ` Name=${x.name} Args=[${parts.join(", ")}]`;
        break;
      }
      case "Sync": {
        const y = this.sync();
        s += ` N=${y.n}`;
        const c = y.clockSnapshot;
        if (c) s += ` Trace=${c.trace} Mono=${formatU64(c.mono)} Wall=${c.wall}`;
        break;
      }
    }
    const stk = this.stack;
    if (stk) s += `\nStack=\n${stackText(stk)}`;
    return s;
  }
}

// The texts of a generation's stacks, as events print them (each frame
// indented by a tab): a trace has few stacks and prints them millions of
// times (and V8 flattens a cached text once, on its first copy).
const STACK_TEXTS = new WeakMap<GenTables, Map<number, string>>();

function stackText(stk: Stack): string {
  const t = stk.tables;
  if (t === null) return stk.toString("\t");
  let texts = STACK_TEXTS.get(t);
  if (texts === undefined) STACK_TEXTS.set(t, texts = new Map());
  let text = texts.get(stk.id);
  if (text === undefined) texts.set(stk.id, text = stk.toString("\t"));
  return text;
}

// Quoted names, reasons and categories: a trace repeats a few hundred of
// them. Bounded, since log messages can be anything.
const QUOTED = new Map<string, string>();

function goQuote(s: string): string {
  let q = QUOTED.get(s);
  if (q === undefined) {
    q = goQuoteString(s);
    if (QUOTED.size < 4096) QUOTED.set(s, q);
  }
  return q;
}

/** A task id of "none". */
export { NO_TASK };
