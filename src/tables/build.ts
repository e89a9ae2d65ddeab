/**
 * Builds every trace table in one pass over the events: the event-level
 * tables (events, transitions, metrics, samples) as chunks of at most
 * {@link CHUNK_ROWS} rows, handed to a sink as they fill so that memory
 * stays bounded; the rest from the existing analyses (goroutines,
 * syscalls, tasks and regions), so that they equal the query helpers.
 *
 * @module
 */

import type { Event, StackFrame } from "../events/event.ts";
import { GO_STATES, PROC_STATES } from "../events/kinds.ts";
import { GoroutineAnalysis } from "../queries/analysis.ts";
import { type Analysis, readAll, type Source } from "../queries/source.ts";
import { type Call, type Steal, SYSCALL_EVENT_TYPES, SyscallTracker } from "../queries/syscalls.ts";
import { TASK_EVENT_TYPES, TaskAnalysis } from "../queries/tasks.ts";
import {
  Transition,
  TRANSITION_OF_TYPE,
  transitionId,
  TransitionRes,
} from "../queries/transitions.ts";
import { Ev } from "../wire/spec.ts";
import type { GenTables } from "../wire/tables.ts";
import {
  type Chunk,
  type ColumnData,
  IntColumn,
  NULL_INT,
  type PlainColumnData,
  StringColumn,
  TableBuilder,
  traceCodes,
} from "./columns.ts";
import * as S from "./schema.ts";
import type { TableName } from "./schema.ts";

/** Rows per chunk of the event-level tables. */
export const CHUNK_ROWS = 65536;

/** Where chunks go as they fill: a database appender, a Parquet writer... */
export type ChunkSink = (chunk: Chunk) => void;

/** A whole table: its chunks, in order. */
export interface Table {
  /** Its name. */
  name: TableName;
  /** Rows, in chunks. */
  chunks: Chunk[];
  /** Total rows. */
  length: number;
}

/** Every table of a trace, by name. */
export type TraceTableSet = Record<TableName, Table>;

/** Options of {@link TraceTables}. */
export interface TraceTablesOptions {
  /**
   * Receives every chunk of every table as it is complete (event-level
   * tables during the pass, the others at the end); the tables returned
   * then hold no rows. A chunk's arrays are reused for the next rows once
   * the sink returns: it must copy what it keeps. A transitions chunk
   * comes right after its events chunk and selects rows of that chunk's
   * arrays (a `RowSelection`). Without a sink every chunk is kept.
   */
  sink?: ChunkSink;
  /**
   * The sink keeps the chunks it is handed (to move them to another
   * thread, say): each chunk's arrays are then its own, never reused.
   */
  sinkKeeps?: boolean;
  /**
   * For a database that makes `transitions` a view of `events`: the
   * transitions table gets no rows (only its count), and the events
   * chunks have the {@link S.EVENT_ROWS} schema, whose last column is the
   * stack id each transitions row would have had.
   */
  transitionsInEvents?: boolean;
  /**
   * For {@link traceTables}: threads to build on (default 1). With 2 or
   * more, a worker orders the trace while this thread builds the tables
   * (the trace is read into memory first): see `readAll`'s `workers`.
   */
  workers?: number;
}

const NaN_ = Number.NaN;

/**
 * The table builder: feed it events (`event(ev)`, it is an
 * {@link Analysis}), then `result()` gives the tables.
 *
 * @example
 * ```ts
 * import { TraceTables } from "./build.ts";
 * import { readAll } from "../queries/source.ts";
 * const t = new TraceTables("syscall-simple.trace");
 * let n = 0;
 * await readAll(new URL("../../testdata/syscall-simple.trace", import.meta.url), (ev) => {
 *   n++;
 *   t.event(ev);
 * });
 * const tables = t.result();
 * console.assert(tables.events.length === n && tables.syscalls.length > 0);
 * ```
 */
