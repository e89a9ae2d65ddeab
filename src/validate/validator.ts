/**
 * Consistency checks over a stream of trace events.
 *
 * The reader already rejects traces it cannot order; this module checks the
 * *output* side: that the events a reader hands out tell one coherent story.
 * It keeps a small model of the scheduler (which goroutine and proc each
 * thread is running, the last state of every goroutine and proc, open
 * ranges, regions and tasks) and reports every event that contradicts it.
 * The facts checked are the ones Go's own test validator relies on, plus a
 * check that each event's M/P/G context agrees with the model.
 *
 * @module
 */

import { GO_STATES, PROC_STATES } from "../events/kinds.ts";

/**
 * A stack frame as the validator needs it.
 *
 * @example
 * ```ts
 * import type { ValidatedFrame } from "./validator.ts";
 * const f: ValidatedFrame = { func: "main.main", file: "main.go", line: 7, pc: 0x401000 };
 * console.assert(f.func !== "");
 * ```
 */
export interface ValidatedFrame {
  /** Function name; empty or missing means the string did not resolve. */
  readonly func: string;
  /** Source file. */
  readonly file: string;
  /** Source line. */
  readonly line: number;
  /** Program counter. */
  readonly pc: number | bigint;
}

/**
 * A stack as the validator needs it.
 *
 * @example
 * ```ts
 * import type { ValidatedStack } from "./validator.ts";
 * const s: ValidatedStack = { frames: [{ func: "main.main", file: "main.go", line: 7, pc: 1 }] };
 * console.assert(s.frames.length === 1);
 * ```
 */
export interface ValidatedStack {
  /** Innermost frame first. */
  readonly frames: readonly ValidatedFrame[];
}

/**
 * A resource reference: `kind` is "None", "Goroutine", "Proc" or "Thread".
 *
 * @example
 * ```ts
 * import type { ValidatedResource } from "./validator.ts";
 * const g: ValidatedResource = { kind: "Goroutine", id: 1 };
 * console.assert(g.kind === "Goroutine");
 * ```
 */
export interface ValidatedResource {
  /** Resource kind. */
  readonly kind: string;
  /** Goroutine, proc or thread id (ignored for "None"). */
  readonly id: number;
}

/**
 * The clock snapshot a Go 1.25+ sync event carries; any numeric-ish
 * representation works.
 *
 * @example
 * ```ts
 * import type { ValidatedClockSnapshot } from "./validator.ts";
 * const c: ValidatedClockSnapshot = { trace: 10, mono: 20, wall: "2026-01-02T03:04:05.123456789Z" };
 * console.assert(c.trace === 10);
 * ```
 */
export interface ValidatedClockSnapshot {
  /** Trace clock reading (ns). */
  readonly trace?: unknown;
  /** Monotonic clock reading. */
  readonly mono?: unknown;
  /** Wall clock reading (a Date, an epoch number or bigint, or RFC 3339 text). */
  readonly wall?: unknown;
  /** Wall clock seconds since the epoch; with `wallNsec`, preferred over `wall`. */
  readonly wallSec?: unknown;
  /** Wall clock nanoseconds within the second. */
  readonly wallNsec?: unknown;
}

/**
 * The slice of the library's `Event` that the validator reads. `Event`
 * satisfies it; tests can hand-make objects of this shape. Accessors are
 * only called for the kinds they belong to.
 *
 * @example
 * ```ts
 * import { type ValidatedEvent, Validator } from "./validator.ts";
 * const sync = {
 *   kind: "Sync", time: 1, thread: -1, proc: -1, goroutine: -1, stack: null,
 *   sync: () => ({ n: 1 }),
 *   toString: () => "M=-1 P=-1 G=-1 Sync Time=1 N=1",
 * } as unknown as ValidatedEvent;
 * console.assert(new Validator().event(sync).length === 0);
 * ```
 */
