/**
 * The Chrome trace-event JSON of `chrome_trace.ts`, written while a trace
 * is read, whole or a window of it, holding only what is still open.
 * Before a window's start nothing is written, so no slice is made either:
 * the writer keeps each goroutine's state and what it runs on, each M's
 * syscalls and who holds each P as plain records, and makes the slices
 * still open, cut to the window, when it starts.
 *
 * @module
 */

import type { Event, StackFrame } from "../events/event.ts";
import { GoStateCode } from "../events/kinds.ts";
import { Ev, WireProcStatus } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import type { StateInterval } from "../queries/timeline.ts";
import { goStateName, Transition } from "../queries/transitions.ts";
import { StackCache } from "../queries/stacks.ts";
import { HoldChange, holdChange } from "../queries/procs.ts";
import { CHROME_PIDS, type ChromeEvent, processEvents, stateEvent } from "./chrome_trace.ts";

/**
 * A window bound for {@link ChromeTraceWriter}: a time in ns, or ns after
 * the trace's first event.
 *
 * @example
 * ```ts
 * import type { TimeBound } from "./chrome_writer.ts";
 * const bounds: TimeBound[] = [1_500_000_000, { sinceFirst: 2e6 }];
 * console.assert(bounds.length === 2);
 * ```
 */
export type TimeBound = number | { sinceFirst: number };

/**
 * Options of {@link ChromeTraceWriter}.
 *
 * @example
 * ```ts
 * import type { ChromeWriterOptions } from "./chrome_writer.ts";
 * const opts: ChromeWriterOptions = { from: { sinceFirst: 0 }, to: { sinceFirst: 5e6 } };
 * console.assert(opts.meta === undefined);
 * ```
 */
export interface ChromeWriterOptions {
  /** Keep only what overlaps the window from here (slices are cut to it). */
  from?: TimeBound;
  /** ...to here; events after it are not needed (see {@link ChromeTraceWriter.done}). */
  to?: TimeBound;
  /** Time 0 (ns); default the first event's time. */
  origin?: number;
  /** Free-form metadata (e.g. the file name). */
  meta?: Record<string, string>;
}

/** A slice on a P or M track, written once its place among the track's slices is known. */
interface Slice {
  ev: ChromeEvent;
  /** Start (ns), cut to the window. */
  start: number;
  /** Goroutine whose name the slice takes when written (-1: none), then what follows it. */
  g: number;
  suffix: string;
  /** Still open: its end (and `ev.dur`) not known yet. */
  open: boolean;
  /**
   * Its end once closed, µs, as its start is computed (`ev.ts + ev.dur` can
   * be an ulp off, enough to make a slice that ends where the next begins
   * enclose it).
   */
  end: number;
  /** Its entry on the track's nesting stack, once placed. */
  entry: Entry | null;
}

/** An enclosing slice on a track's nesting stack. */
interface Entry {
  /** The (clipped) end, µs, once known. */
  end: number;
  /** Placed while open: its end is at least the time of placing, capped by its parent's. */
  pending: boolean;
  parent: Entry | null;
}

function entryEnd(e: Entry): number {
  while (e.pending) {
    if (!e.parent) return Infinity;
    e = e.parent;
  }
  return e.end;
}

/** Clips a closed slice to end within `parent` (null: nothing encloses it); returns its end. */
function fitIn(s: Slice, parent: Entry | null): number {
  const cap = parent ? entryEnd(parent) : Infinity;
  if (s.end > cap) {
    s.ev.dur = cap - s.ev.ts;
    s.end = cap;
  }
  return s.end;
}

/** A P or M track: slices nest as {@link nestSlices} makes them, a piece at a time. */
class Track {
  buffered: Slice[] = []; // closed, not placed
  open = new Set<Slice>(); // open, not placed
  stack: Entry[] = [];
}

interface OpenSyscall {
  g: number;
  thread: number;
  proc: number;
  start: number;
  end: number | null;
  /** Its outermost frame's function, found when first needed (from `tables`, `stackId`). */
  func: string | null;
  tables: GenTables | null;
  stackId: number;
  beforeTrace: boolean;
  returnProc: number;
  exited: boolean;
  steal: { time: number; proc: number; thread: number; self: boolean } | null;
  /** Its slice on its P's track and the args the outcome goes into (made when first needed). */
  pslice: Slice | null;
  args: Record<string, string | number> | null;
  /** Before the window: its P slice would be open since opening `pseq` (> 0), or was closed (-1). */
  pseq: number;
  /** When it began, in the order of transitions. */
  order: number;
  /** Its M's syscalls (null: no M). */
  m: MSyscalls | null;
}

