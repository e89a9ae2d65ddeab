/**
 * Mutations of trace bytes for the fuzzer: bit flips, byte insertions and
 * deletions, truncation at batch boundaries and inside batches, shuffled,
 * dropped and duplicated batches, duplicated generations, forged batch
 * sizes and interesting uvarints. Everything is a pure function of a seed,
 * so input number `i` of a run can be rebuilt from `(seed, i)` alone.
 *
 * @module
 */

import { gzipSync } from "node:zlib";
import { readBatch } from "../../src/wire/batch.ts";
import { headerLength, readHeader } from "../../src/wire/header.ts";
import { appendUvarint } from "../../src/wire/uvarint.ts";

/**
 * A small deterministic PRNG (mulberry32).
 *
 * @example
 * ```ts
 * import { Rng } from "./mutate.ts";
 * const a = new Rng(7), b = new Rng(7);
 * console.assert(a.int(1000) === b.int(1000));
 * ```
 */
export class Rng {
  #s: number;
  /** A generator from a 32-bit seed. */
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : this.u32() % n;
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
  /** One element of a non-empty list. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

/**
 * Mixes a run seed and an input index into the seed of that input's PRNG.
 *
 * @example
 * ```ts
 * import { inputSeed } from "./mutate.ts";
 * console.assert(inputSeed(1, 2) !== inputSeed(2, 1));
 * ```
 */
export function inputSeed(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One batch of a seed trace: where it is and what its header says. */
export interface BatchSpan {
  /** Offset of the batch header. */
  start: number;
  /** Offset just past the batch. */
  end: number;
  /** Offset of the body (just past the size field). */
  body: number;
  /** Offset of the size field. */
  sizeAt: number;
  /** Generation from the header (0 for Go 1.26's end-of-generation byte). */
  gen: number;
}

/**
 * A trace to mutate, with its batches located once.
 *
 * @example
 * ```ts
 * import { Seed } from "./mutate.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const s = new Seed("syscall-simple", bytes);
 * console.assert(s.batches.length > 0 && s.batches[0].start === s.headerEnd);
 * ```
 */
export class Seed {
  /** Batches in file order (empty for an old-format trace). */
  readonly batches: BatchSpan[] = [];
  /** Length of the header (0 when there is none). */
  readonly headerEnd: number;

  /**
   * @param name for reports
   * @param bytes the trace
   */
  constructor(readonly name: string, readonly bytes: Uint8Array) {
    let hl = 0;
    let version = 0;
    try {
      version = readHeader(bytes);
      hl = headerLength(version);
    } catch {
      // Not a trace: mutate it as plain bytes.
    }
    this.headerEnd = hl;
    if (version < 22) return;
    let off = hl;
    for (;;) {
      const r = readBatch(bytes, off, 0, true);
      if (r.kind !== "batch") break;
      const b = r.batch;
      // Locate the size field: the last uvarint of the header, just before the body.
      let sizeAt = b.dataOffset - 1;
      while (sizeAt > b.offset && bytes[sizeAt - 1] >= 0x80) sizeAt--;
      this.batches.push({ start: off, end: r.end, body: b.dataOffset, sizeAt, gen: b.gen });
      off = r.end;
    }
  }
}

// Values that sit on the edges of the reader's checks.
const INTERESTING: readonly number[] = [
  0,
  1,
  2,
  0x7f,
  0x80,
  0xff,
  0x3fff,
  0x4000,
  1 << 10,
  (1 << 10) + 1,
  128,
  129,
  64 << 10,
  (64 << 10) + 1,
  (1 << 20) - 1,
  1 << 20,
  2 ** 31 - 1,
  2 ** 32,
  2 ** 53 - 1,
  -1, // 2^64-1
  -(2 ** 63), // 2^63
];

function uvarint(v: number): number[] {
  const out: number[] = [];
  appendUvarint(out, v);
  return out;
}

function concat(parts: (Uint8Array | number[])[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Rewrites the generation field of a batch (the uvarint after its type byte). */
function withGen(bytes: Uint8Array, b: BatchSpan, gen: number): Uint8Array {
  const typ = bytes[b.start];
  if (typ !== 1) return bytes.slice(b.start, b.end); // experimental or end-of-generation: as is
  let p = b.start + 1;
  while (bytes[p] >= 0x80) p++;
  return concat([[typ], uvarint(gen), bytes.subarray(p + 1, b.end)]);
}

type Mutator = (rng: Rng, s: Seed, cur: Uint8Array) => Uint8Array;

const MUTATORS: readonly [string, number, Mutator][] = [
  ["bit-flip", 6, (rng, _s, cur) => {
    const out = cur.slice();
    const n = 1 + rng.int(8);
    for (let i = 0; i < n && out.length; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return out;
  }],
  ["byte-set", 3, (rng, _s, cur) => {
    const out = cur.slice();
    if (out.length) out[rng.int(out.length)] = rng.pick([0, 1, 0x7f, 0x80, 0xff, rng.int(256)]);
    return out;
  }],
  ["insert", 4, (rng, _s, cur) => {
    const at = rng.int(cur.length + 1);
    const ins = Array.from({ length: 1 + rng.int(16) }, () => rng.int(256));
    return concat([cur.subarray(0, at), ins, cur.subarray(at)]);
  }],
  ["delete", 4, (rng, _s, cur) => {
    const at = rng.int(cur.length);
    const n = 1 + rng.int(16);
    return concat([cur.subarray(0, at), cur.subarray(at + n)]);
  }],
  ["truncate", 4, (rng, _s, cur) => cur.slice(0, rng.int(cur.length + 1))],
  ["truncate-at-batch", 4, (rng, s, cur) => {
    if (!s.batches.length || cur !== s.bytes) return cur.slice(0, rng.int(cur.length + 1));
    const b = rng.pick(s.batches);
    const cut = rng.pick([b.start, b.end, b.body, b.start + 1, b.end - 1]);
    return cur.slice(0, Math.max(0, cut));
  }],
  ["interesting-uvarint", 4, (rng, _s, cur) => {
    // Replace one (apparent) uvarint with an edge value.
    if (cur.length === 0) return cur;
    const at = rng.int(cur.length);
    let end = at;
    while (end < cur.length && cur[end] >= 0x80 && end - at < 10) end++;
    return concat([cur.subarray(0, at), uvarint(rng.pick(INTERESTING)), cur.subarray(end + 1)]);
  }],
  ["batch-size", 5, (rng, s, cur) => {
    if (!s.batches.length || cur !== s.bytes) return cur;
    const b = rng.pick(s.batches);
    if (b.gen === 0) return cur;
    const size = b.end - b.body;
    const v = rng.pick([
      0,
      size - 1,
      size + 1,
      size + 1 + rng.int(64),
      rng.int(size + 1),
      64 << 10,
      (64 << 10) + 1,
      rng.int(1 << 20),
      -1,
      2 ** 53 - 1,
    ]);
    return concat([cur.subarray(0, b.sizeAt), uvarint(v), cur.subarray(b.body)]);
  }],
  ["shuffle-batches", 3, (rng, s, cur) => {
    if (s.batches.length < 2 || cur !== s.bytes) return cur;
    const order = s.batches.map((_, i) => i);
    if (rng.chance(0.5)) {
      const i = rng.int(order.length), j = rng.int(order.length);
      [order[i], order[j]] = [order[j], order[i]];
    } else {
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    const parts = [cur.subarray(0, s.headerEnd), ...order.map((i) => batchBytes(s, i))];
    return concat([...parts, cur.subarray(s.batches.at(-1)!.end)]);
  }],
  ["drop-batch", 3, (rng, s, cur) => {
    if (!s.batches.length || cur !== s.bytes) return cur;
    const b = rng.pick(s.batches);
    return concat([cur.subarray(0, b.start), cur.subarray(b.end)]);
  }],
  ["duplicate-batch", 3, (rng, s, cur) => {
    if (!s.batches.length || cur !== s.bytes) return cur;
    const b = rng.pick(s.batches);
    const at = rng.pick(s.batches);
    return concat([
      cur.subarray(0, at.start),
      cur.subarray(b.start, b.end),
      cur.subarray(at.start),
    ]);
  }],
  ["duplicate-generation", 3, (rng, s, cur) => {
    if (!s.batches.length || cur !== s.bytes) return cur;
    const gens = [...new Set(s.batches.map((b) => b.gen).filter((g) => g !== 0))];
    const g = rng.pick(gens);
    const idx = s.batches.map((b, i) => [b, i] as const).filter(([b]) => b.gen === g);
    // Go 1.26's end-of-generation byte follows the generation's last batch.
    const last = idx.at(-1)![1];
    const eog = s.batches[last + 1]?.gen === 0 ? [last + 1] : [];
    const copy = [...idx.map(([, i]) => i), ...eog];
    const renumber = rng.chance(0.5); // as the next generation (later ones shifted) or verbatim
    const parts: Uint8Array[] = [cur.subarray(0, s.headerEnd)];
    const after = copy.at(-1)!;
    for (let i = 0; i < s.batches.length; i++) {
      const b = s.batches[i];
      parts.push(renumber && b.gen > g ? withGen(cur, b, b.gen + 1) : batchBytes(s, i));
      if (i === after) {
        for (const j of copy) {
          parts.push(renumber ? withGen(cur, s.batches[j], g + 1) : batchBytes(s, j));
        }
      }
    }
    parts.push(cur.subarray(s.batches.at(-1)!.end));
    return concat(parts);
  }],
  ["splice-seeds", 2, (rng, _s, cur) => {
    const other = rng.pick(SPLICE);
    if (!other) return cur;
    const a = rng.int(cur.length + 1);
    const b = rng.int(other.bytes.length + 1);
    return concat([cur.subarray(0, a), other.bytes.subarray(b)]);
  }],
  // Amplification: floods that must cost memory in proportion to what they
  // carry, and gzip as gzip(1) reads it.
  ["empty-batches", 2, (rng, s, cur) => {
    if (!s.batches.length || cur !== s.bytes) return cur;
    const b = rng.pick(s.batches);
    if (b.gen === 0) return cur;
    const one = [1, ...uvarint(b.gen), ...uvarint(rng.int(4)), ...uvarint(rng.int(1 << 20)), 0];
    const n = 1 + rng.int(rng.chance(0.2) ? 5_000 : 500);
    const flood = new Uint8Array(one.length * n);
    for (let i = 0; i < n; i++) flood.set(one, i * one.length);
    return concat([cur.subarray(0, b.start), flood, cur.subarray(b.start)]);
  }],
  ["many-threads", 2, (rng, s, cur) => {
    if (!s.batches.length || cur !== s.bytes) return cur;
    const b = rng.pick(s.batches);
    if (b.gen === 0) return cur;
    const tiny = rng.chance(0.3); // one ProcStop each, else empty
    const parts: number[] = [];
    const n = 1 + rng.int(rng.chance(0.05) ? 5_000 : 500);
    const first = rng.pick([0, 1000, 2 ** 32, 2 ** 53 - n - 1]);
    for (let i = 0; i < n; i++) {
      parts.push(1, ...uvarint(b.gen), ...uvarint(first + i), ...uvarint(rng.int(1000)));
      if (tiny) parts.push(2, 11, 0);
      else parts.push(0);
    }
    return concat([cur.subarray(0, b.start), parts, cur.subarray(b.start)]);
  }],
  ["gzip-members", 2, (rng, _s, cur) => {
    // Cut into members, each gzip; sometimes garbage or zeros after them.
    const cuts = [
      0,
      ...Array.from({ length: rng.int(4) }, () => rng.int(cur.length + 1)),
      cur.length,
    ]
      .sort((a, b) => a - b);
    const parts: Uint8Array[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      parts.push(gzipSync(cur.subarray(cuts[i], cuts[i + 1])));
    }
    const tail = rng.pick(["", "zeros", "garbage", "cut"]);
    if (tail === "zeros") parts.push(new Uint8Array(1 + rng.int(64)));
    if (tail === "garbage") {
      parts.push(Uint8Array.of(...Array.from({ length: 1 + rng.int(8) }, () => rng.int(256))));
    }
    const all = concat(parts);
    return tail === "cut" ? all.subarray(0, rng.int(all.length + 1)) : all;
  }],
  ["trailing-zeros", 2, (rng, s, cur) => {
    // Old-format traces most of all: the legacy path must stop at the first zero.
    if (s.batches.length && rng.chance(0.8)) return cur;
    return concat([cur, new Uint8Array(1 + rng.int(rng.chance(0.1) ? 256 << 10 : 4096))]);
  }],
  ["repeat-range", 2, (rng, _s, cur) => {
    const a = rng.int(cur.length + 1);
    const n = rng.int(Math.min(256, cur.length - a) + 1);
    return concat([cur.subarray(0, a + n), cur.subarray(a, a + n), cur.subarray(a + n)]);
  }],
];

function batchBytes(s: Seed, i: number): Uint8Array {
  const b = s.batches[i];
  return s.bytes.subarray(b.start, b.end);
}

// Seeds available to the splice mutator (set by makeInput's caller through mutate()).
let SPLICE: readonly Seed[] = [];

const TOTAL_WEIGHT = MUTATORS.reduce((n, m) => n + m[1], 0);

function pickMutator(rng: Rng): [string, Mutator] {
  let r = rng.int(TOTAL_WEIGHT);
  for (const [name, w, f] of MUTATORS) {
    if (r < w) return [name, f];
    r -= w;
  }
  throw new Error("unreachable");
}

/** Names of the mutations, for reports. */
export const MUTATION_NAMES: readonly string[] = MUTATORS.map((m) => m[0]);

/**
 * Input number `i` of a run: a seed picked and mutated one to three times
 * (structural mutations first, while the batch map still fits), all from
 * `inputSeed(seed, i)`. Returns the bytes and what was done, for reports.
 *
 * @example
 * ```ts
 * import { makeInput, Seed } from "./mutate.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const seeds = [new Seed("syscall-simple", bytes)];
 * const a = makeInput(seeds, 1, 5), b = makeInput(seeds, 1, 5);
 * console.assert(a.bytes.length === b.bytes.length && a.how === b.how);
 * ```
 */
export function makeInput(
  seeds: readonly Seed[],
  seed: number,
  i: number,
): { bytes: Uint8Array; how: string } {
  SPLICE = seeds;
  const rng = new Rng(inputSeed(seed, i));
  const s = rng.pick(seeds);
  let cur = s.bytes;
  const how = [s.name];
  const n = 1 + (rng.chance(0.3) ? rng.int(3) : 0);
  for (let k = 0; k < n; k++) {
    const [name, f] = pickMutator(rng);
    cur = f(rng, s, cur);
    how.push(name);
  }
  return { bytes: cur, how: how.join(" ") };
}

/**
 * Every cut of a seed at a batch boundary (and one byte either side of it):
 * the systematic truncations the fuzzer runs besides the random ones.
 *
 * @example
 * ```ts
 * import { batchCuts, Seed } from "./mutate.ts";
 * const bytes = Deno.readFileSync(new URL("../../testdata/syscall-simple.trace", import.meta.url));
 * const cuts = batchCuts(new Seed("s", bytes));
 * console.assert(cuts.every((c) => c.length < bytes.length));
 * ```
 */
export function batchCuts(s: Seed): Uint8Array[] {
  const at = new Set<number>();
  for (const b of s.batches) {
    for (const o of [b.start, b.start + 1, b.body, b.body + 1, b.end - 1]) {
      if (o >= 0 && o < s.bytes.length) at.add(o);
    }
  }
  return [...at].sort((a, b) => a - b).map((o) => s.bytes.slice(0, o));
}