export interface ValidatedEvent {
  /** Event kind, e.g. "StateTransition". */
  readonly kind: string;
  /** Timestamp in nanoseconds. */
  readonly time: number;
  /** Thread (M) id, -1 for none. */
  readonly thread: number;
  /** Proc (P) id, -1 for none. */
  readonly proc: number;
  /** Goroutine id, -1 for none. */
  readonly goroutine: number;
  /** The event's own stack, or null. */
  readonly stack: ValidatedStack | null;
  /** Details of a StateTransition event. */
  stateTransition(): {
    readonly resource: ValidatedResource;
    readonly from: string;
    readonly to: string;
    readonly reason: string;
    readonly stack: ValidatedStack | null;
  };
  /** Details of a RangeBegin/RangeActive/RangeEnd event. */
  range(): { readonly name: string; readonly scope: ValidatedResource };
  /** Details of a TaskBegin/TaskEnd event. */
  task(): { readonly id: number; readonly parent: number; readonly type: string };
  /** Details of a RegionBegin/RegionEnd event. */
  region(): { readonly task: number; readonly type: string };
  /** Details of a Log event. */
  log(): { readonly task: number; readonly category: string; readonly message: string };
  /** Details of a Metric event. */
  metric(): { readonly name: string; readonly value: unknown };
  /** Details of a Label event. */
  label(): { readonly label: string; readonly resource: ValidatedResource };
  /** Details of a Sync event. */
  sync(): { readonly n: number; readonly clockSnapshot?: ValidatedClockSnapshot | null };
  /** Go's `Event.String()` rendering. */
  toString(): string;
}

/**
 * One inconsistency found in an event stream.
 *
 * @example
 * ```ts
 * import type { Violation } from "./validator.ts";
 * const v: Violation = {
 *   message: "event names G2 but M1 is running G1",
 *   event: "M=1 P=0 G=2 Metric Time=40 Name=\"/gc/heap/goal:bytes\" Value=Value{Uint64(4)}",
 *   index: 3,
 *   time: 40,
 * };
 * console.assert(v.index === 3);
 * ```
 */
export interface Violation {
  /** What is wrong, in a sentence. */
  readonly message: string;
  /** First line of the offending event's `toString()`. */
  readonly event: string;
  /** 0-based position of the event in the stream. */
  readonly index: number;
  /** The event's timestamp. */
  readonly time: number;
}

/**
 * Knobs for {@link Validator}. The defaults suit any Go 1.22+ event stream.
 *
 * @example
 * ```ts
 * import { Validator, type ValidatorOptions } from "./validator.ts";
 * const opts: ValidatorOptions = { strictTime: true, requireClockSnapshot: true };
 * console.assert(new Validator(opts).ok);
 * ```
 */
export interface ValidatorOptions {
  /** Also report equal consecutive timestamps (the Go reader makes them strictly increasing). */
  strictTime?: boolean;
  /** Require a clock snapshot on the first sync (traces from Go 1.25 on carry one). */
  requireClockSnapshot?: boolean;
  /** Skip the "clock snapshots increase" checks (coarse clocks, e.g. Windows). */
  skipClockChecks?: boolean;
  /**
   * The events come from a pre-Go 1.22 trace converted to the new model:
   * their M/P/G context is not the scheduler's "before" context, and a
   * goroutine can be found in a syscall with no known thread or leave it on
   * none, and task ends don't repeat the parent. Relaxes those checks.
   */
  legacy?: boolean;
  /** Stop storing violations after this many (they are still counted). Default 1000. */
  limit?: number;
}

/** Task id meaning "no task" (2^64-1 on the wire, -1 as a number). */
const NO_TASK = -1;
/** Task id of the background task; no event may begin or parent it. */
const BACKGROUND_TASK = 0;

const GO_STATE_NAMES: ReadonlySet<string> = new Set(GO_STATES);
const PROC_STATE_NAMES: ReadonlySet<string> = new Set(PROC_STATES);

/** What one thread is running right now; -1 for nothing. */
interface Ctx {
  readonly m: number;
  p: number;
  g: number;
}

/** Last known state of a goroutine or proc and the thread it executes on. */
interface ResState {
  state: string;
  on: Ctx | null;
}