/** An M's syscall still open (to match a steal of its P), and its last one. */
interface MSyscalls {
  open: OpenSyscall | null;
  last: OpenSyscall | null;
}

interface OpenState {
  iv: StateInterval;
  /** Before the window: the stack that `iv.stack` will be, and the string id of its reason (-1 none). */
  tables: GenTables | null;
  stackId: number;
  reasonId: number;
  /** Before the window: when the state was entered, in the order of transitions. */
  order: number;
  /** Before the window: what the goroutine runs on (when `exec.seq` > 0), its syscall open. */
  exec: PendingExec | null;
  sys: OpenSyscall | null;
}

/** Who holds a P: its slice, or before the window when it would have been opened (`seq` > 0). */
interface Hold {
  thread: number;
  slice: Slice | null;
  start: number;
  seq: number;
}

/** Before the window: what a goroutine runs on, whose M (and P) slice would be open. */
interface PendingExec {
  start: number;
  thread: number;
  proc: number;
  sys: boolean;
  seq: number;
}

const NO_FRAMES: StackFrame[] = [];

/**
 * `entry` filled again (or a new record) for goroutine `id` entering
 * `state` with `ev`, on its M and P.
 */
function enterState(
  entry: OpenState | undefined,
  id: number,
  state: StateInterval["state"],
  ev: Event,
  reason: string,
  stack: StackFrame[],
): OpenState {
  const t = ev.time;
  if (entry === undefined) {
    return {
      iv: {
        goroutine: id,
        state,
        start: t,
        end: t,
        proc: ev.proc,
        thread: ev.thread,
        reason,
        stack,
      },
      tables: null,
      stackId: 0,
      reasonId: -1,
      order: 0,
      exec: null,
      sys: null,
    };
  }
  const iv = entry.iv;
  iv.state = state;
  iv.start = iv.end = t;
  iv.proc = ev.proc;
  iv.thread = ev.thread;
  iv.reason = reason;
  iv.stack = stack;
  return entry;
}

/** Goroutine ids below which the writer keeps state records in an array before the window. */
const SMALL_ID = 1 << 16;

/** How many closed slices a track holds before placing them. */
const TRACK_BUFFER = 1024;

/**
 * Writes the same Chrome trace-event JSON as {@link chromeTrace} while the
 * events are read, to `sink` in pieces, holding only what is still open
 * (and a few slices per P and M track while their nesting is settled): the
 * document is never in memory, whatever the size of the trace. With
 * `from`/`to`, only what overlaps the window is written, cut to it, and
 * {@link done} says when the rest of the trace is no longer needed.
 *
 * @example
 * ```ts
 * import { ChromeTraceWriter } from "./chrome_writer.ts";
 * import { readAll } from "../queries/source.ts";
 * let json = "";
 * const w = new ChromeTraceWriter((s) => json += s, { to: { sinceFirst: 1e9 } });
 * await readAll(new URL("../../testdata/demo.trace", import.meta.url), (ev) => w.event(ev));
 * w.end();
 * const doc = JSON.parse(json);
 * console.assert(doc.traceEvents.some((e: { ph: string }) => e.ph === "s")); // a steal's flow
 * ```
 */
