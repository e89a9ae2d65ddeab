/**
 * Column builders on typed arrays: what the trace tables are made of. A
 * builder grows by doubling and hands out its rows as a {@link Chunk} of
 * plain typed arrays (strings as dictionary codes), which is what a
 * database loads in bulk and what a test reads back.
 *
 * @module
 */

/** SQL type of a column, as DuckDB and Parquet call it. */
export type ColumnType = "BIGINT" | "INTEGER" | "DOUBLE" | "VARCHAR" | "BOOLEAN";

/** One column of a table's schema. */
export interface ColumnSpec {
  /** Column name (snake_case). */
  name: string;
  /** SQL type. */
  type: ColumnType;
  /** What it holds, with its unit. */
  doc: string;
  /** Whether it can be NULL. */
  nullable?: boolean;
  /**
   * VARCHAR columns with a closed vocabulary: every value is one of these
   * (sorted, so that an ENUM of them orders as the strings do). Their
   * dictionary starts with them, and DuckDB stores them as that ENUM.
   */
  values?: readonly string[];
}

/** A table's name, meaning and columns. */
export interface TableSchema {
  /** Table name. */
  name: string;
  /** One sentence: what a row is. */
  doc: string;
  /** Columns, in order. */
  columns: readonly ColumnSpec[];
}

/**
 * The values of one column for a run of rows: numbers in a Float64Array
 * (BIGINT and DOUBLE; NaN is NULL), an Int32Array (INTEGER; the minimum
 * int32 is NULL), a Uint8Array (BOOLEAN) or dictionary codes into `dict`
 * (VARCHAR; -1 is NULL), one byte each for a column with a closed
 * vocabulary ({@link ColumnSpec.values}, at most 127 strings) and for
 * `trace` (whose codes, all 0, may be shared between chunks: read only).
 */
export type ColumnData = PlainColumnData | RowSelection;

/** A column's own values: see {@link ColumnData}. */
export type PlainColumnData =
  | Float64Array
  | Int32Array
  | Uint8Array
  | { codes: Int32Array | Int8Array; dict: readonly string[] };

/**
 * Some rows of another column, by index: how a table whose rows are some
 * of another's shares that table's columns (the transitions of an events
 * chunk are its rows that are transitions). {@link plainColumn} copies
 * them out.
 */
export interface RowSelection {
  /** Indexes into {@link of}, one per row. */
  rows: Int32Array;
  /** The column they select from. */
  of: PlainColumnData;
}

/** NULL in an INTEGER column. */
export const NULL_INT = -2147483648;

/**
 * A run of rows of one table, column by column.
 *
 * @example
 * ```ts
 * import { chunkRows, type Chunk } from "./columns.ts";
 * const c: Chunk = {
 *   schema: { name: "t", doc: "", columns: [{ name: "x", type: "INTEGER", doc: "" }] },
 *   length: 1,
 *   columns: [Int32Array.of(7)],
 * };
 * console.assert(chunkRows(c)[0].x === 7);
 * ```
 */
export interface Chunk {
  /** The table's schema. */
  schema: TableSchema;
  /** Number of rows. */
  length: number;
  /** One entry per schema column, each `length` long. */
  columns: ColumnData[];
}

/**
 * Rows of a chunk as plain objects (NULL as null, BIGINT as number).
 *
 * @example
 * ```ts
 * import { chunkRows } from "./columns.ts";
 * const rows = chunkRows({
 *   schema: { name: "t", doc: "", columns: [{ name: "s", type: "VARCHAR", doc: "" }] },
 *   length: 2,
 *   columns: [{ codes: Int32Array.of(0, -1), dict: ["a"] }],
 * });
 * console.assert(rows[0].s === "a" && rows[1].s === null);
 * ```
 */
export function chunkRows(chunk: Chunk): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < chunk.length; i++) {
    const row: Record<string, unknown> = {};
    chunk.schema.columns.forEach((c, k) => row[c.name] = cellValue(chunk.columns[k], c.type, i));
    rows.push(row);
  }
  return rows;
}

/**
 * One cell of a column, as a plain value.
 *
 * @example
 * ```ts
 * import { cellValue } from "./columns.ts";
 * console.assert(cellValue(Float64Array.of(NaN), "BIGINT", 0) === null);
 * console.assert(cellValue(Uint8Array.of(1), "BOOLEAN", 0) === true);
 * ```
 */
