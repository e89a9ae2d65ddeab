/**
 * The event stream of an old-format trace as the Reader hands it out: a
 * Sync just before the first event, the converted events, and a final Sync
 * just after the last one. The old format has no generations, so there are
 * exactly two Syncs.
 *
 * @module
 */

import { Event } from "../events/event.ts";
import { EV_SYNC } from "../events/kinds.ts";
import { TraceError } from "../trace_error.ts";
import { headerLength } from "../wire/header.ts";
import { LegacyConverter } from "./convert.ts";
import { type LegacyOptions, parseLegacy } from "./parse.ts";
import { newRawEvent, RawReader } from "./raw.ts";

/**
 * Most bytes past the start of an event that reading it can look at (a log
 * message or string of at most 1e6 bytes, its uvarints): once that many are
 * here, an event that fails to read fails for good.
 */
const EVENT_REACH = (1 << 20) + 64;

/**
 * An old-format trace gathered as it is read. The old format has no
 * generations and is parsed whole, but the framing of its events is checked
 * on the way, so that reading stops soon after the first event that cannot
 * be read (the parse then fails there, as it would have on the whole input)
 * instead of reading all the rest first; and it stops with a TraceError
 * `too-large` past a ceiling.
 *
 * @example
 * ```ts
 * import { LegacyGatherer } from "./source.ts";
 * const header = new TextEncoder().encode("go 1.19 trace\0\0\0");
 * const g = new LegacyGatherer(19, header, 8 << 20);
 * console.assert(g.push(new Uint8Array([0x41, 0, 10]))); // a batch header: read on
 * console.assert(!g.push(new Uint8Array(2 << 20))); // zeros: event type 0, no use reading more
 * console.assert(g.bytes().length === 16 + 3 + (2 << 20));
 * ```
 */
export class LegacyGatherer {
  #buf: Uint8Array;
  #len: number;
  // Offset (in the body) of the first event whose framing is not yet known good.
  #scan = 0;
  readonly #hl: number;
  readonly #ev = newRawEvent();

  /**
   * @param version the header's version
   * @param head the first bytes read, header included
   * @param max most bytes to gather (a TraceError `too-large` past it)
   */
  constructor(readonly version: number, head: Uint8Array, readonly max: number) {
    this.#hl = headerLength(version);
    this.#buf = new Uint8Array(Math.max(1 << 20, head.length * 2));
    this.#buf.set(head);
    this.#len = head.length;
    this.#check(head.length);
  }

  /** Bytes gathered so far. */
  get length(): number {
    return this.#len;
  }

  /**
   * Adds bytes read from the input. Returns false when the bytes gathered
   * already end in an event that cannot be read: more input would change
   * nothing. Throws a TraceError `too-large` past the ceiling.
   */
  push(chunk: Uint8Array): boolean {
    const need = this.#len + chunk.length;
    this.#check(need);
    if (need > this.#buf.length) {
      // Doubling keeps the copying linear in the input.
      const grown = new Uint8Array(Math.min(Math.max(need, this.#buf.length * 2), this.max));
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    this.#buf.set(chunk, this.#len);
    this.#len = need;
    return this.#frame();
  }

  /** The trace gathered, header included. */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  #check(n: number): void {
    if (n <= this.max) return;
    throw new TraceError(
      "too-large",
      `old-format trace too large: more than ${this.max} bytes (ReaderOptions.maxLegacyBytes)`,
      { offset: this.max },
    );
  }

  // Steps over the events that are whole; false once one fails for good.
  #frame(): boolean {
    if (this.#len <= this.#hl) return true;
    const body = this.#buf.subarray(this.#hl, this.#len);
    const r = new RawReader(body, this.version, this.#hl);
    r.off = this.#scan;
    for (;;) {
      const at = r.off;
      let whole: boolean;
      try {
        whole = r.next(this.#ev, true);
      } catch (e) {
        this.#scan = at;
        // A read that ran out of bytes may succeed with more of them.
        const cut = e instanceof TraceError && e.code === "truncated";
        return cut || body.length - at < EVENT_REACH;
      }
      if (!whole) {
        // The end of the bytes, or a log message cut short by it.
        this.#scan = at;
        return true;
      }
    }
  }
}

/**
 * Events of a whole old-format trace in memory. Parsing happens in the
 * constructor, which throws a TraceError for a trace that cannot be parsed;
 * {@link next} throws for an event that cannot be converted.
 *
 * @example
 * ```ts
 * import { LegacyEvents } from "./source.ts";
 * const header = new TextEncoder().encode("go 1.19 trace\0\0\0");
 * // One batch: frequency 1 GHz, GOMAXPROCS=4 (the end of start-up, dropped), a heap size.
 * const body = [0x41, 0, 10, 0x02, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0x84, 1, 4, 0, 0x61, 5, 99];
 * const src = new LegacyEvents(new Uint8Array([...header, ...body]), 19);
 * const text = [];
 * for (let ev = src.next(); ev; ev = src.next()) text.push(ev.toString());
 * console.assert(text[0] === "M=-1 P=-1 G=-1 Sync Time=-1 N=1");
 * console.assert(text[2] === "M=-1 P=-1 G=-1 Sync Time=6 N=2");
 * ```
 */
export class LegacyEvents {
  /** True once the final Sync has been handed out or an error thrown. */
  done = false;
  readonly #conv: LegacyConverter;
  #syncs = 0;

  /**
   * Parses the trace.
   *
   * @param bytes the whole trace, header included
   * @param version the header's version
   * @param options see {@link LegacyOptions}
   */
  constructor(bytes: Uint8Array, version: number, options: LegacyOptions = {}) {
    const hl = headerLength(version);
    const trace = parseLegacy(bytes.subarray(hl), version, hl, options);
    this.#conv = new LegacyConverter(trace, options);
  }

  /** The next event, or null after the final Sync. */
  next(): Event | null {
    if (this.done) return null;
    const first = this.#conv.firstTime;
    if (this.#syncs === 0 && first !== null) return this.#sync(this.#conv.tables, first - 1);
    let ev: Event | null;
    try {
      ev = this.#conv.next();
    } catch (e) {
      this.done = true;
      throw e;
    }
    if (ev) return ev;
    this.done = true;
    return this.#sync(null, this.#conv.lastTs + 1);
  }

  #sync(tables: LegacyConverter["tables"] | null, time: number): Event {
    this.#syncs++;
    return new Event(tables, -1, -1, -1, EV_SYNC, time, this.#syncs, 0, 0, 0);
  }
}
