/**
 * A synthetic ping-pong trace of any length, written straight to bytes: two
 * Ms, each with a P and two goroutines handing control back and forth
 * (GoUnblock, GoBlock, GoStart), across as many generations as asked, each
 * generation self-consistent (statuses at its start match the end of the
 * one before). Like the runtime's pingpong trace, but its size is a knob.
 *
 * @module
 */

import { appendUvarint } from "../src/wire/uvarint.ts";
import { Ev, WireGoStatus, WireProcStatus } from "../src/wire/spec.ts";

const MAX_BATCH = 60_000;

/**
 * Writes a go1.25 trace of `generations` generations with about
 * `eventsPerGeneration` events each.
 *
 * @example
 * ```ts
 * import { pingPongTrace } from "./synthetic.ts";
 * import { readEvents } from "../mod.ts";
 * const evs = readEvents(pingPongTrace(2, 1000));
 * console.assert(evs.filter((e) => e.kind === "Sync").length === 3);
 * ```
 */
export function pingPongTrace(generations: number, eventsPerGeneration: number): Uint8Array {
  const out: number[] = [...new TextEncoder().encode("go 1.25 trace\0\0\0")];
  const parts: Uint8Array[] = [];
  const flush = () => {
    parts.push(new Uint8Array(out));
    out.length = 0;
  };
  // Per pair: which goroutine runs (the other waits).
  const running = [1, 3];
  let time = 1000;
  for (let gen = 1; gen <= generations; gen++) {
    const genStart = time;
    // Sync batch: frequency 1 GHz (1 tick = 1 ns) and a clock snapshot.
    batch(out, gen, -1, genStart, (b) => {
      b.push(Ev.Sync, Ev.Frequency);
      appendUvarint(b, 1e9);
      b.push(Ev.ClockSnapshot);
      appendUvarint(b, 0);
      appendUvarint(b, genStart);
      appendUvarint(b, 1_700_000_000 + gen);
      appendUvarint(b, 0);
    });
    batch(out, gen, -1, genStart, (b) => b.push(Ev.Stacks));
    batch(out, gen, -1, genStart, (b) => {
      b.push(Ev.Strings, Ev.String);
      appendUvarint(b, 1);
      const s = new TextEncoder().encode("chan receive");
      appendUvarint(b, s.length);
      b.push(...s);
    });
    for (let m = 0; m < 2; m++) {
      const a = running[m];
      const other = a === 2 * m + 1 ? 2 * m + 2 : 2 * m + 1;
      const seq = new Map([[a, 0], [other, 0]]);
      let cur = a;
      let t = genStart;
      let first = true;
      let left = Math.floor(eventsPerGeneration / 2);
      while (left > 0) {
        const base = t;
        batch(out, gen, m, base, (b) => {
          let last = base;
          const ev = (type: number, ...args: number[]) => {
            t += 7 + (type === Ev.GoStart ? 3 : 0);
            b.push(type);
            appendUvarint(b, t - last);
            last = t;
            for (const x of args) appendUvarint(b, x);
            left--;
          };
          if (first) {
            ev(Ev.ProcStatus, m, WireProcStatus.Running);
            ev(Ev.GoStatus, cur, m, WireGoStatus.Running);
            ev(Ev.GoStatus, cur === a ? other : a, -1, WireGoStatus.Waiting);
            first = false;
          }
          while (left > 0 && b.length < MAX_BATCH) {
            const next = cur === a ? other : a;
            seq.set(next, seq.get(next)! + 1);
            ev(Ev.GoUnblock, next, seq.get(next)!, 0);
            ev(Ev.GoBlock, 1, 0);
            seq.set(next, seq.get(next)! + 1);
            ev(Ev.GoStart, next, seq.get(next)!);
            cur = next;
          }
        });
      }
      running[m] = cur;
      time = Math.max(time, t);
      if (out.length > 1 << 22) flush();
    }
    time += 1000;
  }
  flush();
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    bytes.set(p, off);
    off += p.length;
  }
  return bytes;
}

function batch(out: number[], gen: number, m: number, time: number, fill: (b: number[]) => void) {
  const body: number[] = [];
  fill(body);
  out.push(Ev.EventBatch);
  appendUvarint(out, gen);
  appendUvarint(out, m);
  appendUvarint(out, time);
  appendUvarint(out, body.length);
  for (const x of body) out.push(x);
}
