// The frontier sort: Go's pattern-defeating quicksort, reproduced step by
// step. Sorted output for every shape of input (ties, runs, reversed), and
// the insertion-sort regime (up to 12) keeps ties in their order.
import assert from "node:assert/strict";
import { sortLikeGo } from "../../src/wire/go_sort.ts";

type Item = { time: number; id: number };
const sortItems = (xs: Item[]) => sortLikeGo(xs, (x) => x.time);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

Deno.test("pdqsort: sorts random, tied, increasing and decreasing inputs", () => {
  const rand = rng(7);
  for (const n of [0, 1, 2, 5, 12, 13, 20, 49, 50, 51, 100, 333, 1000]) {
    for (const shape of ["random", "ties", "up", "down", "saw"]) {
      const xs: Item[] = Array.from({ length: n }, (_, i) => ({
        time: shape === "random"
          ? Math.floor(rand() * 1e6)
          : shape === "ties"
          ? Math.floor(rand() * 4)
          : shape === "up"
          ? i
          : shape === "down"
          ? n - i
          : i % 7,
        id: i,
      }));
      const want = xs.map((x) => x.time).sort((a, b) => a - b);
      sortItems(xs);
      assert.deepEqual(xs.map((x) => x.time), want, `${shape} n=${n}`);
      assert.equal(new Set(xs.map((x) => x.id)).size, n, "a permutation");
    }
  }
});

Deno.test("pdqsort: up to 12 entries it is an insertion sort, stable on ties", () => {
  const xs: Item[] = [5, 1, 5, 1, 3, 5, 1, 3, 5, 1, 3, 5].map((time, id) => ({ time, id }));
  sortItems(xs);
  assert.deepEqual(xs.map((x) => x.id), [1, 3, 6, 9, 4, 7, 10, 0, 2, 5, 8, 11]);
});

Deno.test("pdqsort: deterministic on long runs of ties (same input, same order)", () => {
  const make = () => Array.from({ length: 200 }, (_, id) => ({ time: id % 3, id }));
  const a = make();
  const b = make();
  sortItems(a);
  sortItems(b);
  assert.deepEqual(a.map((x) => x.id), b.map((x) => x.id));
  // Not stable beyond 12: the reference's sort moves equal elements too.
  const stable = make().sort((x, y) => x.time - y.time).map((x) => x.id);
  assert.notDeepEqual(a.map((x) => x.id), stable);
});
