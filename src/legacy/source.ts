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
import { headerLength } from "../wire/header.ts";
import { LegacyConverter } from "./convert.ts";
import { type LegacyOptions, parseLegacy } from "./parse.ts";

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