interface Region {
  readonly task: number;
  readonly type: string;
}

/**
 * Checks events one at a time against a model of the scheduler and records
 * every {@link Violation}. Feed it a reader's events in order.
 *
 * @example
 * ```ts
 * import { Validator } from "./validator.ts";
 * const v = new Validator();
 * // for await (const ev of await Reader.open("x.trace")) v.event(ev);
 * console.assert(v.violations.length === 0 && v.count === 0);
 * ```
 */
export class Validator {
  /** Violations found so far, in stream order (at most `limit` are kept). */
  readonly violations: Violation[] = [];
  /** Violations found so far, including any beyond `limit`. */
  total = 0;
  /** Events seen so far. */
  count = 0;

  readonly #opts: Required<ValidatorOptions>;
  #lastTime = 0;
  #lastSync = 0;
  #lastClock: ValidatedClockSnapshot | null = null;
  readonly #gs = new Map<number, ResState>();
  readonly #ps = new Map<number, ResState>();
  readonly #ms = new Map<number, Ctx>();
  /** Open range names per scope ("Goroutine(5)", "None(0)", ...). */
  readonly #ranges = new Map<string, string[]>();
  /** Open user regions per goroutine, innermost last. */
  readonly #regions = new Map<number, Region[]>();
  /** Tasks begun and not yet ended. */
  readonly #tasks = new Map<number, { type: string; parent: number }>();
  /**
   * A proc the previous event took off its own thread. A goroutine leaving
   * a syscall by exiting implies a self-steal of its P, which the reader
   * emits first, so that one next event may still name the proc.
   */
  #released: { m: number; p: number; index: number } | null = null;
  /** Violations of the event being checked. */
  #found: Violation[] = [];
  #ev: ValidatedEvent | null = null;

