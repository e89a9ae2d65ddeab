// A worker packs its events into blocks of a shared pool, which the thread
// that reads them gives back: a slot is used again once released, a full
// pool means blocks of the packer's own, and a block that must grow is
// copied out of its slot and frees it.
import assert from "node:assert/strict";
import { BlockPool, EventPacker, releaseBlock } from "../../src/reader/packed.ts";
import { Event } from "../../src/events/event.ts";
import { Ev } from "../../src/wire/spec.ts";

const BLOCK = 4096; // the smallest block that closes with room to spare
const ev = (t: number) => new Event(null, 1, 0, 5, Ev.GoStart, t, 5, 0, 0, 0);

function fill(p: EventPacker, n: number, t0 = 0): void {
  for (let i = 0; i < n; i++) p.add(ev(t0 + i));
}

Deno.test("packer pool: blocks come from free slots, then from new memory; released ones are used again", () => {
  const pool = BlockPool.create(2, BLOCK);
  const states = new Int32Array(pool.states);
  const p = new EventPacker(new Set(), BLOCK, pool);
  fill(p, 3 * BLOCK); // three full blocks and a fourth begun
  const full = p.takeFull();
  assert.equal(full.length, 3);
  assert.deepEqual(full.map((b) => b.pooled?.slot ?? -1), [0, 1, -1]);
  assert.ok(full[0].ints.buffer === pool.ints && full[2].ints.buffer instanceof ArrayBuffer);
  assert.deepEqual([...states], [1, 1]);
  // The events are where the reader looks: the first block's first time is 0.
  assert.equal(full[0].times[0], 0);
  assert.equal(full[1].times[0], full[0].n);
  releaseBlock(full[1]);
  assert.deepEqual([...states], [1, 0]);
  releaseBlock(full[2]); // not pooled: its memory is freed
  assert.equal(full[2].ints.buffer.byteLength, 0);
  // The block begun when the pool was full is the packer's own; the next takes slot 1.
  fill(p, BLOCK, 10 * BLOCK);
  const [next, ...rest] = p.finish();
  assert.equal(next.pooled, undefined);
  assert.equal(rest[0].pooled?.slot, 1);
  assert.equal(rest[0].times[0], next.times[next.n - 1] + 1); // the events go on in order
});

Deno.test("packer pool: a block that must grow leaves its slot, and a packer that ends empty gives its slot back", () => {
  const pool = BlockPool.create(1, BLOCK);
  const states = new Int32Array(pool.states);
  const p = new EventPacker(new Set(), BLOCK, pool);
  assert.deepEqual([...states], [1]);
  // An ordering step writing past the block's end (the engine's put).
  for (let i = 0; i < BLOCK + 10; i++) p.put(i, 1, 0, 5, Ev.GoStart, i, 5, 0, 0, 0);
  assert.deepEqual([...states], [0]);
  p.commit(BLOCK + 10);
  const blocks = p.finish();
  assert.equal(blocks[0].n, BLOCK + 10);
  assert.equal(blocks[0].pooled, undefined);
  assert.equal(blocks[0].times[BLOCK + 9], BLOCK + 9);
  const empty = new EventPacker(new Set(), BLOCK, pool);
  assert.deepEqual([...states], [1]);
  assert.equal(empty.finish()[0].pooled?.slot, 0); // an empty block still ends the generation
  const again = new EventPacker(new Set(), BLOCK, pool);
  fill(again, 3);
  assert.equal(again.finish()[0].pooled, undefined, "slot 0 is still the reader's");
});