export function cellValue(data: ColumnData, type: ColumnType, i: number): unknown {
  if (isSelection(data)) return cellValue(data.of, type, data.rows[i]);
  if (data instanceof Float64Array) return Number.isNaN(data[i]) ? null : data[i];
  if (data instanceof Int32Array) return data[i] === NULL_INT ? null : data[i];
  if (data instanceof Uint8Array) return type === "BOOLEAN" ? data[i] !== 0 : data[i];
  const c = data.codes[i];
  return c < 0 ? null : data.dict[c];
}

function isSelection(data: ColumnData): data is RowSelection {
  return !ArrayBuffer.isView(data) && "rows" in data;
}

/**
 * A column's values as its own typed array (or codes): those of a
 * {@link RowSelection} gathered, any other as it is.
 *
 * @example
 * ```ts
 * import { plainColumn } from "./columns.ts";
 * const v = plainColumn({ rows: Int32Array.of(2, 0), of: Float64Array.of(5, 6, 7) });
 * console.assert((v as Float64Array).join() === "7,5");
 * ```
 */
export function plainColumn(data: ColumnData): PlainColumnData {
  if (!isSelection(data)) return data;
  const { rows, of } = data;
  if (ArrayBuffer.isView(of)) {
    const out = new (of.constructor as Float64ArrayConstructor)(rows.length) as typeof of;
    for (let i = 0; i < rows.length; i++) out[i] = of[rows[i]];
    return out;
  }
  const codes = new (of.codes.constructor as Int32ArrayConstructor)(rows.length);
  for (let i = 0; i < rows.length; i++) codes[i] = of.codes[rows[i]];
  return { codes, dict: of.dict };
}

/**
 * A growable column of 64-bit numbers (BIGINT or DOUBLE; NaN is NULL).
 *
 * @example
 * ```ts
 * import { NumberColumn } from "./columns.ts";
 * const c = new NumberColumn();
 * for (let i = 0; i < 100; i++) c.push(i);
 * console.assert(c.take(100)[99] === 99 && c.length === 0);
 * ```
 */
export class NumberColumn {
  /** Values so far (the first {@link length} are used). */
  data: Float64Array = new Float64Array(64);
  /** Rows so far. */
  length = 0;
  /** Appends a value (NaN for NULL). */
  push(v: number): void {
    if (this.length === this.data.length) {
      this.data = grow(this.data, new Float64Array(this.length * 2));
    }
    this.data[this.length++] = v;
  }
  /**
   * The first `n` values, and starts again empty: a copy, or with `copy`
   * false a view that the next rows overwrite.
   */
  take(n: number, copy = true): Float64Array {
    const out = takeRows(this, n, copy, Float64Array);
    this.length = 0;
    return out;
  }
  /** Makes room for `n` values, so that {@link data} can be written by index. */
  reserve(n: number): void {
    if (this.data.length < n) this.data = grow(this.data, new Float64Array(n));
  }
}

/**
 * A growable INTEGER column ({@link NULL_INT} is NULL).
 *
 * @example
 * ```ts
 * import { IntColumn } from "./columns.ts";
 * const c = new IntColumn();
 * c.push(-1);
 * console.assert(c.take(1)[0] === -1);
 * ```
 */
export class IntColumn {
  /** Values so far. */
  data: Int32Array = new Int32Array(64);
  /** Rows so far. */
  length = 0;
  /** Appends a value. */
  push(v: number): void {
    if (this.length === this.data.length) {
      this.data = grow(this.data, new Int32Array(this.length * 2));
    }
    this.data[this.length++] = v;
  }
  /**
   * The first `n` values, and starts again empty: a copy, or with `copy`
   * false a view that the next rows overwrite.
   */
  take(n: number, copy = true): Int32Array {
    const out = takeRows(this, n, copy, Int32Array);
    this.length = 0;
    return out;
  }
  /** Makes room for `n` values, so that {@link data} can be written by index. */
  reserve(n: number): void {
    if (this.data.length < n) this.data = grow(this.data, new Int32Array(n));
  }
}

/**
 * A growable BOOLEAN column.
 *
 * @example
 * ```ts
 * import { BoolColumn } from "./columns.ts";
 * const c = new BoolColumn();
 * c.push(true);
 * console.assert(c.take(1)[0] === 1);
 * ```
 */
