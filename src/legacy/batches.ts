/**
 * Batches of the old format. A batch is a P's run of events, opened by a
 * batch header (P id, absolute CPU ticks) and followed by events whose
 * timestamps are deltas from the previous one. String, stack, frequency and
 * timer-goroutine entries sit between events and fill the tables.
 *
 * A first pass only finds where each P's batches start (and reads the CPU
 * samples, which belong to no P's order); batches are then decoded one at a
 * time, as the merge needs them.
 *
 * @module
 */

import type { TraceError } from "../trace_error.ts";
import type { FrameRecord } from "../wire/tables.ts";
import { setWireArg, wireArg } from "../wire/cursor.ts";
import { newRawEvent, type RawEvent, RawReader, u64, wantArgs } from "./raw.ts";
import { LEGACY_SPECS, LegacyEv } from "./spec.ts";

const MAX_FRAMES = 1000;

/**
 * One old-format event. Times are CPU ticks (relative to the first batch
 * header) until the parser converts them to nanoseconds. `a0..a3` are the
 * arguments after the timestamp, stack id excluded.
 *
 * @example
 * ```ts
 * import { LegacyEvent } from "./batches.ts";
 * import { LegacyEv } from "./spec.ts";
 * const ev = new LegacyEvent(LegacyEv.GoStart, 100, 0, 7, 7, 1, 0, 0, 0, 16);
 * console.assert(ev.g === 7 && ev.a1 === 1);
 * ```
 */
export class LegacyEvent {
  /**
   * An event with all its fields.
   *
   * @param type old event type
   * @param ts time (ticks, later ns)
   * @param p P id, or a fake P id (see FakeP in spec.ts), -1 for none
   * @param g goroutine (0 for none)
   * @param stk stack id (0 for none)
   * @param off byte offset of the event in the file, for errors
   */
  constructor(
    public type: number,
    public ts: number,
    public p: number,
    public g: number,
    public a0: number,
    public a1: number,
    public a2: number,
    public a3: number,
    public stk: number,
    readonly off: number,
  ) {}

  /** Argument `i`. */
  arg(i: number): number {
    return wireArg(this, i);
  }

  /** Sets argument `i`. */
  setArg(i: number, v: number): void {
    setWireArg(this, i, v);
  }
}

/**
 * The trace body split into per-P batches, with the tables that decoding
 * them fills in.
 *
 * @example
 * ```ts
 * import { BatchSet } from "./batches.ts";
 * // A body with one empty batch for P 0 at tick 5.
 * const set = new BatchSet(new Uint8Array([0x41, 0, 5]), 19, 16);
 * console.assert(set.pids().length === 1 && set.load(0)!.length === 0);
 * ```
 */
export class BatchSet {
  /** Raw event reader over the body (its string table is the trace's). */
  readonly raw: RawReader;
  /** CPU samples, in file order (time in ticks). */
  readonly cpuSamples: LegacyEvent[] = [];
  /** Stacks by id: PCs, innermost first. */
  readonly stacks: Map<number, number[]> = new Map();
  /** Frames by PC (the first description of a PC wins). */
  readonly pcs: Map<number, FrameRecord> = new Map();
  /** Log messages, stored inline in the old format; an event refers to one by index. */
  readonly inlineStrings: string[] = [];
  /** Ticks per second, from the frequency event (0 until seen). */
  ticksPerSec = 0;
  /** Goroutines that run timers (go1.11 marks them; their unblocks go on the timer P). */
  readonly timerGoroutines: Set<number> = new Set();

  // Batch start offsets by P, in first-seen P order, and how many of each are used.
  readonly #offsets: Map<number, number[]> = new Map();
  readonly #used: Map<number, number> = new Map();
  readonly #inlineIds: Map<string, number> = new Map();
  // The first batch header's ticks: times are kept relative to it so they
  // stay exact as numbers even when the CPU counter is past 2^53.
  #base: bigint | null = null;
  #baseNum = 0;
  // Decoding state: the current P, its running goroutine and last time.
  #lastP = 0;
  #lastG = 0;
  #lastTs = 0;
  readonly #lastGs: Map<number, number> = new Map();
  readonly #ev: RawEvent = newRawEvent();

