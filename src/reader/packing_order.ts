/**
 * The ordering state of a parallel reader's worker: the same rules, but the
 * events it places are written straight into typed arrays for the main
 * thread (see {@link EventPacker}), with no `Event` object made for them.
 *
 * @module
 */

import { Ordering } from "../order/mod.ts";
import { Event } from "../events/event.ts";
import { EV_SYNC } from "../events/kinds.ts";
import type { EventPacker } from "./packed.ts";

/**
 * What {@link PackingOrdering.next} hands out in place of the events it
 * packed: a marker, never a real event.
 *
 * @example
 * ```ts
 * import { PACKED } from "./packing_order.ts";
 * console.assert(PACKED.thread === -1 && PACKED.tables === null);
 * ```
 */
export const PACKED: Event = new Event(null, -1, -1, -1, EV_SYNC, 0, 0, 0, 0, 0);

/**
 * An {@link Ordering} whose placed events go to a packer. The queue indices
 * the engine uses (`head`, `tail`, marks for `unplace`) count from the
 * packer's end; handing events out packs them all at once, and returns
 * {@link PACKED}.
 *
 * @example
 * ```ts
 * import { PACKED, PackingOrdering } from "./packing_order.ts";
 * import { EventPacker } from "./packed.ts";
 * import { Ev } from "../wire/spec.ts";
 * const o = new PackingOrdering(25);
 * const p = new EventPacker();
 * o.packer = p;
 * o.pushMade(Ev.GoCreate, 10, { m: 1, p: 0, g: 5, np: 0, ng: 5 }, 5, 7);
 * console.assert(o.next() === PACKED && o.next() === null);
 * console.assert(p.refs.gs[0] === 7 && p.finish()[0].n === 1);
 * ```
 */
export class PackingOrdering extends Ordering {
  /**
   * Where placed events go: the worker sets one at each generation's Sync,
   * before any event of it is placed (none set would be a worker's bug: its
   * failure sends the generation to the main thread).
   */
  packer: EventPacker | null = null;

  protected override enqueue(
    m: number,
    p: number,
    g: number,
    type: number,
    time: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
  ): void {
    this.packer!.put(this.tail++, m, p, g, type, time, a0, a1, a2, a3);
  }

  /** Packs every placed event and returns {@link PACKED}; null if none. */
  override next(): Event | null {
    if (this.head === this.tail) return null;
    this.packer!.commit(this.tail - this.head);
    this.head = this.tail = 0;
    return PACKED;
  }

  /** Nothing to renew: the queue is the packer's. */
  override drained(): void {
    this.head = this.tail = 0;
  }
}