export class BoolColumn {
  /** Values so far, 0 or 1. */
  data: Uint8Array = new Uint8Array(64);
  /** Rows so far. */
  length = 0;
  /** Appends a value. */
  push(v: boolean): void {
    if (this.length === this.data.length) {
      this.data = grow(this.data, new Uint8Array(this.length * 2));
    }
    this.data[this.length++] = v ? 1 : 0;
  }
  /**
   * The first `n` values, and starts again empty: a copy, or with `copy`
   * false a view that the next rows overwrite.
   */
  take(n: number, copy = true): Uint8Array {
    const out = takeRows(this, n, copy, Uint8Array);
    this.length = 0;
    return out;
  }
  /** Makes room for `n` values, so that {@link data} can be written by index. */
  reserve(n: number): void {
    if (this.data.length < n) this.data = grow(this.data, new Uint8Array(n));
  }
}

/**
 * A growable column of one-byte codes (-128 to 127): a closed vocabulary's.
 *
 * @example
 * ```ts
 * import { ByteColumn } from "./columns.ts";
 * const c = new ByteColumn();
 * c.push(-1);
 * console.assert(c.take(1)[0] === -1);
 * ```
 */
export class ByteColumn {
  /** Values so far. */
  data: Int8Array = new Int8Array(64);
  /** Rows so far. */
  length = 0;
  /** Appends a value. */
  push(v: number): void {
    if (this.length === this.data.length) {
      this.data = grow(this.data, new Int8Array(this.length * 2));
    }
    this.data[this.length++] = v;
  }
  /**
   * The first `n` values, and starts again empty: a copy, or with `copy`
   * false a view that the next rows overwrite.
   */
  take(n: number, copy = true): Int8Array {
    const out = takeRows(this, n, copy, Int8Array);
    this.length = 0;
    return out;
  }
  /** Makes room for `n` values, so that {@link data} can be written by index. */
  reserve(n: number): void {
    if (this.data.length < n) this.data = grow(this.data, new Int8Array(n));
  }
}

/**
 * A growable VARCHAR column: codes into a dictionary that only grows, so
 * that the few distinct kinds, states and names of millions of rows are
 * stored once. A closed vocabulary's codes take a byte each.
 *
 * @example
 * ```ts
 * import { StringColumn } from "./columns.ts";
 * const c = new StringColumn();
 * c.push("a"); c.push("b"); c.push("a"); c.push(null);
 * const { codes, dict } = c.take(4);
 * console.assert(codes.join() === "0,1,0,-1" && dict.join() === "a,b");
 * ```
 */
export class StringColumn {
  /** Codes so far. */
  readonly codes: IntColumn | ByteColumn;
  /** Distinct strings, by code. */
  readonly dict: string[] = [];
  readonly #index = new Map<string, number>();
  readonly #closed: boolean;
  /**
   * An empty column.
   * @param values strings that get the first codes, in this order
   * @param closed whether `values` are (nearly) all the column's strings:
   * its codes then take a byte, and it holds at most 128 strings
   */
  constructor(values: readonly string[] = [], closed = false) {
    this.#closed = closed && values.length < 128;
    this.codes = this.#closed ? new ByteColumn() : new IntColumn();
    for (const v of values) this.code(v);
  }
  /** Rows so far. */
  get length(): number {
    return this.codes.length;
  }
  /** The code of `s`, added to the dictionary when new. */
  code(s: string): number {
    let c = this.#index.get(s);
    if (c === undefined) {
      if (this.#closed && this.dict.length === 128) {
        throw new Error(`more than 128 values, the last ${JSON.stringify(s)}`);
      }
      c = this.dict.length;
      this.dict.push(s);
      this.#index.set(s, c);
    }
    return c;
  }
  /** Appends a string (null for NULL). */
  push(s: string | null): void {
    this.codes.push(s === null ? -1 : this.code(s));
  }
  /** Appends a code from {@link code} (-1 for NULL). */
  pushCode(c: number): void {
    this.codes.push(c);
  }
  /** The first `n` rows, and starts again empty (the dictionary stays); see {@link NumberColumn.take}. */
  take(n: number, copy = true): { codes: Int32Array | Int8Array; dict: readonly string[] } {
    return { codes: this.codes.take(n, copy), dict: this.dict };
  }
  /** Makes room for `n` rows. */
  reserve(n: number): void {
    this.codes.reserve(n);
  }
}

/** Any column builder. */
export type ColumnBuilder = NumberColumn | IntColumn | BoolColumn | StringColumn;