  /** Creates a validator with empty state. */
  constructor(options: ValidatorOptions = {}) {
    this.#opts = {
      strictTime: options.strictTime ?? false,
      requireClockSnapshot: options.requireClockSnapshot ?? false,
      skipClockChecks: options.skipClockChecks ?? false,
      legacy: options.legacy ?? false,
      limit: options.limit ?? 1000,
    };
  }

  /** True when no violation has been found. */
  get ok(): boolean {
    return this.total === 0;
  }

  /**
   * Checks `ev` as the next event of the stream and updates the model.
   * Returns this event's violations (also appended to `violations`).
   */
  event(ev: ValidatedEvent): Violation[] {
    this.#ev = ev;
    this.#found = [];
    this.#checkTime(ev);
    this.#checkStack(ev.stack, "event");
    this.#checkContext(ev);
    switch (ev.kind) {
      case "Sync":
        this.#sync(ev);
        break;
      case "Metric":
        this.#metric(ev);
        break;
      case "Label":
        this.#label(ev);
        break;
      case "StateTransition":
        this.#transition(ev);
        break;
      case "RangeBegin":
      case "RangeActive":
      case "RangeEnd":
        this.#range(ev);
        break;
      case "TaskBegin":
      case "TaskEnd":
        this.#task(ev);
        break;
      case "RegionBegin":
      case "RegionEnd":
        this.#region(ev);
        break;
      case "Log":
        this.#log(ev);
        break;
      case "StackSample":
      case "Experimental":
        // Nothing beyond the stack and context checks above.
        break;
      default:
        this.#fail(`unknown event kind ${JSON.stringify(ev.kind)}`);
    }
    this.count++;
    this.#ev = null;
    return this.#found;
  }

  #fail(message: string): void {
    const ev = this.#ev!;
    const text = String(ev);
    const nl = text.indexOf("\n");
    const v: Violation = {
      message,
      event: nl < 0 ? text : text.slice(0, nl),
      index: this.count,
      time: ev.time,
    };
    this.#found.push(v);
    this.total++;
    if (this.violations.length < this.#opts.limit) this.violations.push(v);
  }

  #checkTime(ev: ValidatedEvent): void {
    if (typeof ev.time !== "number" || !Number.isFinite(ev.time)) {
      this.#fail(`timestamp ${ev.time} is not a finite number`);
      return;
    }
    if (this.count > 0) {
      if (ev.time < this.#lastTime) {
        this.#fail(`timestamp went backwards: ${ev.time} after ${this.#lastTime}`);
        return;
      }
      if (ev.time === this.#lastTime && this.#opts.strictTime) {
        this.#fail(`timestamp did not increase: ${ev.time} again`);
      }
    }
    this.#lastTime = ev.time;
  }

  #checkStack(stack: ValidatedStack | null, what: string): void {
    if (stack === null || stack === undefined) return;
    if (!Array.isArray(stack.frames)) {
      this.#fail(`${what} stack has no frame list`);
      return;
    }
    stack.frames.forEach((f, i) => {
      // The runtime may leave the first frame entirely blank; the reference allows that.
      if (i === 0 && !f.pc && !f.func) return;
      const missing: string[] = [];
      if (typeof f.func !== "string" || f.func === "") missing.push("function");
      if (typeof f.file !== "string" || f.file === "") missing.push("file");
      if (!f.line) missing.push("line");
      if (!f.pc) missing.push("pc");
      if (missing.length) {
        const pc = f.pc ? `0x${f.pc.toString(16)}` : "0";
        this.#fail(`${what} stack frame ${i} (pc ${pc}) is missing its ${missing.join(", ")}`);
      }
    });
  }

  #thread(m: number): Ctx {
    let ctx = this.#ms.get(m);
    if (!ctx) {
      ctx = { m, p: -1, g: -1 };
      this.#ms.set(m, ctx);
    }
    return ctx;
  }

  /**
   * An event's M/P/G is the thread's context just before the event, so it
   * must name what the model says that thread is running.
   */
  #checkContext(ev: ValidatedEvent): void {
    // CPU samples come from a signal handler; their context needn't line up.
    if (ev.thread === -1 || ev.kind === "StackSample" || this.#opts.legacy) return;
    const ctx = this.#thread(ev.thread);
    if (ev.goroutine !== ctx.g) {
      this.#fail(
        `event names G${ev.goroutine} but M${ev.thread} is running ${name("G", ctx.g)}`,
      );
    }
    if (ev.proc === ctx.p || this.#foreignStatus(ev)) return;
    const r = this.#released;
    if (
      r && r.m === ev.thread && r.p === ev.proc && r.index === this.count - 1 && endsSyscallG(ev)
    ) {
      return;
    }
    this.#fail(`event names P${ev.proc} but M${ev.thread} holds ${name("P", ctx.p)}`);
  }

  /**
   * A goroutine status event about a goroutine sitting in a syscall on some
   * other thread: it is attributed to that thread, but keeps the P of the
   * thread that wrote it.
   */
  #foreignStatus(ev: ValidatedEvent): boolean {
    if (ev.kind !== "StateTransition") return false;
    const t = ev.stateTransition();
    return t.resource.kind === "Goroutine" && t.to === "Syscall" &&
      (t.from === "Undetermined" || t.from === "Syscall");
  }

  #sync(ev: ValidatedEvent): void {
    const s = ev.sync();
    if (s.n !== this.#lastSync + 1) {
      this.#fail(`sync number ${s.n} does not follow ${this.#lastSync}`);
    }
    const snap = s.clockSnapshot ?? null;
    if (snap === null) {
      if (this.#opts.requireClockSnapshot && s.n === 1) {
        this.#fail(`sync ${s.n} has no clock snapshot`);
      }
    } else {
      const prev = this.#lastClock;
      for (const key of ["trace", "mono", "wall"] as const) {
        const now = clockNumber(snap, key);
        if (now === undefined || now === 0) {
          this.#fail(`sync ${s.n} has a zero or missing ${key} clock`);
          continue;
        }
        const before = prev ? clockNumber(prev, key) : undefined;
        if (!this.#opts.skipClockChecks && before !== undefined && !(now > before)) {
          this.#fail(`sync ${s.n} ${key} clock did not increase: ${now} after ${before}`);
        }
      }
      this.#lastClock = snap;
    }
    this.#lastSync = s.n;
  }

  #metric(ev: ValidatedEvent): void {
    const m = ev.metric();
    // runtime/metrics names always have a unit after a colon.
    if (typeof m.name !== "string" || !m.name.includes(":")) {
      this.#fail(`invalid metric name ${JSON.stringify(m.name)}`);
    }
    if (m.value === undefined || m.value === null) this.#fail(`metric ${m.name} has no value`);
  }

  #label(ev: ValidatedEvent): void {
    const l = ev.label();
    if (typeof l.label !== "string" || l.label === "") {
      this.#fail(`invalid label ${JSON.stringify(l.label)}`);
    }
    const { kind, id } = l.resource;
    const known = kind === "Goroutine"
      ? this.#gs.has(id)
      : kind === "Proc"
      ? this.#ps.has(id)
      : kind === "Thread"
      ? this.#ms.has(id)
      : false;
    if (!known) this.#fail(`label ${JSON.stringify(l.label)} for unknown resource ${kind}(${id})`);
  }

  #log(ev: ValidatedEvent): void {
    const l = ev.log();
    // Category and message are user text; only check that they resolved.
    if (typeof l.category !== "string" || typeof l.message !== "string") {
      this.#fail("log category or message did not resolve to a string");
    }
  }

  #transition(ev: ValidatedEvent): void {
    const t = ev.stateTransition();
    if (t.stack !== ev.stack) this.#checkStack(t.stack, "transition");
    if (typeof t.reason !== "string") this.#fail("transition reason did not resolve to a string");
    const { kind, id } = t.resource;
    if (kind !== "Goroutine" && kind !== "Proc") {
      this.#fail(`state transition of a ${kind} resource`);
      return;
    }
    const isG = kind === "Goroutine";
    const R = isG ? "G" : "P";
    const valid = isG ? GO_STATE_NAMES : PROC_STATE_NAMES;
    if (!valid.has(t.from) || !valid.has(t.to)) {
      this.#fail(`${R}${id} has unknown state in ${t.from}->${t.to}`);
      return;
    }
    if (t.to === "Undetermined") this.#fail(`${R}${id} transitions to Undetermined`);
    if (t.from === "Undetermined" && this.#lastSync > 1) {
      this.#fail(`${R}${id} is Undetermined after the first generation`);
    }
    if (t.to === "NotExist" && this.#ranges.get(`${kind}(${id})`)?.length) {
      this.#fail(`${R}${id} ceased to exist with active ranges`);
    }

    const table = isG ? this.#gs : this.#ps;
    let st = table.get(id);
    if (st) {
      if (t.from !== st.state) {
        this.#fail(`${R}${id} goes ${t.from}->${t.to} but its state was ${st.state}`);
      }
      st.state = t.to;
    } else {
      if (t.from !== "Undetermined" && t.from !== "NotExist") {
        this.#fail(`first transition of ${R}${id} starts from ${t.from}`);
      }
      st = { state: t.to, on: null };
      table.set(id, st);
    }

    const exec = isG ? goExecuting : procExecuting;
    if (exec(t.to)) {
      if (ev.thread === -1) {
        // Old traces don't say which thread a goroutine found in a syscall is on.
        const oldSyscall = this.#opts.legacy && isG && t.from === "Undetermined";
        if (!oldSyscall) this.#fail(`${R}${id} becomes ${t.to} without a thread`);
        return;
      }
      const ctx = this.#thread(ev.thread);
      const cur = isG ? ctx.g : ctx.p;
      if (cur !== -1 && cur !== id) {
        this.#fail(`${R}${id} becomes ${t.to} on M${ev.thread}, which is running ${R}${cur}`);
      }
      if (st.on && st.on !== ctx && (isG ? st.on.g : st.on.p) === id) {
        this.#fail(`${R}${id} runs on M${ev.thread} while still running on M${st.on.m}`);
        if (isG) st.on.g = -1;
        else st.on.p = -1;
      }
      if (isG) ctx.g = id;
      else ctx.p = id;
      st.on = ctx;
    } else if (exec(t.from)) {
      const on = st.on;
      if (!on) {
        this.#fail(`${R}${id} stops ${t.from} but is not bound to any thread`);
      } else if ((isG ? on.g : on.p) !== id) {
        this.#fail(`${R}${id} stops but M${on.m} is running ${name(R, isG ? on.g : on.p)}`);
      } else if (isG) {
        // Only the goroutine's own thread can take it off the CPU.
        if (on.m !== ev.thread && !this.#opts.legacy) {
          this.#fail(`G${id} stops on M${ev.thread} but was running on M${on.m}`);
        }
        if (!sameStack(t.stack, ev.stack)) {
          this.#fail(`G${id} stops with a transition stack unlike the event's stack`);
        }
        on.g = -1;
      } else {
        on.p = -1;
        if (on.m === ev.thread) this.#released = { m: on.m, p: id, index: this.count };
      }
      st.on = null;
    }

    if (isG && t.to === "NotExist") {
      this.#regions.delete(id);
      table.delete(id);
    }
  }

  #range(ev: ValidatedEvent): void {
    const r = ev.range();
    if (typeof r.name !== "string" || r.name === "") {
      this.#fail(`range with invalid name ${JSON.stringify(r.name)}`);
      return;
    }
    const scope = `${r.scope.kind}(${r.scope.kind === "None" ? 0 : r.scope.id})`;
    const open = this.#ranges.get(scope) ?? [];
    const i = open.indexOf(r.name);
    if (ev.kind === "RangeBegin") {
      if (i >= 0) this.#fail(`range ${JSON.stringify(r.name)} on ${scope} begun again`);
      open.push(r.name);
    } else if (ev.kind === "RangeActive") {
      if (i < 0) open.push(r.name);
    } else if (i < 0) {
      this.#fail(`range ${JSON.stringify(r.name)} on ${scope} ended but not active`);
    } else {
      open.splice(i, 1);
    }
    this.#ranges.set(scope, open);
  }

  #task(ev: ValidatedEvent): void {
    const t = ev.task();
    if (typeof t.type !== "string") {
      this.#fail(`task ${t.id} type did not resolve to a string`);
      return;
    }
    const known = this.#tasks.get(t.id);
    if (ev.kind === "TaskBegin") {
      if (t.id === NO_TASK || t.id === BACKGROUND_TASK) {
        this.#fail(`task of type ${JSON.stringify(t.type)} has invalid id ${t.id}`);
      }
      if (t.parent === BACKGROUND_TASK) {
        this.#fail(`task ${t.id} has the background task as its parent`);
      }
      if (known) this.#fail(`task ${t.id} begun again while active`);
      this.#tasks.set(t.id, { type: t.type, parent: t.parent });
      return;
    }
    if (known) {
      // Old traces don't repeat the parent on the end event.
      const parentOk = t.parent === known.parent || this.#opts.legacy;
      if (t.type !== known.type || !parentOk) {
        this.#fail(
          `task ${t.id} ends as type ${JSON.stringify(t.type)} parent ${t.parent}, ` +
            `but began as type ${JSON.stringify(known.type)} parent ${known.parent}`,
        );
      }
      this.#tasks.delete(t.id);
    } else if (t.type !== "" || t.parent !== NO_TASK) {
      // A task begun before the trace has no recorded type or parent to report.
      this.#fail(`task ${t.id} ends without having begun, yet claims a type or parent`);
    }
  }

  #region(ev: ValidatedEvent): void {
    const r = ev.region();
    if (typeof r.type !== "string") {
      this.#fail("region type did not resolve to a string");
      return;
    }
    const g = ev.goroutine;
    if (g === -1) {
      this.#fail(`${ev.kind} outside any goroutine`);
      return;
    }
    const stack = this.#regions.get(g) ?? [];
    if (ev.kind === "RegionBegin") {
      stack.push({ task: r.task, type: r.type });
      this.#regions.set(g, stack);
      return;
    }
    // An end with nothing open may close a region begun before the trace.
    if (stack.length === 0) return;
    const top = stack[stack.length - 1];
    if (top.task === r.task && top.type === r.type) {
      stack.pop();
      return;
    }
    this.#fail(
      `region ${JSON.stringify(r.type)} (task ${r.task}) ends on G${g} inside ` +
        `${JSON.stringify(top.type)} (task ${top.task})`,
    );
    // Resynchronise on the matching region, if any, to avoid a cascade.
    const at = stack.findLastIndex((x) => x.task === r.task && x.type === r.type);
    if (at >= 0) stack.length = at;
  }
}

