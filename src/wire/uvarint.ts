/**
 * Unsigned LEB128 integers ("uvarints"), the wire format's only number
 * encoding, as JavaScript numbers.
 *
 * Values are 64-bit unsigned on the wire. They are held as numbers: exact up
 * to 2^53, and values of 2^63 or more are kept as their two's-complement
 * negative (so the runtime's "none" sentinel 2^64-1 is exactly -1). Only
 * garbage input has values between 2^53 and 2^63, and those lose low bits.
 *
 * @module
 */

/** Offset just after the last uvarint read; negative on failure (see {@link readUvarint}). */
export let uvarintEnd = 0;

const TWO32 = 4294967296;

/**
 * Reads a uvarint from `buf` at `off` and returns it; sets {@link uvarintEnd}
 * to the offset after it, or to -1 when the buffer ends first and -2 when
 * the value overflows 64 bits.
 */
export function readUvarint(buf: Uint8Array, off: number): number {
  const n = buf.length;
  if (off < n) {
    const b0 = buf[off];
    if (b0 < 0x80) {
      uvarintEnd = off + 1;
      return b0;
    }
    if (off + 3 < n) {
      const b1 = buf[off + 1];
      if (b1 < 0x80) {
        uvarintEnd = off + 2;
        return (b0 & 0x7f) | (b1 << 7);
      }
      const b2 = buf[off + 2];
      if (b2 < 0x80) {
        uvarintEnd = off + 3;
        return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
      }
      const b3 = buf[off + 3];
      if (b3 < 0x80) {
        uvarintEnd = off + 4;
        return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | ((b2 & 0x7f) << 14) | (b3 << 21);
      }
    }
  }
  return readSlow(buf, off);
}

function readSlow(buf: Uint8Array, off: number): number {
  // Low 28 bits and the rest are accumulated apart so that values up to
  // 2^53 stay exact and larger ones can be wrapped to int64.
  const n = buf.length;
  let lo = 0;
  let hi = 0; // bits 28 and up, as a number
  let shift = 0;
  for (let i = 0; i < 10; i++) {
    if (off + i >= n) {
      uvarintEnd = -1;
      return 0;
    }
    const b = buf[off + i];
    if (i === 9 && b > 1) {
      uvarintEnd = -2;
      return 0;
    }
    const v = b & 0x7f;
    if (shift < 28) {
      if (shift + 7 <= 28) lo |= v << shift;
      else {
        const lowBits = 28 - shift;
        lo |= (v & ((1 << lowBits) - 1)) << shift;
        hi += v >>> lowBits;
      }
    } else {
      hi += v * 2 ** (shift - 28);
    }
    shift += 7;
    if (b < 0x80) {
      uvarintEnd = off + i + 1;
      if (hi < 2 ** 25) return hi * 2 ** 28 + lo; // below 2^53: exact
      return wrapBig(buf, off, i + 1);
    }
  }
  uvarintEnd = -2;
  return 0;
}

function wrapBig(buf: Uint8Array, off: number, len: number): number {
  let v = 0n;
  for (let i = len - 1; i >= 0; i--) v = (v << 7n) | BigInt(buf[off + i] & 0x7f);
  return Number(BigInt.asIntN(64, v));
}

/** Appends `v` (a number in the convention above) as a uvarint to `out`. */
export function appendUvarint(out: number[], v: number): void {
  if (v >= 0 && v < TWO32) {
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(v);
    return;
  }
  let b = toU64(v);
  while (b >= 0x80n) {
    out.push(Number(b & 0x7fn) | 0x80);
    b >>= 7n;
  }
  out.push(Number(b));
}

/** The exact unsigned 64-bit value a number stands for. */
export function toU64(v: number): bigint {
  return BigInt.asUintN(64, BigInt(Math.trunc(v)));
}

/** Decimal text of the unsigned value a number stands for (-1 prints as 18446744073709551615). */
export function formatU64(v: number): string {
  return v >= 0 ? String(v) : toU64(v).toString();
}

/** Parses decimal text of an unsigned 64-bit value into the number convention; NaN when invalid. */
export function parseU64(text: string): number {
  if (!/^[0-9]+$/.test(text)) return NaN;
  if (text.length < 16) return Number(text);
  const b = BigInt(text);
  if (b >= 1n << 64n) return NaN;
  return b < 1n << 53n ? Number(b) : Number(BigInt.asIntN(64, b));
}
