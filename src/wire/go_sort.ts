/**
 * Sorting exactly as Go's `slices.SortFunc` does. Go's sort is
 * pattern-defeating quicksort, which is not stable: when several items have
 * the very same time (frontier cursors of different Ms, CPU samples), the
 * order it leaves them in is what the reference reader then uses. Reproducing
 * its steps keeps our order the reference's for inputs of any size (up to 12
 * items it is a plain insertion sort).
 *
 * @module
 */

type Data = unknown[];

// The sort key of the call in progress (sorting is synchronous, never nested).
let key: (x: never) => number = () => 0;
const less = (d: Data, i: number, j: number) => key(d[i] as never) < key(d[j] as never);

function swap(d: Data, i: number, j: number): void {
  const t = d[i];
  d[i] = d[j];
  d[j] = t;
}

/**
 * Sorts in place by a numeric key, leaving equal keys in the order Go's
 * `slices.SortFunc` (comparing those keys) would.
 *
 * @example
 * ```ts
 * import { sortLikeGo } from "./go_sort.ts";
 * const d = [3, 1, 2].map((time) => ({ time }));
 * sortLikeGo(d, (x) => x.time);
 * console.assert(d.map((c) => c.time).join() === "1,2,3");
 * ```
 */
export function sortLikeGo<T>(d: T[], by: (x: T) => number): void {
  const saved = key;
  key = by as (x: never) => number;
  try {
    sortRange(d, 0, d.length, bitLength(d.length));
  } finally {
    key = saved;
  }
}

function bitLength(n: number): number {
  return n === 0 ? 0 : 32 - Math.clz32(n);
}

function insertionSort(d: Data, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && less(d, j, j - 1); j--) swap(d, j, j - 1);
  }
}

function siftDown(d: Data, lo: number, hi: number, first: number): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && less(d, first + child, first + child + 1)) child++;
    if (!less(d, first + root, first + child)) return;
    swap(d, first + root, first + child);
    root = child;
  }
}

function heapSort(d: Data, a: number, b: number): void {
  const hi = b - a;
  for (let i = (hi - 1) >> 1; i >= 0; i--) siftDown(d, i, hi, a);
  for (let i = hi - 1; i >= 0; i--) {
    swap(d, a, a + i);
    siftDown(d, 0, i, a);
  }
}

const UNKNOWN = 0;
const INCREASING = 1;
const DECREASING = 2;

function sortRange(d: Data, a: number, b: number, limit: number): void {
  let wasBalanced = true;
  let wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= 12) {
      insertionSort(d, a, b);
      return;
    }
    // Too many bad pivots: heapsort bounds the worst case.
    if (limit === 0) {
      heapSort(d, a, b);
      return;
    }
    if (!wasBalanced) {
      breakPatterns(d, a, b);
      limit--;
    }
    let [pivot, hint] = choosePivot(d, a, b);
    if (hint === DECREASING) {
      reverseRange(d, a, b);
      pivot = (b - 1) - (pivot - a);
      hint = INCREASING;
    }
    // Probably sorted already: a few shifts may finish the job.
    if (wasBalanced && wasPartitioned && hint === INCREASING && partialInsertionSort(d, a, b)) {
      return;
    }
    // Many equal elements: split off those equal to the pivot.
    if (a > 0 && !less(d, a - 1, pivot)) {
      a = partitionEqual(d, a, b, pivot);
      continue;
    }
    const [mid, already] = partition(d, a, b, pivot);
    wasPartitioned = already;
    const leftLen = mid - a;
    const rightLen = b - mid;
    const balanceThreshold = Math.floor(length / 8);
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold;
      sortRange(d, a, mid, limit);
      a = mid + 1;
    } else {
      wasBalanced = rightLen >= balanceThreshold;
      sortRange(d, mid + 1, b, limit);
      b = mid;
    }
  }
}

function partition(d: Data, a: number, b: number, pivot: number): [number, boolean] {
  swap(d, a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && less(d, i, a)) i++;
  while (i <= j && !less(d, j, a)) j--;
  if (i > j) {
    swap(d, j, a);
    return [j, true];
  }
  swap(d, i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && less(d, i, a)) i++;
    while (i <= j && !less(d, j, a)) j--;
    if (i > j) break;
    swap(d, i, j);
    i++;
    j--;
  }
  swap(d, j, a);
  return [j, false];
}

function partitionEqual(d: Data, a: number, b: number, pivot: number): number {
  swap(d, a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !less(d, a, i)) i++;
    while (i <= j && less(d, a, j)) j--;
    if (i > j) break;
    swap(d, i, j);
    i++;
    j--;
  }
  return i;
}

function partialInsertionSort(d: Data, a: number, b: number): boolean {
  const maxSteps = 5;
  const shortestShifting = 50;
  let i = a + 1;
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !less(d, i, i - 1)) i++;
    if (i === b) return true;
    if (b - a < shortestShifting) return false;
    swap(d, i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!less(d, j, j - 1)) break;
        swap(d, j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!less(d, j, j - 1)) break;
        swap(d, j, j - 1);
      }
    }
  }
  return false;
}

function breakPatterns(d: Data, a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  // A 64-bit xorshift seeded with the length, as Go's sort does.
  let r = BigInt(length);
  const mask = (1n << 64n) - 1n;
  const next = () => {
    r ^= (r << 13n) & mask;
    r ^= r >> 7n;
    r ^= (r << 17n) & mask;
    return r;
  };
  const modulus = BigInt(1 << bitLength(length));
  const mid = a + Math.floor(length / 4) * 2;
  for (let idx = mid - 1; idx <= mid + 1; idx++) {
    let other = Number(next() & (modulus - 1n));
    if (other >= length) other -= length;
    swap(d, idx, a + other);
  }
}

function choosePivot(d: Data, a: number, b: number): [number, number] {
  const l = b - a;
  const swaps = { n: 0 };
  let i = a + Math.floor(l / 4);
  let j = a + Math.floor(l / 4) * 2;
  let k = a + Math.floor(l / 4) * 3;
  if (l >= 8) {
    if (l >= 50) {
      // Tukey's ninther.
      i = median(d, i - 1, i, i + 1, swaps);
      j = median(d, j - 1, j, j + 1, swaps);
      k = median(d, k - 1, k, k + 1, swaps);
    }
    j = median(d, i, j, k, swaps);
  }
  if (swaps.n === 0) return [j, INCREASING];
  if (swaps.n === 12) return [j, DECREASING];
  return [j, UNKNOWN];
}

function median(d: Data, a: number, b: number, c: number, swaps: { n: number }): number {
  const order = (x: number, y: number): [number, number] => {
    if (less(d, y, x)) {
      swaps.n++;
      return [y, x];
    }
    return [x, y];
  };
  [a, b] = order(a, b);
  [b, c] = order(b, c);
  [a, b] = order(a, b);
  return b;
}

function reverseRange(d: Data, a: number, b: number): void {
  for (let i = a, j = b - 1; i < j; i++, j--) swap(d, i, j);
}