// The `trace` column's codes: zeros, shared by every chunk up to this size.
let zeros = new Int8Array(65536);
/**
 * `n` codes 0, for a `trace` column: shared, read only.
 *
 * @example
 * ```ts
 * import { traceCodes } from "./columns.ts";
 * console.assert(traceCodes(3).join() === "0,0,0");
 * ```
 */
export function traceCodes(n: number): Int8Array {
  if (n > zeros.length) zeros = new Int8Array(n);
  return zeros.subarray(0, n);
}

/**
 * Builders for every column of a schema, taken together as chunks. Column 0
 * is always `trace`, the same for every row: it is filled in by
 * {@link take}, not pushed.
 *
 * @example
 * ```ts
 * import { TableBuilder, chunkRows } from "./columns.ts";
 * const b = new TableBuilder({ name: "t", doc: "", columns: [{ name: "trace", type: "VARCHAR", doc: "" },
 *   { name: "x", type: "BIGINT", doc: "" }, { name: "s", type: "VARCHAR", doc: "" }] }, "a.trace");
 * b.number(1).push(5); b.string(2).push("hi"); b.rows++;
 * const c = b.take();
 * console.assert(c.length === 1 && b.rows === 0);
 * console.assert(chunkRows(c)[0].trace === "a.trace");
 * ```
 */
export class TableBuilder {
  /** Column builders, by schema position. */
  readonly cols: ColumnBuilder[];
  /** Complete rows so far (each push of a row ends with `rows++`). */
  rows = 0;
  /**
   * Builders for `schema`'s columns.
   * @param schema the table (column 0 is `trace`)
   * @param trace the trace's name, for the `trace` column
   */
  constructor(readonly schema: TableSchema, readonly trace: string) {
    this.cols = schema.columns.map((c) =>
      c.type === "VARCHAR"
        ? new StringColumn(c.values, c.values !== undefined)
        : c.type === "INTEGER"
        ? new IntColumn()
        : c.type === "BOOLEAN"
        ? new BoolColumn()
        : new NumberColumn()
    );
  }
  /** The number builder of column `i`. */
  number(i: number): NumberColumn {
    return this.cols[i] as NumberColumn;
  }
  /** The integer builder of column `i`. */
  int(i: number): IntColumn {
    return this.cols[i] as IntColumn;
  }
  /** The string builder of column `i`. */
  string(i: number): StringColumn {
    return this.cols[i] as StringColumn;
  }
  /**
   * The storage of column `i` with room for `n` rows, for writing row by
   * index (then set {@link rows}): the fast way for tables of millions of rows.
   */
  reserve(i: number, n: number): Float64Array | Int32Array | Int8Array | Uint8Array {
    const c = this.cols[i];
    c.reserve(n);
    return c instanceof StringColumn ? c.codes.data : c.data;
  }
  /** Makes room for `n` more rows in every column (but `trace`), for pushing them. */
  reserveRows(n: number): void {
    for (let i = 1; i < this.cols.length; i++) this.cols[i].reserve(this.cols[i].length + n);
  }
  /** The boolean builder of column `i`. */
  bool(i: number): BoolColumn {
    return this.cols[i] as BoolColumn;
  }
  /**
   * The rows so far as a chunk; the builder starts again empty. With
   * `copy` false the chunk's columns are views that the next rows
   * overwrite: for a consumer that copies them at once.
   */
  take(copy = true): Chunk {
    const n = this.rows;
    this.rows = 0;
    const columns: ColumnData[] = this.cols.map((c, i) =>
      i === 0 ? { codes: traceCodes(n), dict: [this.trace] } : c.take(n, copy)
    );
    return { schema: this.schema, length: n, columns };
  }
}

// A chunk that fills most of the storage takes the storage itself (fresh
// storage replaces it, as copying would cost more); a small one is copied.
function takeRows<T extends Float64Array | Int32Array | Int8Array | Uint8Array>(
  col: { data: T },
  n: number,
  copy: boolean,
  make: new (length: number) => T,
): T {
  const data = col.data;
  if (!copy) return data.subarray(0, n) as T;
  if (2 * n < data.length) return data.slice(0, n) as T;
  col.data = new make(data.length);
  return (n === data.length ? data : data.subarray(0, n)) as T;
}

function grow<T extends Float64Array | Int32Array | Int8Array | Uint8Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}
