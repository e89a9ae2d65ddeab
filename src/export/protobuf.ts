/**
 * Protocol buffers, the little that pprof needs: a writer for varint,
 * length-delimited and packed fields, and a reader that splits a message
 * into its fields so tests (and {@link decodePprof}) can check output field
 * by field. Integers are JavaScript numbers: exact up to 2^53, which covers
 * trace times, durations and program counters.
 *
 * @module
 */

/**
 * Wire types: 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit.
 *
 * @example
 * ```ts
 * import type { WireType } from "./protobuf.ts";
 * const w: WireType = 2;
 * console.assert(w === 2);
 * ```
 */
export type WireType = 0 | 1 | 2 | 5;

const TWO_32 = 2 ** 32;

/**
 * Builds one protobuf message. Zero and empty values are written when asked
 * for; proto3 readers take a missing field as zero, so callers skip them.
 *
 * @example
 * ```ts
 * import { ProtoWriter } from "./protobuf.ts";
 * const bytes = new ProtoWriter().uint(1, 150).finish();
 * console.assert(bytes.join(",") === "8,150,1"); // the example of the protobuf docs
 * ```
 */
export class ProtoWriter {
  #buf = new Uint8Array(256);
  #len = 0;

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  /** Appends a bare varint. Negative numbers take ten bytes, as int64 does. */
  varint(n: number): this {
    if (!Number.isInteger(n)) throw new RangeError(`varint of a non-integer: ${n}`);
    if (n < 0) return this.#bigVarint(BigInt.asUintN(64, BigInt(n)));
    this.#reserve(10);
    const b = this.#buf;
    // Bit operators are 32-bit: divide for the high part.
    while (n >= 0x80) {
      b[this.#len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    b[this.#len++] = n;
    return this;
  }

  #bigVarint(n: bigint): this {
    this.#reserve(10);
    while (n >= 0x80n) {
      this.#buf[this.#len++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.#buf[this.#len++] = Number(n);
    return this;
  }

  /** Appends a field key. */
  tag(field: number, wire: WireType): this {
    return this.varint(field * 8 + wire);
  }

  /** A varint field (uint64, int64, bool as 0/1). */
  uint(field: number, n: number): this {
    return this.tag(field, 0).varint(n);
  }

  /** A length-delimited field of raw bytes. */
  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2).varint(data.length);
    this.#reserve(data.length);
    this.#buf.set(data, this.#len);
    this.#len += data.length;
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  /** A packed repeated varint field; nothing for an empty list. */
  packed(field: number, nums: readonly number[]): this {
    if (nums.length === 0) return this;
    const inner = new ProtoWriter();
    for (const n of nums) inner.varint(n);
    return this.bytes(field, inner.finish());
  }

  /** An embedded message field, written by `fill` into a fresh writer. */
  message(field: number, fill: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    fill(inner);
    return this.bytes(field, inner.finish());
  }

  /** The message so far. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

/**
 * One field of a message as it is on the wire.
 *
 * @example
 * ```ts
 * import type { ProtoField } from "./protobuf.ts";
 * const f: ProtoField = { field: 1, wire: 0, value: 150 };
 * console.assert(f.value === 150);
 * ```
 */
export interface ProtoField {
  /** Field number. */
  field: number;
  /** Wire type. */
  wire: WireType;
  /** The number (varint, fixed64, fixed32) or the bytes (length-delimited). */
  value: number | Uint8Array;
}

/**
 * Reads a varint at `pos`; returns the value and the position after it.
 *
 * @example
 * ```ts
 * import { readVarint } from "./protobuf.ts";
 * console.assert(readVarint(new Uint8Array([0x96, 0x01]), 0).join() === "150,2");
 * ```
 */
export function readVarint(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0, scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= bytes.length) throw new RangeError("protobuf: varint runs past the end");
    const b = bytes[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 0x80;
  }
  throw new RangeError("protobuf: varint longer than ten bytes");
}

/**
 * Splits a message into its fields, in wire order. Throws a RangeError on
 * truncated input or an unknown wire type.
 *
 * @example
 * ```ts
 * import { decodeFields, ProtoWriter } from "./protobuf.ts";
 * const msg = new ProtoWriter().uint(1, 7).string(2, "hi").finish();
 * const [a, b] = decodeFields(msg);
 * console.assert(a.field === 1 && a.value === 7);
 * console.assert(b.wire === 2 && new TextDecoder().decode(b.value as Uint8Array) === "hi");
 * ```
 */
export function decodeFields(bytes: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const [key, p] = readVarint(bytes, pos);
    pos = p;
    const field = Math.floor(key / 8), wire = key % 8;
    if (field === 0) throw new RangeError("protobuf: field number 0");
    switch (wire) {
      case 0: {
        const [v, q] = readVarint(bytes, pos);
        out.push({ field, wire, value: v });
        pos = q;
        break;
      }
      case 1:
      case 5: {
        const size = wire === 1 ? 8 : 4;
        if (pos + size > bytes.length) {
          throw new RangeError("protobuf: fixed field runs past the end");
        }
        const dv = new DataView(bytes.buffer, bytes.byteOffset + pos, size);
        const v = wire === 1
          ? dv.getUint32(0, true) + dv.getUint32(4, true) * TWO_32
          : dv.getUint32(0, true);
        out.push({ field, wire, value: v });
        pos += size;
        break;
      }
      case 2: {
        const [len, q] = readVarint(bytes, pos);
        if (q + len > bytes.length) throw new RangeError("protobuf: bytes field runs past the end");
        out.push({ field, wire, value: bytes.subarray(q, q + len) });
        pos = q + len;
        break;
      }
      default:
        throw new RangeError(`protobuf: unsupported wire type ${wire} (field ${field})`);
    }
  }
  return out;
}

/**
 * The numbers of a packed repeated varint field's bytes.
 *
 * @example
 * ```ts
 * import { unpackVarints, ProtoWriter, decodeFields } from "./protobuf.ts";
 * const [f] = decodeFields(new ProtoWriter().packed(1, [1, 300, 2 ** 40]).finish());
 * console.assert(unpackVarints(f.value as Uint8Array).join() === `1,300,${2 ** 40}`);
 * ```
 */
export function unpackVarints(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let pos = 0; pos < bytes.length;) {
    const [v, p] = readVarint(bytes, pos);
    out.push(v);
    pos = p;
  }
  return out;
}

/**
 * A repeated varint field's numbers from either encoding: packed (wire 2)
 * or one field per number (wire 0); proto readers must accept both.
 *
 * @example
 * ```ts
 * import { repeatedVarints } from "./protobuf.ts";
 * console.assert(repeatedVarints({ field: 1, wire: 0, value: 5 }).join() === "5");
 * ```
 */
export function repeatedVarints(f: ProtoField): number[] {
  return f.value instanceof Uint8Array ? unpackVarints(f.value) : [f.value];
}