  /**
   * Finds the batches and reads the CPU samples.
   *
   * @param body trace bytes after the header
   * @param version trace version
   * @param headerLen header length, so that errors give file offsets
   */
  constructor(body: Uint8Array, readonly version: number, headerLen: number) {
    this.raw = new RawReader(body, version, headerLen);
    const r = this.raw;
    const ev = this.#ev;
    let curP = 0;
    while (r.next(ev, true)) {
      if (ev.typ === LegacyEv.None) continue;
      if (ev.typ === LegacyEv.Batch) {
        curP = ev.args[0];
        let list = this.#offsets.get(curP);
        if (!list) this.#offsets.set(curP, list = []);
        list.push(ev.off);
        if (this.#base === null) {
          this.#base = BigInt.asIntN(64, r.bigAt(ev.argOffs[1]));
          this.#baseNum = Number(this.#base);
        }
      }
      if (!this.#offsets.get(curP)?.length) {
        throw r.fail(
          "bad-batch",
          `read event ${ev.typ} with current P of ${curP}, but P has no batches yet`,
        );
      }
      if (ev.typ === LegacyEv.CPUSample) this.cpuSamples.push(this.#cpuSample(ev));
    }
  }

  /** P ids with batches, in the order they first appear. */
  pids(): number[] {
    return [...this.#offsets.keys()];
  }

  /**
   * Decodes the next unread batch of P `pid`; null when it has no more.
   * Table entries in the batch go to the tables.
   */
  load(pid: number): LegacyEvent[] | null {
    const list = this.#offsets.get(pid);
    const used = this.#used.get(pid) ?? 0;
    if (!list || used >= list.length) return null;
    this.#used.set(pid, used + 1);
    const r = this.raw;
    const ev = this.#ev;
    r.off = list[used];
    const out: LegacyEvent[] = [];
    let gotHeader = false;
    while (r.next(ev, false)) {
      if (ev.typ === LegacyEv.None || ev.typ === LegacyEv.CPUSample) continue;
      if (ev.typ === LegacyEv.Batch) {
        if (gotHeader) break;
        gotHeader = true;
      }
      const e = this.#decode(ev);
      if (e) out.push(e);
    }
    return out;
  }

  /** Ticks relative to the first batch header, of the uvarint at body offset `at`. */
  ticksAt(at: number, fast: number): number {
    if (fast >= 0 && fast <= Number.MAX_SAFE_INTEGER && Number.isSafeInteger(this.#baseNum)) {
      return fast - this.#baseNum;
    }
    return Number(BigInt.asIntN(64, this.raw.bigAt(at)) - (this.#base ?? 0n));
  }

  /** Relative ticks that stand for an absolute tick count of 0 (the old parser's "unset"). */
  get zeroTicks(): number {
    return -this.#baseNum;
  }

  #cpuSample(ev: RawEvent): LegacyEvent {
    const want = wantArgs(ev);
    if (ev.args.length !== want) {
      throw this.raw.fail(
        "bad-batch",
        `CPU sample has wrong number of arguments: want ${want}, got ${ev.args.length}`,
      );
    }
    // [timestamp, real timestamp, P, G, stack]; the sample's own time is the real one.
    const [, ts, p, g, stk] = ev.args;
    const time = this.ticksAt(ev.argOffs[1], ts);
    return new LegacyEvent(
      LegacyEv.CPUSample,
      time,
      p | 0,
      g,
      0,
      p,
      g,
      0,
      stk >>> 0,
      this.raw.base + ev.off,
    );
  }

  #fail(msg: string): TraceError {
    return this.raw.fail("bad-batch", msg);
  }

  #decode(ev: RawEvent): LegacyEvent | null {
    const spec = LEGACY_SPECS[ev.typ];
    const args = ev.args;
    const narg = wantArgs(ev);
    if (args.length !== narg) {
      throw this.#fail(
        `${spec.name} has wrong number of arguments: want ${narg}, got ${args.length}`,
      );
    }
    switch (ev.typ) {
      case LegacyEv.Batch: {
        // The raw reader has checked the P id.
        this.#lastGs.set(this.#lastP, this.#lastG);
        const pid = args[0];
        this.#lastP = pid;
        this.#lastG = this.#lastGs.get(pid) ?? 0;
        this.#lastTs = this.ticksAt(ev.argOffs[1], args[1]);
        return null;
      }
      case LegacyEv.Frequency:
        this.ticksPerSec = args[0];
        // Likely tick skew between CPUs.
        if (this.ticksPerSec <= 0) throw this.raw.fail("ordering", "time stamps out of order");
        return null;
      case LegacyEv.TimerGoroutine:
        this.timerGoroutines.add(args[0]);
        return null;
      case LegacyEv.Stack:
        this.#stack(args);
        return null;
    }
    const e = new LegacyEvent(
      ev.typ,
      this.#lastTs + args[0],
      this.#lastP,
      this.#lastG,
      0,
      0,
      0,
      0,
      0,
      this.raw.base + ev.off,
    );
    this.#lastTs = e.ts;
    for (let i = 1; i < narg; i++) {
      if (i === narg - 1 && spec.stack) e.stk = args[i] >>> 0;
      else e.setArg(i - 1, args[i]);
    }
    switch (ev.typ) {
      case LegacyEv.GoStart:
      case LegacyEv.GoStartLocal:
      case LegacyEv.GoStartLabel:
        this.#lastG = e.g = e.a0;
        break;
      case LegacyEv.GoEnd:
      case LegacyEv.GoStop:
      case LegacyEv.GoSched:
      case LegacyEv.GoPreempt:
      case LegacyEv.GoSleep:
      case LegacyEv.GoBlock:
      case LegacyEv.GoBlockSend:
      case LegacyEv.GoBlockRecv:
      case LegacyEv.GoBlockSelect:
      case LegacyEv.GoBlockSync:
      case LegacyEv.GoBlockCond:
      case LegacyEv.GoBlockNet:
      case LegacyEv.GoSysBlock:
      case LegacyEv.GoBlockGC:
        this.#lastG = 0;
        break;
      case LegacyEv.GoSysExit:
        // a2 is the absolute exit time (0: none); a3 keeps it as relative ticks.
        e.g = e.a0;
        if (e.a2 !== 0) e.a3 = this.ticksAt(ev.argOffs[3], e.a2);
        break;
      case LegacyEv.GoWaiting:
      case LegacyEv.GoInSyscall:
        e.g = e.a0;
        break;
      case LegacyEv.UserLog: {
        let id = this.#inlineIds.get(ev.text);
        if (id === undefined) {
          id = this.inlineStrings.push(ev.text) - 1;
          this.#inlineIds.set(ev.text, id);
        }
        e.a3 = id;
        break;
      }
    }
    return e;
  }

  #stack(args: number[]): void {
    if (args.length < 2) {
      throw this.#fail(
        `EvStack has wrong number of arguments: want at least 2, got ${args.length}`,
      );
    }
    const size = args[1];
    if (size < 0 || size > MAX_FRAMES) {
      throw this.#fail(`EvStack has bad number of frames: ${u64(size)}`);
    }
    const want = 2 + 4 * size;
    if (args.length !== want) {
      throw this.#fail(`EvStack has wrong number of arguments: want ${want}, got ${args.length}`);
    }
    const id = args[0] >>> 0;
    if (id === 0 || size === 0) return;
    const pcs: number[] = new Array(size);
    for (let i = 0; i < size; i++) {
      const pc = args[2 + 4 * i];
      pcs[i] = pc;
      if (!this.pcs.has(pc)) {
        const line = args[5 + 4 * i];
        // The old parser keeps lines as int.
        this.pcs.set(pc, { pc, funcID: args[3 + 4 * i], fileID: args[4 + 4 * i], line });
      }
    }
    this.stacks.set(id, pcs);
  }
}