export class TraceTables implements Analysis<TraceTableSet> {
  readonly #b: Record<TableName, TableBuilder>;
  readonly #kept: Record<TableName, Chunk[]>;
  readonly #counts: Record<TableName, number>;
  readonly #sink: ChunkSink;
  readonly #copy: boolean;
  readonly #trInEvents: boolean;
  #transitions = 0;
  readonly #g = new GoroutineAnalysis();
  // Syscalls are written as they settle (in no particular order), with
  // their places in the order they began, and put in that order at the end.
  readonly #sys = new SyscallTracker((c) => this.#syscall(c));
  readonly #sysSeqs = new IntColumn();
  readonly #stolen: {
    seq: number;
    steal: Steal;
    g: number;
    m: number;
    start: number;
    stack: number;
  }[] = [];
  readonly #tasks = new TaskAnalysis();
  readonly #tr = new Transition();
  #e!: {
    seq: Float64Array;
    time: Float64Array;
    kind: Int8Array;
    type: Int8Array;
    m: Int32Array;
    p: Int32Array;
    g: Int32Array;
    stack: Int32Array;
    name: Int32Array;
    value: Float64Array;
    res: Int8Array;
    resId: Float64Array;
    from: Int8Array;
    to: Int8Array;
    reason: Int32Array;
    trStack: Int32Array;
  };
  // The transitions of the events chunk being filled: their rows in it,
  // and their own stack ids (all their other columns are the events').
  readonly #trRows = new IntColumn();
  readonly #trStacks = new IntColumn();
  #seq = 0;
  #first = 0;
  #last = 0;
  #done: TraceTableSet | null = null;
  // Stacks: one id per distinct list of PCs, across generations.
  readonly #stackIds = new Map<string, number>();
  readonly #framesIds = new Map<readonly StackFrame[], number>();
  #genTables: GenTables | null = null;
  // This generation's stack ids -> ours (+1; 0 = not yet seen), and its
  // string ids -> reason codes (+1): typed arrays, as Map lookups per
  // event cost more than all the rest of a row.
  #genStacks = new Int32Array(256);
  #genReasons = new Int32Array(64);
  // Codes of the fixed vocabularies, looked up once.
  readonly #kindCode = new Int32Array(256).fill(-1); // wire type -> kind code
  readonly #typeCode = new Int32Array(256);
  readonly #resCode: Int32Array = new Int32Array(2); // Goroutine, Proc
  readonly #goState: number[] = []; // codes by GoStateCode
  readonly #procState: number[] = [];
  readonly #open = new Map<string, number>(); // open ranges: key -> row in #ranges
  readonly #ranges: {
    name: string;
    scope: string;
    id: number;
    start: number;
    end: number;
    before: boolean;
    swept: number;
    reclaimed: number;
  }[] = [];

  /**
   * A builder for the trace called `trace` (its file's base name).
   * @param trace the value of every table's `trace` column
   * @param opts where chunks go
   */
  constructor(readonly trace: string, opts: TraceTablesOptions = {}) {
    const b = {} as Record<TableName, TableBuilder>;
    const kept = {} as Record<TableName, Chunk[]>;
    const counts = {} as Record<TableName, number>;
    for (const s of S.TABLES) {
      const name = s.name as TableName;
      const inEvents = name === "events" && opts.transitionsInEvents === true;
      b[name] = new TableBuilder(inEvents ? S.EVENT_ROWS : s, trace);
      kept[name] = [];
      counts[name] = 0;
    }
    this.#b = b;
    this.#kept = kept;
    this.#counts = counts;
    this.#copy = opts.sink === undefined || opts.sinkKeeps === true;
    this.#trInEvents = opts.transitionsInEvents === true;
    this.#sink = opts.sink ?? ((c) => kept[c.schema.name as TableName].push(c));
    this.#bind();
    const ev = b.events;
    // from_state and to_state get the same dictionary, so one code serves both.
    for (let i = 0; i < GO_STATES.length; i++) {
      this.#goState[i] = ev.string(13).code(GO_STATES[i]);
      ev.string(14).code(GO_STATES[i]);
    }
    for (let i = 0; i < PROC_STATES.length; i++) {
      this.#procState[i] = ev.string(13).code(PROC_STATES[i]);
      ev.string(14).code(PROC_STATES[i]);
    }
    this.#resCode.set([ev.string(11).code("Goroutine"), ev.string(11).code("Proc")]);
    this.#trRows.reserve(CHUNK_ROWS);
    this.#trStacks.reserve(CHUNK_ROWS);
  }

  // The storage of the events columns, written by index:
  // taken over by each chunk when the chunks are kept, so bound again then.
  #bind(): void {
    const f = (t: TableBuilder, i: number) => t.reserve(i, CHUNK_ROWS) as Float64Array;
    const n = (t: TableBuilder, i: number) => t.reserve(i, CHUNK_ROWS) as Int32Array;
    const c = (t: TableBuilder, i: number) => t.reserve(i, CHUNK_ROWS) as Int8Array;
    const E = this.#b.events;
    this.#e = {
      seq: f(E, 1),
      time: f(E, 2),
      kind: c(E, 3),
      type: c(E, 4),
      m: n(E, 5),
      p: n(E, 6),
      g: n(E, 7),
      stack: n(E, 8),
      name: n(E, 9),
      value: f(E, 10),
      res: c(E, 11),
      resId: f(E, 12),
      from: c(E, 13),
      to: c(E, 14),
      reason: n(E, 15),
      trStack: this.#trInEvents ? n(E, 16) : new Int32Array(0),
    };
    this.#nulls();
  }

  // The columns only some rows have start a chunk as NULL (and no
  // transition stack), so that a row writes only what it has.
  #nulls(): void {
    const e = this.#e;
    e.name.fill(-1);
    e.value.fill(NaN_);
    e.res.fill(-1);
    e.resId.fill(NaN_);
    e.from.fill(-1);
    e.to.fill(-1);
    e.reason.fill(-1);
    e.trStack.fill(0);
  }

  /** Feeds the next event, in reader order. */
  event(ev: Event): void {
    const time = ev.time;
    const type = ev.type;
    this.#g.event(ev);
    // The syscall and task analyses see only the events they act on (most
    // events are neither): the rest only move their clocks.
    if (SYSCALL_EVENT_TYPES[type] === 1) this.#sys.event(ev);
    else this.#sys.last = time;
    if (TASK_EVENT_TYPES[type] === 1) this.#tasks.event(ev);
    if (this.#seq === 0) this.#first = time;
    const seq = this.#seq++;
    this.#last = time;
    if (ev.tables !== this.#genTables) {
      this.#genTables = ev.tables;
      this.#genStacks.fill(0);
      this.#genReasons.fill(0);
    }
    const b = this.#b.events;
    let kind = this.#kindCode[type];
    if (kind < 0) {
      kind = this.#kindCode[type] = b.string(3).code(ev.kind);
      this.#typeCode[type] = b.string(4).code(ev.typeName);
    }
    // Columns written by index into arrays reserved for a whole chunk.
    const e = this.#e, ei = this.#e, i = b.rows;
    e.seq[i] = seq;
    e.time[i] = time;
    ei.kind[i] = kind;
    ei.type[i] = this.#typeCode[type];
    ei.m[i] = ev.thread;
    ei.p[i] = ev.proc;
    ei.g[i] = ev.goroutine;
    ei.stack[i] = this.#stackId(ev, type === Ev.CPUSample ? ev.a0 : ev.stackId);
    // Transitions read their table inline; status events and steals
    // through the Transition view.
    const T = TRANSITION_OF_TYPE, res = T.res[type];
    if (res !== TransitionRes.None) {
      let isG: boolean, id: number, from: number, to: number;
      if (res === TransitionRes.Read) {
        const tr = this.#tr;
        isG = tr.decode(ev) === "goroutine";
        id = tr.id;
        from = tr.from;
        to = tr.to;
      } else {
        isG = res === TransitionRes.Goroutine;
        id = transitionId(ev);
        from = T.from[type];
        to = T.to[type];
      }
      const states = isG ? this.#goState : this.#procState;
      ei.res[i] = this.#resCode[isG ? 0 : 1];
      e.resId[i] = id;
      ei.from[i] = states[from];
      ei.to[i] = states[to];
      // Only stops and blocks have a reason: a string id of the generation.
      ei.reason[i] = this.#reason(ev, type === Ev.GoStop || type === Ev.GoBlock ? ev.a0 : 0);
      const slot = T.stack[type];
      const stack = this.#stackId(ev, slot < 0 ? 0 : slot === 1 ? ev.a1 : ev.a3);
      if (this.#trInEvents) {
        ei.trStack[i] = stack;
        this.#transitions++;
      } else {
        const rows = this.#trRows, j = rows.length++;
        rows.data[j] = i;
        this.#trStacks.data[j] = stack;
        this.#trStacks.length++;
      }
    } else this.#other(ev, i);
    if (++b.rows === CHUNK_ROWS) this.#flush("events");
  }

  // The events columns from name on for events that are not transitions,
  // and the rows of the smaller tables.
  #other(ev: Event, i: number): void {
    let name: string | null = null;
    let value = NaN_;
    let res: string | null = null;
    let resId = NaN_;
    switch (ev.kind) {
      case "Metric": {
        const m = ev.metric();
        name = m.name;
        value = m.value;
        const t = this.#b.metrics;
        t.number(1).push(ev.time);
        t.string(2).push(m.name);
        t.number(3).push(m.value);
        t.int(4).push(ev.goroutine);
        if (++t.rows === CHUNK_ROWS) this.#flush("metrics");
        break;
      }
      case "StackSample": {
        const t = this.#b.samples;
        t.number(1).push(ev.time);
        t.int(2).push(ev.thread);
        t.int(3).push(ev.proc);
        t.int(4).push(ev.goroutine);
        t.int(5).push(this.#stackId(ev, ev.a0));
        if (++t.rows === CHUNK_ROWS) this.#flush("samples");
        break;
      }
      case "RangeBegin":
      case "RangeActive":
      case "RangeEnd": {
        const rg = ev.range();
        name = rg.name;
        res = rg.scope.kind;
        resId = rg.scope.id;
        this.#range(ev, rg.name, rg.scope.kind, rg.scope.id);
        break;
      }
      case "TaskBegin":
      case "TaskEnd": {
        const t = ev.task();
        name = t.type;
        value = t.id;
        break;
      }
      case "RegionBegin":
      case "RegionEnd": {
        const r = ev.region();
        name = r.type;
        value = r.task;
        break;
      }
      case "Log": {
        const l = ev.log();
        name = l.category;
        value = l.task;
        const t = this.#b.logs;
        t.number(1).push(ev.time);
        t.int(2).push(ev.thread);
        t.int(3).push(ev.proc);
        t.int(4).push(ev.goroutine);
        t.number(5).push(l.task);
        t.string(6).push(l.category);
        t.string(7).push(l.message);
        t.int(8).push(this.#stackId(ev, ev.stackId));
        t.rows++;
        break;
      }
      case "Label": {
        const l = ev.label();
        name = l.label;
        res = l.resource.kind;
        resId = l.resource.id;
        const t = this.#b.labels;
        t.number(1).push(ev.time);
        t.int(2).push(ev.goroutine);
        t.string(3).push(l.label);
        t.rows++;
        break;
      }
    }
    // The other columns stay NULL (see #nulls).
    if (name === null) return;
    const b = this.#b.events, e = this.#e;
    e.name[i] = b.string(9).code(name);
    e.value[i] = value;
    if (res !== null) {
      e.res[i] = b.string(11).code(res);
      e.resId[i] = resId;
    }
  }

  #range(ev: Event, name: string, scope: string, id: number): void {
    const key = `${name}\u0000${scope}\u0000${id}`;
    const open = this.#open.get(key);
    if (ev.kind === "RangeEnd") {
      let row = open;
      if (row === undefined) {
        // Ended without a begin or active event seen: it began before the trace.
        row = this.#newRange(name, scope, id, NaN_, true);
      }
      const r = this.#ranges[row];
      r.end = ev.time;
      for (const a of ev.rangeAttributes()) {
        if (a.name === "bytes swept") r.swept = a.value;
        if (a.name === "bytes reclaimed") r.reclaimed = a.value;
      }
      this.#open.delete(key);
    } else if (open === undefined) {
      const row = this.#newRange(name, scope, id, ev.time, ev.kind === "RangeActive");
      this.#open.set(key, row);
    }
  }

  #newRange(name: string, scope: string, id: number, start: number, before: boolean): number {
    this.#ranges.push({
      name,
      scope,
      id,
      start,
      end: NaN_,
      before,
      swept: NaN_,
      reclaimed: NaN_,
    });
    return this.#ranges.length - 1;
  }

  /** The code of reason string `id` of `ev`'s generation. */
  #reason(ev: Event, id: number): number {
    const cache = this.#genReasons;
    // Small, so that it is inlined into event(); a new id takes the call.
    return id < cache.length && cache[id] !== 0 ? cache[id] - 1 : this.#newReason(ev, id);
  }

  /** {@link #reason} for an id not seen yet in this generation. */
  #newReason(ev: Event, id: number): number {
    let cache = this.#genReasons;
    const code = this.#b.events.string(15).code(id === 0 ? "" : ev.tables?.string(id) ?? "");
    if (id >= cache.length) {
      const bigger = new Int32Array(Math.max(id + 1, cache.length * 2));
      bigger.set(cache);
      cache = this.#genReasons = bigger;
    }
    cache[id] = code + 1;
    return code;
  }

  /** Our id of the stack `id` of `ev`'s generation, adding it when new. */
  #stackId(ev: Event, id: number): number {
    const seen = this.#genStacks;
    // Small, so that it is inlined into event(); a new id takes the call.
    if (id === 0) return 0;
    return id < seen.length && seen[id] !== 0 ? seen[id] - 1 : this.#newStack(ev, id);
  }

  /** {@link #stackId} for an id not seen yet in this generation. */
  #newStack(ev: Event, id: number): number {
    const t = ev.tables;
    const pcs = t?.stacks.get(id);
    if (!t || !pcs) return 0;
    const ours = this.#intern(pcs, (i) => {
      const f = t.pcs.get(pcs[i]);
      return f
        ? {
          pc: pcs[i],
          func: t.string(f.funcID) ?? "",
          file: t.string(f.fileID) ?? "",
          line: f.line,
        }
        : { pc: pcs[i], func: "", file: "", line: 0 };
    });
    if (id >= this.#genStacks.length) {
      const bigger = new Int32Array(Math.max(id + 1, this.#genStacks.length * 2));
      bigger.set(this.#genStacks);
      this.#genStacks = bigger;
    }
    this.#genStacks[id] = ours + 1;
    return ours;
  }

  /** The id of the stack with these PCs, adding its stacks and frames rows when new. */
  #intern(pcs: readonly number[], frame: (i: number) => StackFrame): number {
    const key = pcs.join(",");
    let id = this.#stackIds.get(key);
    if (id !== undefined) return id;
    id = this.#stackIds.size + 1;
    this.#stackIds.set(key, id);
    const fr = this.#b.frames;
    let leaf = "", root = "";
    for (let i = 0; i < pcs.length; i++) {
      const f = frame(i);
      if (i === 0) leaf = f.func;
      root = f.func;
      fr.int(1).push(id);
      fr.int(2).push(i);
      fr.number(3).push(f.pc);
      fr.string(4).push(f.func);
      fr.string(5).push(f.file);
      fr.int(6).push(f.line);
      fr.rows++;
    }
    const st = this.#b.stacks;
    st.int(1).push(id);
    st.int(2).push(pcs.length);
    st.string(3).push(leaf);
    st.string(4).push(root);
    st.rows++;
    return id;
  }

  #stackOfFrames(frames: readonly StackFrame[]): number {
    if (frames.length === 0) return 0;
    // The analyses share one frames array per stack and generation.
    let id = this.#framesIds.get(frames);
    if (id === undefined) {
      id = this.#intern(frames.map((f) => f.pc), (i) => frames[i]);
      this.#framesIds.set(frames, id);
    }
    return id;
  }

  #flush(name: TableName): void {
    const b = this.#b[name];
    if (b.rows === 0) return;
    this.#counts[name] += b.rows;
    if (name === "events" && this.#trInEvents) {
      this.#counts.transitions += this.#transitions;
      this.#transitions = 0;
    }
    // A sink copies what it is handed: the arrays are then reused.
    const chunk = b.take(this.#copy);
    this.#sink(chunk);
    if (name !== "events") return;
    this.#flushTransitions(chunk);
    if (this.#copy) this.#bind();
    else this.#nulls();
  }

  // The transitions of an events chunk: its columns at their rows, and
  // their own stacks.
  #flushTransitions(events: Chunk): void {
    const n = this.#trRows.length;
    if (n === 0) return;
    this.#counts.transitions += n;
    const rows = this.#trRows.take(n, this.#copy);
    const stacks = this.#trStacks.take(n, this.#copy);
    const of = (k: number): ColumnData => ({ rows, of: events.columns[k] as PlainColumnData });
    this.#sink({
      schema: S.TRANSITIONS,
      length: n,
      columns: [
        { codes: traceCodes(n), dict: [this.trace] },
        of(1), // seq
        of(2), // time
        of(11), // resource
        of(12), // id: resource_id
        of(13), // from_state
        of(14), // to_state
        of(15), // reason
        stacks,
        of(5), // m
        of(6), // p
        of(7), // g
      ],
    });
  }

  /**
   * Ends the pass: builds the tables of the analyses, hands the last
   * chunks to the sink and returns the tables (without rows when a sink
   * was given). Idempotent.
   */
  result(): TraceTableSet {
    if (this.#done) return this.#done;
    this.#finishAnalyses();
    const out = {} as TraceTableSet;
    for (const s of S.TABLES) {
      const name = s.name as TableName;
      this.#flush(name);
      out[name] = { name, chunks: this.#kept[name], length: this.#counts[name] };
    }
    return this.#done = out;
  }

  // A syscalls row for a settled call (recycled once this returns).
  #syscall(c: Call): void {
    const sc = this.#b.syscalls;
    const frames = c.stack;
    const stack = this.#stackOfFrames(frames);
    sc.number(1).push(c.goroutine);
    sc.int(2).push(c.thread);
    sc.int(3).push(c.proc);
    sc.number(4).push(c.start);
    sc.number(5).push(c.ended ? c.end : NaN_);
    sc.number(6).push(c.duration);
    sc.int(7).push(stack);
    sc.string(8).push(frames[0]?.func ?? "");
    sc.bool(9).push(c.beforeTrace);
    sc.string(10).push(c.outcome);
    sc.int(11).push(c.returnProc);
    sc.bool(12).push(c.steal !== null);
    sc.number(13).push(c.steal?.time ?? NaN_);
    sc.int(14).push(c.steal?.thread ?? NULL_INT);
    sc.rows++;
    this.#sysSeqs.push(c.seq);
    if (c.steal) {
      this.#stolen.push({
        seq: c.seq,
        steal: c.steal,
        g: c.goroutine,
        m: c.thread,
        start: c.start,
        stack,
      });
    }
  }

  // The syscalls rows in the order their calls began: every call begun is
  // settled once, so the seqs are 0 to n-1.
  #sortSyscalls(): void {
    const sc = this.#b.syscalls, n = sc.rows;
    const seqs = this.#sysSeqs.data;
    const rowOf = new Int32Array(n);
    let sorted = true;
    for (let r = 0; r < n; r++) {
      rowOf[seqs[r]] = r;
      if (seqs[r] !== r) sorted = false;
    }
    if (sorted) return;
    for (let k = 1; k < sc.cols.length; k++) {
      const c = sc.cols[k];
      const data = c instanceof StringColumn ? c.codes.data : c.data;
      if (data instanceof Float64Array) permuteF64(data, data.slice(0, n), rowOf);
      else if (data instanceof Int32Array) permuteI32(data, data.slice(0, n), rowOf);
      else if (data instanceof Int8Array) permuteI8(data, data.slice(0, n), rowOf);
      else permuteU8(data, data.slice(0, n), rowOf);
    }
  }

  #finishAnalyses(): void {
    const { goroutines } = this.#g.result();
    const g = this.#b.goroutines;
    g.reserveRows(goroutines.length);
    for (const s of goroutines) {
      let block = 0;
      for (const v of Object.values(s.blockTimeByReason)) block += v;
      g.number(1).push(s.id);
      g.string(2).push(s.name);
      g.number(3).push(s.pc);
      g.number(4).push(s.creationTime);
      g.number(5).push(s.startTime);
      g.number(6).push(s.endTime);
      g.number(7).push(s.execTime);
      g.number(8).push(s.schedWaitTime);
      g.number(9).push(block);
      g.number(10).push(s.syscallTime);
      g.number(11).push(s.syscallBlockTime);
      g.number(12).push(s.totalTime);
      g.int(13).push(s.regions);
      g.string(14).push(JSON.stringify(s.blockTimeByReason));
      g.string(15).push(JSON.stringify(s.rangeTime));
      g.rows++;
    }
    this.#sys.flush();
    this.#sortSyscalls();
    // By steal time, as the steals view orders them (a stable sort).
    this.#stolen.sort((a, b) => a.steal.time - b.steal.time || a.seq - b.seq);
    const st = this.#b.steals;
    for (const { steal: s, g, m, start, stack } of this.#stolen) {
      st.number(1).push(s.time);
      st.int(2).push(s.proc);
      st.int(3).push(s.thread);
      st.int(4).push(s.stealerProc);
      st.number(5).push(s.stealerGoroutine);
      st.bool(6).push(s.self);
      st.bool(7).push(s.abandoned);
      st.number(8).push(g);
      st.int(9).push(m);
      st.number(10).push(start);
      st.int(11).push(stack);
      st.rows++;
    }
    const ra = this.#b.ranges;
    for (const r of this.#ranges) {
      const start = Number.isNaN(r.start) ? r.end : r.start;
      ra.string(1).push(r.name);
      ra.string(2).push(r.scope);
      ra.number(3).push(r.id);
      ra.number(4).push(start);
      ra.number(5).push(r.end);
      ra.number(6).push((Number.isNaN(r.end) ? this.#last : r.end) - start);
      ra.bool(7).push(r.before);
      ra.number(8).push(r.swept);
      ra.number(9).push(r.reclaimed);
      ra.rows++;
    }
    if (this.#seq > 0) this.#tasks.span(this.#first, this.#last);
    const { tasks, regions } = this.#tasks.result();
    const rg = this.#b.regions;
    for (const r of regions) {
      rg.int(1).push(r.index);
      rg.string(2).push(r.name);
      rg.number(3).push(r.goroutine);
      rg.number(4).push(r.task);
      rg.number(5).push(r.start ?? NaN_);
      rg.number(6).push(r.end ?? NaN_);
      rg.number(7).push(r.duration);
      rg.int(8).push(r.depth);
      rg.int(9).push(r.parent);
      rg.rows++;
    }
    const tk = this.#b.tasks;
    for (const t of tasks) {
      tk.number(1).push(t.id);
      tk.string(2).push(t.name);
      tk.number(3).push(t.parent);
      tk.number(4).push(t.start ?? NaN_);
      tk.number(5).push(t.end ?? NaN_);
      tk.bool(6).push(t.complete);
      tk.number(7).push(t.duration);
      tk.int(8).push(t.logs.length);
      tk.int(9).push(t.regions.length);
      tk.int(10).push(t.goroutines.length);
      tk.rows++;
    }
  }
}

// to[r] = from[rowOf[r]], one function per array type (each stays monomorphic).
function permuteF64(to: Float64Array, from: Float64Array, rowOf: Int32Array): void {
  for (let r = 0; r < rowOf.length; r++) to[r] = from[rowOf[r]];
}
function permuteI32(to: Int32Array, from: Int32Array, rowOf: Int32Array): void {
  for (let r = 0; r < rowOf.length; r++) to[r] = from[rowOf[r]];
}
function permuteI8(to: Int8Array, from: Int8Array, rowOf: Int32Array): void {
  for (let r = 0; r < rowOf.length; r++) to[r] = from[rowOf[r]];
}
function permuteU8(to: Uint8Array, from: Uint8Array, rowOf: Int32Array): void {
  for (let r = 0; r < rowOf.length; r++) to[r] = from[rowOf[r]];
}

/**
 * Every table of a trace, in one pass.
 *
 * @example
 * ```ts
 * import { traceTables } from "./build.ts";
 * const demo = new URL("../../testdata/demo.trace", import.meta.url);
 * const t = await traceTables(demo);
 * console.assert(t.steals.length > 0 && t.goroutines.length > 0);
 * // Built while a worker orders the events: the same tables.
 * const p = await traceTables(demo, "demo.trace", { workers: 2 });
 * console.assert(p.events.length === t.events.length && p.steals.length === t.steals.length);
 * ```
 *
 * @param source the trace (path, URL, bytes, stream, Reader or events)
 * @param name its `trace` column; by default the base name of a path or URL, else "trace"
 * @param opts where chunks go
 */
export async function traceTables(
  source: Source,
  name: string = traceName(source),
  opts: TraceTablesOptions = {},
): Promise<TraceTableSet> {
  const t = new TraceTables(name, opts);
  await readAll(source, (ev) => t.event(ev), { workers: opts.workers });
  return t.result();
}

/**
 * The `trace` column's value for a source: the base name of a path or
 * URL, "trace" for anything else.
 *
 * @example
 * ```ts
 * import { traceName } from "./build.ts";
 * console.assert(traceName("/x/y/app.trace.gz") === "app.trace.gz");
 * console.assert(traceName(new Uint8Array()) === "trace");
 * ```
 */
export function traceName(source: unknown): string {
  const s = typeof source === "string" ? source : source instanceof URL ? source.pathname : null;
  if (s === null) return "trace";
  return decodeURIComponent(s.replace(/\/+$/, "").split("/").pop() ?? "") || "trace";
}