export class ChromeTraceWriter {
  readonly #sink: (s: string) => void;
  readonly #opts: ChromeWriterOptions;
  #origin = NaN;
  #from = -Infinity;
  #to = Infinity;
  #last = NaN;
  #started = false;
  #first = true;
  #ended = false;
  #done = false;
  readonly #tr = new Transition();
  readonly #cache = new StackCache();
  readonly #names = new Map<number, string>();
  // Tracks by pid (1 to 3) then tid: a key of pid * 2^32 + tid would be a
  // heap number to hash on every event. And in the order they were made.
  readonly #tracks: Map<number, Track>[] = [new Map(), new Map(), new Map(), new Map()];
  readonly #trackList: Track[] = [];
  readonly #procs = new Set<number>();
  readonly #threads = new Set<number>();
  readonly #goroutines = new Set<number>(); // with a state slice written
  readonly #states = new Map<number, OpenState>();
  readonly #exec = new Map<number, Slice[]>(); // by goroutine: its M slice, maybe its P slice
  readonly #holds = new Map<number, Hold>(); // by P
  readonly #byG = new Map<number, OpenSyscall>();
  readonly #ms = new Map<number, MSyscalls>(); // by M
  #lastM: MSyscalls | null = null; // #ms's last look-up, and its M
  #lastMId = NaN;
  readonly #pending = new Map<number, { time: number; proc: number; thread: number }>();
  #flowId = 0;
  // Before the window's start nothing is written, so slices are not made:
  // what would be open is kept as plain records, numbered in the order the
  // slices would have been opened, and made when the window starts.
  #before = false;
  #seq = 0;
  #namedG = -1;
  #lastG = -1; // #goroutineBefore's last goroutine, and its state record
  #lastEntry: OpenState | undefined = undefined;
  // Before the window, the state records of goroutines of small ids by id
  // (a look-up per transition, cheaper than the map's): #states holds the rest.
  #small: (OpenState | undefined)[] = [];
  readonly #recentThreads = [-1, -1, -1, -1]; // the last added to #threads
  readonly #pendTid = [-1, -1, -1, -1]; // by pid: the track #pend saw last

  /**
   * A writer that has written nothing yet: the document starts with the
   * first piece of it.
   * @param sink receives the JSON text in order, a piece at a time
   * @param opts window, origin and metadata
   */
  constructor(sink: (s: string) => void, opts: ChromeWriterOptions = {}) {
    this.#sink = sink;
    this.#opts = opts;
  }

  /** Past the window's end: later events change nothing. */
  get done(): boolean {
    return this.#done;
  }

  #us(t: number): number {
    return (t - this.#origin) / 1000;
  }