/**
 * Validates a whole event sequence and returns its violations (empty when
 * consistent).
 *
 * @example
 * ```ts
 * import { validate } from "./validator.ts";
 * // const problems = validate(readEvents(bytes));
 * console.assert(validate([]).length === 0);
 * ```
 */
export function validate(
  events: Iterable<ValidatedEvent>,
  options?: ValidatorOptions,
): Violation[] {
  const v = new Validator(options);
  for (const ev of events) v.event(ev);
  return v.violations;
}

/**
 * Like {@link validate}, for an async source such as a `Reader` from
 * `Reader.open`.
 *
 * @example
 * ```ts
 * import { validateAsync } from "./validator.ts";
 * async function* none() {}
 * console.assert((await validateAsync(none())).length === 0);
 * ```
 */
export async function validateAsync(
  events: AsyncIterable<ValidatedEvent>,
  options?: ValidatorOptions,
): Promise<Violation[]> {
  const v = new Validator(options);
  for await (const ev of events) v.event(ev);
  return v.violations;
}

/**
 * Renders a violation as one line: `#index @time: message\n\tevent`.
 *
 * @example
 * ```ts
 * import { formatViolation } from "./validator.ts";
 * const s = formatViolation({ message: "bad", event: "M=1 P=0 G=1 Log ...", index: 3, time: 10 });
 * console.assert(s.startsWith("event 3 @10: bad"));
 * ```
 */
