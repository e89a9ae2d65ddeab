// A worker's events cross as 32-bit integers; a number that is not one
// (a 64-bit thread id, a heap size past 2 GiB, an integer in the range the
// escape uses) goes to the block's wide numbers and must come back exact,
// through taken-back puts, grown blocks and pooled ones.
import assert from "node:assert/strict";
import { BlockPool, EventPacker, scanEvents } from "../../src/reader/packed.ts";
import { Event } from "../../src/events/event.ts";
import { Ev, WireGoStatus } from "../../src/wire/spec.ts";

const BLOCK = 4096;
const ODD = [2 ** 40, 2 ** 31, -(2 ** 31), -(2 ** 31) + 5, 2 ** 53, 3.5, -7, 2 ** 31 - 1, 0, -1];

function fields(ev: Event): number[] {
  return [ev.thread, ev.proc, ev.goroutine, ev.type, ev.time, ev.a0, ev.a1, ev.a2, ev.a3];
}

function scanned(blocks: ReturnType<EventPacker["finish"]>): number[][] {
  const out: number[][] = [];
  const clock = { last: 0, syncs: 0 };
  for (const b of blocks) scanEvents(b, null, clock, 0, b.n, (ev) => out.push(fields(ev)));
  return out;
}

Deno.test("packed events: numbers that are no small 32-bit integers come back exact", () => {
  for (const pool of [null, BlockPool.create(4, BLOCK)]) {
    const p = new EventPacker(new Set(), BLOCK, pool);
    const want: number[][] = [];
    for (let i = 0; i < 3 * BLOCK; i++) {
      const odd = ODD[i % ODD.length];
      // Every field takes its turn with the odd number.
      const f = [1, 2, 3, 4, 5, 6, 7].map((x) => (i % 7 === x - 1 ? odd : x * 100 + (i % 50)));
      const ev = new Event(null, f[0], f[1], f[2], Ev.HeapAlloc, 10 + i, f[3], f[4], f[5], f[6]);
      p.add(ev);
      want.push(fields(ev));
    }
    const blocks = p.finish();
    assert.ok(blocks.length >= 3);
    assert.ok(blocks.every((b) => b.wide.length > 0), "each block kept its own wide numbers");
    const got = scanned(blocks);
    assert.equal(got.length, want.length);
    // The first row that differs, if any (a diff of all of them is too big to show).
    const bad = got.findIndex((row, i) => row.some((v, j) => !Object.is(v, want[i][j])));
    assert.deepEqual(got[bad], want[bad], `event ${bad}`);
    assert.equal(bad, -1);
  }
});

Deno.test("packed events: a put taken back and written again leaves the right wide number", () => {
  const p = new EventPacker(new Set(), BLOCK);
  // The engine writes ahead, takes the events back and places others there.
  p.put(0, 2 ** 40, 0, 1, Ev.GoStart, 5, 2 ** 33, 0, 0, 0);
  p.put(1, 2 ** 41, 0, 1, Ev.GoStart, 6, 2 ** 34, 0, 0, 0);
  p.put(0, 7, 0, 1, Ev.GoStart, 5, 2 ** 35, 1, 0, 0);
  p.put(1, 2 ** 42, 0, 1, Ev.GoStart, 6, 9, 1, 0, 0);
  p.commit(2);
  assert.deepEqual(scanned(p.finish()), [
    [7, 0, 1, Ev.GoStart, 5, 2 ** 35, 1, 0, 0],
    [2 ** 42, 0, 1, Ev.GoStart, 6, 9, 1, 0, 0],
  ]);
});

Deno.test("packed events: a block grown past its end keeps its wide numbers", () => {
  const p = new EventPacker(new Set(), BLOCK, BlockPool.create(1, BLOCK));
  for (let i = 0; i < BLOCK + 10; i++) p.put(i, 2 ** 40 + i, 0, 5, Ev.GoStart, i, 5, 0, 0, 0);
  p.commit(BLOCK + 10);
  const rows = scanned(p.finish());
  assert.equal(rows.length, BLOCK + 10);
  assert.equal(rows[BLOCK + 9][0], 2 ** 40 + BLOCK + 9);
  assert.equal(rows[0][0], 2 ** 40);
});

Deno.test("packed events: what the refs note is read through the wide numbers", () => {
  const p = new EventPacker(new Set(), BLOCK);
  // A goroutine in a syscall on a thread with a 64-bit id names that thread.
  const status = 0 * 65536 + WireGoStatus.Syscall;
  p.add(new Event(null, 3, -1, -1, Ev.GoStatus, 1, 2 ** 45, 2 ** 50, status, 0));
  p.add(new Event(null, 3, -1, -1, Ev.GoCreate, 2, 2 ** 44, 0, 0, 0));
  assert.deepEqual(p.refs.ms, [2 ** 50]);
  assert.deepEqual(p.refs.gs, [2 ** 44]);
});