  #name(g: number): string {
    const n = this.#names.get(g);
    return n ? `G${g} ${n}` : `G${g}`;
  }

  #write(e: ChromeEvent): void {
    if (!this.#started) this.#start();
    this.#sink((this.#first ? "" : ",\n") + JSON.stringify(e));
    this.#first = false;
  }

  #start(): void {
    this.#started = true;
    if (Number.isNaN(this.#origin)) this.#origin = this.#opts.origin ?? 0;
    const otherData = {
      generator: "gotrace-deno",
      origin_ns: String(this.#origin),
      ...this.#opts.meta,
    };
    this.#sink(`{"displayTimeUnit":"ns","otherData":${JSON.stringify(otherData)},`);
    this.#sink(`"traceEvents":[\n`);
  }

  #track(pid: number, tid: number): Track {
    const byTid = this.#tracks[pid];
    let t = byTid.get(tid);
    if (!t) {
      byTid.set(tid, t = new Track());
      this.#trackList.push(t);
    }
    return t;
  }

  /** Opens a slice on a P or M track at `start`; null when it is after the window. */
  #open(
    pid: number,
    tid: number,
    start: number,
    g: number,
    name: string,
    cat: string,
    args: Record<string, string | number>,
  ): Slice | null {
    if (start > this.#to) return null;
    start = Math.max(start, this.#from);
    const ev: ChromeEvent = {
      ph: "X",
      name,
      cat,
      ts: this.#us(start),
      dur: Infinity,
      pid,
      tid,
      args,
    };
    const s: Slice = { ev, start, g, suffix: name, open: true, entry: null, end: NaN };
    this.#track(pid, tid).open.add(s);
    return s;
  }

  /** Closes a slice at `end` (cut to the window): placed already, it is written now. */
  #close(s: Slice | null, end: number): void {
    if (!s || !s.open) return;
    s.open = false;
    const t = this.#track(s.ev.pid, s.ev.tid);
    if (end < this.#from) {
      t.open.delete(s);
      return;
    }
    end = Math.min(end, this.#to);
    s.ev.dur = Math.max(0, (end - s.start) / 1000);
    s.end = Math.max(s.ev.ts, this.#us(end));
    if (s.entry) {
      const e = s.entry;
      e.end = fitIn(s, e.parent);
      e.pending = false;
      this.#emit(s);
      return;
    }
    t.open.delete(s);
    if (s.ev.dur === 0) {
      // Nothing nests in an instant, and it fits in whatever holds it.
      this.#emit(s);
      return;
    }
    t.buffered.push(s);
    if (t.buffered.length > TRACK_BUFFER) this.#place(t, this.#us(this.#last));
  }

  /** A slice known whole at once. */
  #slice(
    pid: number,
    tid: number,
    start: number,
    end: number,
    g: number,
    name: string,
    cat: string,
    args: Record<string, string | number>,
  ): Slice | null {
    const s = this.#open(pid, tid, start, g, name, cat, args);
    this.#close(s, end);
    return s;
  }

  #emit(s: Slice): void {
    if (s.g >= 0) s.ev.name = this.#name(s.g) + s.suffix;
    this.#write(s.ev);
  }

  /**
   * Places, in {@link nestSlices}'s order, every slice of the track that
   * starts before `until`: nothing that sorts before them can still come.
   * Open ones are placed as pending: they end after everything placed now.
   */
  #place(t: Track, until: number): void {
    const ready: Slice[] = [];
    const keep: Slice[] = [];
    for (const s of t.buffered) (s.ev.ts < until ? ready : keep).push(s);
    for (const s of t.open) {
      if (s.ev.ts < until) {
        ready.push(s);
        t.open.delete(s);
      }
    }
    t.buffered = keep;
    ready.sort((a, b) => a.ev.ts - b.ev.ts || b.ev.dur! - a.ev.dur!);
    const stack = t.stack;
    for (const s of ready) {
      while (stack.length && entryEnd(stack[stack.length - 1]) <= s.ev.ts) stack.pop();
      const parent = stack.length ? stack[stack.length - 1] : null;
      const e: Entry = { end: NaN, pending: s.open, parent };
      if (!s.open) {
        e.end = fitIn(s, parent);
        this.#emit(s);
      } else s.entry = e;
      stack.push(e);
    }
  }

  /** Feeds the next event. */
  event(ev: Event): void {
    if (this.#done) return;
    const t = ev.time;
    if (Number.isNaN(this.#last)) {
      this.#origin = this.#opts.origin ?? t;
      const bound = (b: TimeBound | undefined, none: number) =>
        b === undefined ? none : typeof b === "number" ? b : t + b.sinceFirst;
      this.#from = bound(this.#opts.from, -Infinity);
      this.#to = bound(this.#opts.to, Infinity);
      this.#before = t < this.#from;
    }
    if (t > this.#to) {
      this.#done = true;
      return;
    }
    if (this.#before && t >= this.#from) this.#arrive();
    this.#last = t;
    // A goroutine's name, once: its stack's outermost function. (Events
    // come in runs of one goroutine: the last one known named is not
    // looked up again.)
    const g = ev.goroutine;
    if (g >= 0 && g !== this.#namedG && ev.type !== Ev.GoStatusStack) {
      if (this.#names.get(g)) this.#namedG = g;
      else {
        const id = ev.stackId;
        if (id !== 0) this.#nameFrom(g, this.#cache.frames(ev.tables, id));
      }
    }
    const tr = this.#tr;
    const what = tr.decode(ev);
    if (what === "proc") this.#proc(ev, tr);
    else if (what === "goroutine") this.#goroutine(ev, tr);
  }

  #nameFrom(g: number, frames: StackFrame[]): void {
    if (frames.length && !this.#names.get(g)) this.#names.set(g, frames[frames.length - 1].func);
  }

  #proc(ev: Event, tr: Transition): void {
    const t = ev.time;
    this.#procs.add(tr.id);
    switch (holdChange(ev, tr)) {
      case HoldChange.Take:
        this.#acquire(tr.id, ev.thread, t);
        break;
      case HoldChange.Stop:
        this.#release(tr.id, t, "stop");
        break;
      case HoldChange.Steal:
        this.#release(tr.id, t, `stolen by M${ev.thread}`);
        this.#steal(ev);
        break;
    }
  }

  #acquire(proc: number, thread: number, t: number): void {
    const open = this.#holds.get(proc);
    if (open) {
      if (open.thread === thread) return; // a restated status
      this.#release(proc, t, "stop");
    }
    this.#addThread(thread);
    const hold: Hold = { thread, slice: null, start: t, seq: 0 };
    if (this.#before) hold.seq = this.#pend(CHROME_PIDS.procs, proc);
    else this.#openHold(proc, hold);
    this.#holds.set(proc, hold);
  }

  #openHold(proc: number, h: Hold): void {
    h.seq = 0;
    h.slice = this.#open(CHROME_PIDS.procs, proc, h.start, -1, `M${h.thread}`, "proc held", {
      m: h.thread,
      ended: "trace-end",
    });
  }

  /**
   * Before the window: a slice would be opened now on track (pid, tid).
   * Returns its place in the order of opening.
   */
  #pend(pid: number, tid: number): number {
    this.#noteTrack(pid, tid);
    return ++this.#seq;
  }

  /** Before the window: track (pid, tid) would get a slice now (tracks are listed in the order first opened). */
  #noteTrack(pid: number, tid: number): void {
    if (this.#pendTid[pid] !== tid) {
      this.#pendTid[pid] = tid;
      this.#track(pid, tid);
    }
  }

  /**
   * The window starts: makes the slices still open, in the order they would
   * have been opened, and the stacks of the states and syscalls still open.
   */
  #arrive(): void {
    this.#before = false;
    for (const e of this.#small) if (e) this.#states.set(e.iv.goroutine, e);
    this.#small = [];
    // The syscalls still open, in the order they began.
    const open = [...this.#states.values()].filter((e) => e.sys).map((e) => e.sys!);
    for (const rec of open.sort((a, b) => a.order - b.order)) this.#byG.set(rec.g, rec);
    for (const e of this.#states.values()) e.sys = null;
    const opens: [number, () => void][] = [];
    for (const [p, h] of this.#holds) {
      if (h.seq > 0) {
        opens.push([h.seq, () => this.#openHold(p, h)]);
      }
    }
    for (const rec of this.#byG.values()) {
      if (rec.pseq > 0) opens.push([rec.pseq, () => this.#openSyscallSlice(rec)]);
    }
    // The states and what runs were kept in place: their maps are put in
    // the order the transitions would have left them in.
    const states = [...this.#states.values()].sort((a, b) => a.order - b.order);
    const execs = states.filter((e) => e.exec && e.exec.seq > 0)
      .sort((a, b) => a.exec!.seq - b.exec!.seq);
    this.#states.clear();
    for (const e of states) {
      this.#states.set(e.iv.goroutine, e);
      e.iv.stack = this.#cache.frames(e.tables, e.stackId);
      e.iv.reason = e.reasonId < 0 ? "" : e.tables?.string(e.reasonId) ?? "";
      e.tables = null;
    }
    for (const { iv, exec: pe } of execs) {
      const open: Slice[] = [];
      this.#exec.set(iv.goroutine, open);
      opens.push([pe!.seq, () => {
        this.#openExec(iv.goroutine, pe!.start, pe!.thread, pe!.proc, pe!.sys, open);
      }]);
    }
    for (const e of states) e.exec = null;
    opens.sort((a, b) => a[0] - b[0]);
    for (const [, open] of opens) open();
  }

  #release(proc: number, t: number, ended: string): void {
    const h = this.#holds.get(proc);
    if (!h) return;
    this.#holds.delete(proc);
    if (this.#before) return;
    if (h.slice) h.slice.ev.args!.ended = ended;
    this.#close(h.slice, t);
  }

  #goroutine(ev: Event, tr: Transition): void {
    if (tr.from === tr.to) return;
    const t = ev.time, id = tr.id, type = ev.type;
    if (tr.from === GoStateCode.NotExist && (type === Ev.GoCreate || type === Ev.GoCreateBlocked)) {
      const own = this.#cache.frames(ev.tables, ev.a1);
      if (own.length) this.#names.set(id, own[own.length - 1].func);
    } else if (type === Ev.GoStatusStack) {
      this.#nameFrom(id, this.#cache.frames(ev.tables, tr.stackId));
    }

    if (this.#before) return this.#goroutineBefore(ev, tr);

    // Syscalls (as SyscallAnalysis finds them), before the slices they close.
    if (tr.to === GoStateCode.Syscall && tr.from !== GoStateCode.Syscall) {
      this.#syscallBegin(ev, tr);
    } else if (tr.from === GoStateCode.Syscall && tr.to !== GoStateCode.Syscall) {
      this.#syscallEnd(ev, tr);
    }

    // The goroutine's own track: one slice per state. The entry of the
    // state it leaves is written (copied) and then filled again for the new
    // one, moved to the end as a new entry would be: one object per
    // goroutine, not one per transition.
    let entry = this.#states.get(id);
    if (entry) {
      entry.iv.end = t;
      this.#states.delete(id);
      this.#stateSlice(entry.iv);
    }
    if (tr.to !== GoStateCode.NotExist) {
      const stack = this.#cache.frames(ev.tables, tr.stackId);
      entry = enterState(entry, id, goStateName(tr.to), ev, tr.reason, stack);
      this.#states.set(id, entry);
    }

    // What it ran on: M and P tracks (as SchedulerViews finds them).
    if (tr.from === GoStateCode.Running || tr.from === GoStateCode.Syscall) {
      const open = this.#exec.get(id);
      if (open) {
        this.#exec.delete(id);
        for (const s of open) this.#close(s, t);
      }
    }
    if ((tr.to === GoStateCode.Running || tr.to === GoStateCode.Syscall) && ev.thread >= 0) {
      const sys = tr.to === GoStateCode.Syscall;
      this.#addThread(ev.thread);
      const open: Slice[] = [];
      this.#openExec(id, t, ev.thread, ev.proc, sys, open);
      this.#exec.set(id, open);
    }
  }

  /**
   * {@link #goroutine}'s state and running slices before the window: none
   * can be written yet, so each goroutine's state and what it runs on are
   * noted in place (one record, one map look-up per transition), with the
   * order in which the slices would have been made.
   */
  #goroutineBefore(ev: Event, tr: Transition): void {
    const t = ev.time, id = tr.id;
    // A goroutine makes several transitions in a row: its record is kept at hand.
    const small = id >= 0 && id < SMALL_ID;
    let entry = id === this.#lastG
      ? this.#lastEntry
      : small
      ? this.#small[id]
      : this.#states.get(id);
    const sys = entry?.sys;
    if (sys && tr.from === GoStateCode.Syscall && tr.to !== GoStateCode.Syscall) {
      entry!.sys = null;
      this.#endSyscall(sys, ev, tr);
    }
    if (tr.to === GoStateCode.NotExist) {
      if (small) this.#small[id] = undefined;
      else this.#states.delete(id);
      this.#lastG = -1;
      return;
    }
    // Its reason and stack are looked up when the window starts.
    const fresh = entry === undefined;
    entry = enterState(entry, id, goStateName(tr.to), ev, "", NO_FRAMES);
    if (fresh && small) this.#small[id] = entry;
    else if (fresh) this.#states.set(id, entry);
    this.#lastG = id;
    this.#lastEntry = entry;
    if (tr.to === GoStateCode.Syscall && tr.from !== GoStateCode.Syscall) {
      entry.sys = this.#syscallBegin(ev, tr);
    }
    entry.tables = ev.tables;
    entry.stackId = tr.stackId;
    entry.reasonId = tr.reasonId;
    entry.order = ++this.#seq;

    let pe = entry.exec;
    if (pe && (tr.from === GoStateCode.Running || tr.from === GoStateCode.Syscall)) pe.seq = 0;
    if ((tr.to === GoStateCode.Running || tr.to === GoStateCode.Syscall) && ev.thread >= 0) {
      const sys = tr.to === GoStateCode.Syscall;
      this.#addThread(ev.thread);
      pe ??= entry.exec = { start: 0, thread: 0, proc: 0, sys, seq: 0 };
      pe.start = t;
      pe.thread = ev.thread;
      pe.proc = ev.proc;
      pe.sys = sys;
      pe.seq = this.#pend(CHROME_PIDS.threads, ev.thread);
      if (!sys && ev.proc >= 0) this.#noteTrack(CHROME_PIDS.procs, ev.proc);
    }
  }

  #addThread(m: number): void {
    // A few threads take turns: those added last are not added again.
    const r = this.#recentThreads;
    if (m === r[0] || m === r[1] || m === r[2] || m === r[3]) return;
    r[3] = r[2];
    r[2] = r[1];
    r[1] = r[0];
    r[0] = m;
    this.#threads.add(m);
  }

  /** Opens the slices of goroutine `id` running (or in a syscall) from `start`, into `open`. */
  #openExec(
    id: number,
    start: number,
    thread: number,
    proc: number,
    sys: boolean,
    open: Slice[],
  ): void {
    const m = this.#open(
      CHROME_PIDS.threads,
      thread,
      start,
      id,
      sys ? " syscall" : "",
      sys ? "syscall" : "running",
      { g: id, p: proc },
    );
    if (m) open.push(m);
    if (!sys && proc >= 0) {
      const p = this.#open(CHROME_PIDS.procs, proc, start, id, "", "running", { g: id, m: thread });
      if (p) open.push(p);
    }
  }

  #stateSlice(iv: StateInterval): void {
    if (iv.end < this.#from || iv.start > this.#to) return;
    const start = Math.max(iv.start, this.#from), end = Math.min(iv.end, this.#to);
    this.#goroutines.add(iv.goroutine);
    this.#write(stateEvent(iv, start, end, (x) => this.#us(x)));
  }

  #syscallBegin(ev: Event, tr: Transition): OpenSyscall {
    const beforeTrace = tr.from !== GoStateCode.Running;
    const rec: OpenSyscall = {
      g: tr.id,
      thread: ev.thread,
      proc: ev.proc,
      start: ev.time,
      end: null,
      func: null,
      tables: ev.tables,
      stackId: tr.stackId,
      beforeTrace,
      returnProc: -1,
      exited: false,
      steal: null,
      pslice: null,
      args: null,
      pseq: 0,
      order: ++this.#seq,
      m: null,
    };
    if (rec.proc >= 0) this.#openSyscallSlice(rec);
    const early = beforeTrace ? this.#pending.get(rec.thread) : undefined;
    if (early) {
      this.#pending.delete(rec.thread);
      this.#attach(rec, early);
    }
    // Before the window, the goroutine's state record holds it (see #goroutineBefore).
    if (!this.#before) this.#byG.set(rec.g, rec);
    if (rec.thread >= 0) {
      const m = rec.m = this.#m(rec.thread);
      m.open = m.last = rec;
    }
    return rec;
  }

  #openSyscallSlice(rec: OpenSyscall): void {
    if (this.#before) {
      rec.pseq = this.#pend(CHROME_PIDS.procs, rec.proc);
      return;
    }
    rec.pseq = 0;
    if (rec.func === null) {
      rec.func = this.#cache.frames(rec.tables, rec.stackId)[0]?.func ?? "syscall";
      rec.tables = null;
    }
    // The outcome and P, as they are now (both kept up to date from here on).
    rec.args ??= { g: rec.g, m: rec.thread, p: rec.proc, outcome: outcome(rec) };
    rec.pslice = this.#open(
      CHROME_PIDS.procs,
      rec.proc,
      rec.start,
      -1,
      `syscall ${rec.func}`,
      "syscall",
      rec.args,
    );
  }

  /** Closes the syscall's P slice (before the window: notes that it had one). */
  #closeSyscallSlice(rec: OpenSyscall, t: number): void {
    if (rec.pseq > 0) rec.pseq = -1;
    this.#close(rec.pslice, t);
  }

  #syscallEnd(ev: Event, tr: Transition): void {
    const rec = this.#byG.get(tr.id);
    if (!rec) return;
    this.#byG.delete(tr.id);
    this.#endSyscall(rec, ev, tr);
  }

  /** M `id`'s syscalls. */
  #m(id: number): MSyscalls {
    if (id === this.#lastMId) return this.#lastM!;
    let m = this.#ms.get(id);
    if (!m) this.#ms.set(id, m = { open: null, last: null });
    this.#lastMId = id;
    return this.#lastM = m;
  }

  #endSyscall(rec: OpenSyscall, ev: Event, tr: Transition): void {
    if (rec.m?.open === rec) rec.m.open = null;
    rec.end = ev.time;
    if (tr.to === GoStateCode.NotExist) rec.exited = true;
    else rec.returnProc = ev.proc;
    if (rec.args) rec.args.outcome = outcome(rec);
    this.#closeSyscallSlice(rec, ev.time);
  }

  #steal(ev: Event): void {
    const p = ev.a0, victim = ev.a2;
    const abandoned = ev.a3 === WireProcStatus.SyscallAbandoned;
    let rec = this.#ms.get(victim)?.open ?? undefined;
    if (rec && rec.proc !== p && rec.proc !== -1 && !rec.beforeTrace) rec = undefined;
    if (!rec) {
      const own = this.#ms.get(ev.thread)?.open;
      if (own && own.g === ev.goroutine && (own.proc === p || own.proc === -1)) rec = own;
    }
    if (!rec && abandoned) {
      const last = this.#ms.get(victim)?.last;
      if (
        last && last.steal === null && (last.beforeTrace || last.proc === -1 || last.proc === p)
      ) {
        rec = last;
      }
    }
    const steal = { time: ev.time, proc: p, thread: ev.thread };
    if (rec) {
      if (rec.steal === null) this.#attach(rec, steal);
    } else if (abandoned && victim >= 0) this.#pending.set(victim, steal);
  }

  /** A steal of the syscall's P: its P slice ends, and the steal's marks and flow are written. */
  #attach(rec: OpenSyscall, st: { time: number; proc: number; thread: number }): void {
    rec.steal = { ...st, self: st.thread === rec.thread };
    if (rec.beforeTrace || rec.proc === -1) {
      const learnt = rec.proc !== st.proc;
      rec.proc = st.proc;
      if (rec.args) rec.args.p = st.proc;
      if (learnt || (!rec.pslice && rec.pseq === 0)) {
        // Opened on a P it turns out not to have had: dropped unless placed already.
        const old = rec.pslice;
        if (old?.entry) this.#close(old, st.time);
        else if (old) this.#track(CHROME_PIDS.procs, old.ev.tid).open.delete(old);
        this.#openSyscallSlice(rec);
      }
    }
    if (rec.args) rec.args.outcome = outcome(rec);
    this.#closeSyscallSlice(rec, st.time);
    if (st.time < this.#from || st.time > this.#to) return;
    const M = CHROME_PIDS.threads;
    this.#addThread(st.thread);
    this.#slice(M, st.thread, st.time, st.time, -1, `ProcSteal P${st.proc}`, "steal", {
      p: st.proc,
      from: `M${rec.thread}`,
      g: rec.g,
    });
    const id = ++this.#flowId;
    // As chromeTrace: the flow leaves from a mark inside the victim's syscall.
    const from = Math.max(
      Math.min(Math.max(rec.start, st.time), rec.end ?? Infinity),
      this.#from,
    );
    this.#slice(M, rec.thread, from, from, -1, `P${st.proc} taken by M${st.thread}`, "steal", {
      p: st.proc,
      to: `M${st.thread}`,
      g: rec.g,
    });
    this.#write({
      ph: "s",
      name: "steal",
      cat: "steal",
      id,
      ts: this.#us(from),
      pid: M,
      tid: rec.thread,
    });
    this.#write({
      ph: "f",
      bp: "e",
      name: "steal",
      cat: "steal",
      id,
      ts: this.#us(st.time),
      pid: M,
      tid: st.thread,
    });
  }

  /**
   * Ends what is still open (at the last event read, or the window's end),
   * writes the tracks' names and closes the document.
   */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    // No event fell in the window: what was open before it still is.
    if (this.#before) this.#arrive();
    const last = this.#done ? this.#to : this.#last;
    if (!Number.isNaN(last)) {
      for (const rec of this.#byG.values()) this.#close(rec.pslice, last);
      for (const h of this.#holds.values()) this.#close(h.slice, last);
      for (const open of this.#exec.values()) for (const s of open) this.#close(s, last);
      for (const { iv } of this.#states.values()) {
        iv.end = last;
        this.#stateSlice(iv);
      }
      for (const t of this.#trackList) this.#place(t, Infinity);
    }
    const track = (pid: number, tid: number, label: string) => {
      this.#write({ ph: "M", name: "thread_name", ts: 0, pid, tid, args: { name: label } });
      this.#write({
        ph: "M",
        name: "thread_sort_index",
        ts: 0,
        pid,
        tid,
        args: { sort_index: tid },
      });
    };
    for (const e of processEvents()) this.#write(e);
    const P = CHROME_PIDS.procs, M = CHROME_PIDS.threads, G = CHROME_PIDS.goroutines;
    for (const p of [...this.#procs].sort((a, b) => a - b)) track(P, p, `P${p}`);
    for (const m of [...this.#threads].sort((a, b) => a - b)) track(M, m, `M${m}`);
    for (const g of [...this.#goroutines].sort((a, b) => a - b)) track(G, g, this.#name(g));
    this.#sink("\n]}\n");
  }
}

function outcome(rec: OpenSyscall): string {
  if (rec.end === null) return "in-syscall";
  if (rec.exited) return "exited";
  if (rec.returnProc === -1) return rec.steal && !rec.steal.self ? "stolen" : "no-proc";
  return rec.returnProc === rec.proc ? "returned" : "reacquired";
}