export function formatViolation(v: Violation): string {
  return `event ${v.index} @${v.time}: ${v.message}\n\t${v.event}`;
}

/** A goroutine created for a cgo callback going away (GoDestroySyscall). */
function endsSyscallG(ev: ValidatedEvent): boolean {
  if (ev.kind !== "StateTransition") return false;
  const t = ev.stateTransition();
  return t.resource.kind === "Goroutine" && t.from === "Syscall" && t.to === "NotExist";
}

function goExecuting(s: string): boolean {
  return s === "Running" || s === "Syscall";
}

function procExecuting(s: string): boolean {
  return s === "Running";
}

function name(r: string, id: number): string {
  return id === -1 ? `no ${r === "G" ? "goroutine" : "proc"}` : `${r}${id}`;
}

/** Same object, or the same frames (readers may build a fresh Stack per call). */
function sameStack(a: ValidatedStack | null, b: ValidatedStack | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.frames.length !== b.frames.length) return false;
  return a.frames.every((f, i) => f.pc === b.frames[i].pc && f.func === b.frames[i].func);
}

/** A clock reading as a comparable number, whatever form the reader uses. */
function clockNumber(
  snap: ValidatedClockSnapshot,
  key: "trace" | "mono" | "wall",
): number | bigint | undefined {
  if (key === "wall" && typeof snap.wallSec === "number" && typeof snap.wallNsec === "number") {
    return BigInt(snap.wallSec) * 1_000_000_000n + BigInt(snap.wallNsec);
  }
  const x = snap[key];
  if (typeof x === "number" || typeof x === "bigint") return x;
  if (x instanceof Date) return x.getTime();
  if (typeof x === "string") return rfc3339Ns(x);
  return undefined;
}

/** RFC 3339 text to nanoseconds since the epoch, keeping sub-millisecond digits. */
function rfc3339Ns(s: string): bigint | undefined {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(m[1] + m[3]);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}
