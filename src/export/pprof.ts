/**
 * pprof profiles: the `profile.proto` message of github.com/google/pprof as
 * plain data, its encoding and decoding, gzip, and the profiles `go tool
 * trace` serves (network, sync, syscall and scheduler latency) built from a
 * {@link StackProfile}: sample types "contentions/count" and
 * "delay/nanoseconds", period type "trace/count", one location per program
 * counter, one function per function name and file.
 *
 * @module
 */

import type { StackFrame } from "../events/event.ts";
import type { Source } from "../queries/source.ts";
import { decodeFields, type ProtoField, ProtoWriter, repeatedVarints } from "./protobuf.ts";
import { type StackProfile, stackProfile, type StackProfileOptions } from "./profiles.ts";

/**
 * A sample type or period type: what a value counts and in which unit.
 *
 * @example
 * ```ts
 * import type { PprofValueType } from "./pprof.ts";
 * const t: PprofValueType = { type: "delay", unit: "nanoseconds" };
 * console.assert(t.unit === "nanoseconds");
 * ```
 */
export interface PprofValueType {
  /** e.g. "delay". */
  type: string;
  /** e.g. "nanoseconds". */
  unit: string;
}

/**
 * A sample label: a string or a number (with its unit).
 *
 * @example
 * ```ts
 * import type { PprofLabel } from "./pprof.ts";
 * const l: PprofLabel = { key: "goroutine", str: "", num: 7, numUnit: "" };
 * console.assert(l.num === 7);
 * ```
 */
export interface PprofLabel {
  /** Label key. */
  key: string;
  /** String value ("" when numeric). */
  str: string;
  /** Numeric value (0 when a string). */
  num: number;
  /** Unit of `num` ("" when none). */
  numUnit: string;
}

/**
 * One sample: a stack (location ids, leaf first) and one value per sample type.
 *
 * @example
 * ```ts
 * import type { PprofSample } from "./pprof.ts";
 * const s: PprofSample = { locationIds: [1, 2], values: [1, 500], labels: [] };
 * console.assert(s.values[1] === 500);
 * ```
 */
export interface PprofSample {
  /** Location ids, innermost first. */
  locationIds: number[];
  /** Values, in the order of the profile's sample types. */
  values: number[];
  /** Labels. */
  labels: PprofLabel[];
}

/**
 * A mapped binary (traces have none; kept for profiles decoded from elsewhere).
 *
 * @example
 * ```ts
 * import type { PprofMapping } from "./pprof.ts";
 * const m: PprofMapping = { id: 1, memoryStart: 0x400000, memoryLimit: 0x500000, fileOffset: 0,
 *   filename: "/bin/app", buildId: "", hasFunctions: true, hasFilenames: true,
 *   hasLineNumbers: true, hasInlineFrames: false };
 * console.assert(m.id === 1);
 * ```
 */
export interface PprofMapping {
  /** Mapping id (non-zero). */
  id: number;
  /** Start address. */
  memoryStart: number;
  /** End address. */
  memoryLimit: number;
  /** File offset. */
  fileOffset: number;
  /** Object file name. */
  filename: string;
  /** Build id. */
  buildId: string;
  /** Symbolization flags. */
  hasFunctions: boolean;
  /** Symbolization flags. */
  hasFilenames: boolean;
  /** Symbolization flags. */
  hasLineNumbers: boolean;
  /** Symbolization flags. */
  hasInlineFrames: boolean;
}

/**
 * A line of a location: function and line number.
 *
 * @example
 * ```ts
 * import type { PprofLine } from "./pprof.ts";
 * const l: PprofLine = { functionId: 1, line: 42 };
 * console.assert(l.line === 42);
 * ```
 */
export interface PprofLine {
  /** Function id. */
  functionId: number;
  /** Line number. */
  line: number;
}

/**
 * A program location.
 *
 * @example
 * ```ts
 * import type { PprofLocation } from "./pprof.ts";
 * const l: PprofLocation = { id: 1, mappingId: 0, address: 0x401000,
 *   lines: [{ functionId: 1, line: 42 }], isFolded: false };
 * console.assert(l.lines.length === 1);
 * ```
 */
export interface PprofLocation {
  /** Location id (non-zero). */
  id: number;
  /** Mapping id, 0 for none. */
  mappingId: number;
  /** Program counter. */
  address: number;
  /** Lines, innermost inlined function first. */
  lines: PprofLine[];
  /** Several symbols share the address. */
  isFolded: boolean;
}

/**
 * A function.
 *
 * @example
 * ```ts
 * import type { PprofFunction } from "./pprof.ts";
 * const f: PprofFunction = { id: 1, name: "main.main", systemName: "main.main",
 *   filename: "main.go", startLine: 0 };
 * console.assert(f.name === "main.main");
 * ```
 */
export interface PprofFunction {
  /** Function id (non-zero). */
  id: number;
  /** Name. */
  name: string;
  /** Name as the system knows it. */
  systemName: string;
  /** Source file. */
  filename: string;
  /** First line. */
  startLine: number;
}

/**
 * A whole profile, strings resolved (the string table is an encoding detail).
 *
 * @example
 * ```ts
 * import { emptyPprof } from "./pprof.ts";
 * const p = emptyPprof();
 * console.assert(p.samples.length === 0 && p.period === 0);
 * ```
 */
export interface PprofProfile {
  /** What each sample value counts. */
  sampleTypes: PprofValueType[];
  /** Samples. */
  samples: PprofSample[];
  /** Mappings. */
  mappings: PprofMapping[];
  /** Locations. */
  locations: PprofLocation[];
  /** Functions. */
  functions: PprofFunction[];
  /** Regexp of frames to drop ("" for none). */
  dropFrames: string;
  /** Regexp of frames to keep ("" for none). */
  keepFrames: string;
  /** Collection start, ns since the Unix epoch (0 when unknown). */
  timeNanos: number;
  /** Length of the collection (ns). */
  durationNanos: number;
  /** What the period counts, null when not set. */
  periodType: PprofValueType | null;
  /** Events between samples. */
  period: number;
  /** Free text. */
  comments: string[];
  /** Type of the preferred sample value ("" for the last). */
  defaultSampleType: string;
}

/**
 * A profile with nothing in it.
 *
 * @example
 * ```ts
 * import { emptyPprof } from "./pprof.ts";
 * console.assert(emptyPprof().periodType === null);
 * ```
 */
export function emptyPprof(): PprofProfile {
  return {
    sampleTypes: [],
    samples: [],
    mappings: [],
    locations: [],
    functions: [],
    dropFrames: "",
    keepFrames: "",
    timeNanos: 0,
    durationNanos: 0,
    periodType: null,
    period: 0,
    comments: [],
    defaultSampleType: "",
  };
}

/**
 * Encodes a profile as `profile.proto` bytes (not compressed; see
 * {@link gzip}). Zero and empty fields are left out, as proto3 does.
 *
 * @example
 * ```ts
 * import { decodePprof, emptyPprof, encodePprof } from "./pprof.ts";
 * const p = { ...emptyPprof(), sampleTypes: [{ type: "delay", unit: "nanoseconds" }] };
 * console.assert(decodePprof(encodePprof(p)).sampleTypes[0].unit === "nanoseconds");
 * ```
 */
export function encodePprof(p: PprofProfile): Uint8Array {
  // String table: index 0 is always "".
  const strings: string[] = [""];
  const index = new Map<string, number>([["", 0]]);
  const s = (x: string): number => {
    let i = index.get(x);
    if (i === undefined) {
      i = strings.length;
      strings.push(x);
      index.set(x, i);
    }
    return i;
  };
  const w = new ProtoWriter();
  const uint = (m: ProtoWriter, field: number, n: number) => {
    if (n !== 0) m.uint(field, n);
  };
  const valueType = (field: number, v: PprofValueType) =>
    w.message(field, (m) => {
      uint(m, 1, s(v.type));
      uint(m, 2, s(v.unit));
    });
  for (const t of p.sampleTypes) valueType(1, t);
  for (const x of p.samples) {
    w.message(2, (m) => {
      m.packed(1, x.locationIds);
      m.packed(2, x.values);
      for (const l of x.labels) {
        m.message(3, (k) => {
          uint(k, 1, s(l.key));
          uint(k, 2, s(l.str));
          uint(k, 3, l.num);
          uint(k, 4, s(l.numUnit));
        });
      }
    });
  }
  for (const x of p.mappings) {
    w.message(3, (m) => {
      uint(m, 1, x.id);
      uint(m, 2, x.memoryStart);
      uint(m, 3, x.memoryLimit);
      uint(m, 4, x.fileOffset);
      uint(m, 5, s(x.filename));
      uint(m, 6, s(x.buildId));
      uint(m, 7, +x.hasFunctions);
      uint(m, 8, +x.hasFilenames);
      uint(m, 9, +x.hasLineNumbers);
      uint(m, 10, +x.hasInlineFrames);
    });
  }
  for (const x of p.locations) {
    w.message(4, (m) => {
      uint(m, 1, x.id);
      uint(m, 2, x.mappingId);
      uint(m, 3, x.address);
      for (const l of x.lines) {
        m.message(4, (k) => {
          uint(k, 1, l.functionId);
          uint(k, 2, l.line);
        });
      }
      uint(m, 5, +x.isFolded);
    });
  }
  for (const x of p.functions) {
    w.message(5, (m) => {
      uint(m, 1, x.id);
      uint(m, 2, s(x.name));
      uint(m, 3, s(x.systemName));
      uint(m, 4, s(x.filename));
      uint(m, 5, x.startLine);
    });
  }
  // Scalars take their string indices before the table is written out.
  const tail = new ProtoWriter();
  uint(tail, 7, s(p.dropFrames));
  uint(tail, 8, s(p.keepFrames));
  uint(tail, 9, p.timeNanos);
  uint(tail, 10, p.durationNanos);
  if (p.periodType) {
    const pt = p.periodType;
    tail.message(11, (m) => {
      uint(m, 1, s(pt.type));
      uint(m, 2, s(pt.unit));
    });
  }
  uint(tail, 12, p.period);
  for (const c of p.comments) tail.uint(13, s(c));
  uint(tail, 14, s(p.defaultSampleType));
  for (const x of strings) w.string(6, x);
  const head = w.finish(), rest = tail.finish();
  const out = new Uint8Array(head.length + rest.length);
  out.set(head);
  out.set(rest, head.length);
  return out;
}

/** Fields of an embedded message, by number. */
function fieldsOf(f: ProtoField): Map<number, ProtoField[]> {
  if (!(f.value instanceof Uint8Array)) {
    throw new RangeError(`pprof: field ${f.field} should be a message`);
  }
  return group(decodeFields(f.value));
}

function group(fields: ProtoField[]): Map<number, ProtoField[]> {
  const m = new Map<number, ProtoField[]>();
  for (const f of fields) {
    const list = m.get(f.field);
    if (list) list.push(f);
    else m.set(f.field, [f]);
  }
  return m;
}

/** The last value of a scalar varint field (proto3: last one wins), 0 when absent. */
function num(m: Map<number, ProtoField[]>, field: number): number {
  const list = m.get(field);
  if (!list) return 0;
  const v = list[list.length - 1].value;
  if (typeof v !== "number") throw new RangeError(`pprof: field ${field} should be a number`);
  return v;
}

function nums(m: Map<number, ProtoField[]>, field: number): number[] {
  return (m.get(field) ?? []).flatMap(repeatedVarints);
}

/**
 * Decodes `profile.proto` bytes (gzip-compressed or not: see
 * {@link gunzip} for the compressed form) back into a profile, resolving
 * string indices. Throws a RangeError on malformed input.
 *
 * @example
 * ```ts
 * import { decodePprof, emptyPprof, encodePprof } from "./pprof.ts";
 * const p = { ...emptyPprof(), comments: ["hello"], period: 1 };
 * const back = decodePprof(encodePprof(p));
 * console.assert(back.comments[0] === "hello" && back.period === 1);
 * ```
 */
export function decodePprof(bytes: Uint8Array): PprofProfile {
  const top = group(decodeFields(bytes));
  const dec = new TextDecoder("utf-8", { fatal: true });
  const strings = (top.get(6) ?? []).map((f) => {
    if (!(f.value instanceof Uint8Array)) throw new RangeError("pprof: string table entry");
    return dec.decode(f.value);
  });
  if (strings.length === 0 || strings[0] !== "") {
    throw new RangeError('pprof: string_table[0] must be ""');
  }
  const str = (i: number): string => {
    if (i < 0 || i >= strings.length) throw new RangeError(`pprof: string index ${i} out of range`);
    return strings[i];
  };
  const valueType = (f: ProtoField): PprofValueType => {
    const m = fieldsOf(f);
    return { type: str(num(m, 1)), unit: str(num(m, 2)) };
  };
  const p = emptyPprof();
  p.sampleTypes = (top.get(1) ?? []).map(valueType);
  p.samples = (top.get(2) ?? []).map((f) => {
    const m = fieldsOf(f);
    return {
      locationIds: nums(m, 1),
      values: nums(m, 2),
      labels: (m.get(3) ?? []).map((l) => {
        const k = fieldsOf(l);
        return {
          key: str(num(k, 1)),
          str: str(num(k, 2)),
          num: num(k, 3),
          numUnit: str(num(k, 4)),
        };
      }),
    };
  });
  p.mappings = (top.get(3) ?? []).map((f) => {
    const m = fieldsOf(f);
    return {
      id: num(m, 1),
      memoryStart: num(m, 2),
      memoryLimit: num(m, 3),
      fileOffset: num(m, 4),
      filename: str(num(m, 5)),
      buildId: str(num(m, 6)),
      hasFunctions: num(m, 7) !== 0,
      hasFilenames: num(m, 8) !== 0,
      hasLineNumbers: num(m, 9) !== 0,
      hasInlineFrames: num(m, 10) !== 0,
    };
  });
  p.locations = (top.get(4) ?? []).map((f) => {
    const m = fieldsOf(f);
    return {
      id: num(m, 1),
      mappingId: num(m, 2),
      address: num(m, 3),
      lines: (m.get(4) ?? []).map((l) => {
        const k = fieldsOf(l);
        return { functionId: num(k, 1), line: num(k, 2) };
      }),
      isFolded: num(m, 5) !== 0,
    };
  });
  p.functions = (top.get(5) ?? []).map((f) => {
    const m = fieldsOf(f);
    return {
      id: num(m, 1),
      name: str(num(m, 2)),
      systemName: str(num(m, 3)),
      filename: str(num(m, 4)),
      startLine: num(m, 5),
    };
  });
  p.dropFrames = str(num(top, 7));
  p.keepFrames = str(num(top, 8));
  p.timeNanos = num(top, 9);
  p.durationNanos = num(top, 10);
  const pt = top.get(11);
  p.periodType = pt ? valueType(pt[pt.length - 1]) : null;
  p.period = num(top, 12);
  p.comments = nums(top, 13).map(str);
  p.defaultSampleType = str(num(top, 14));
  return p;
}

async function pipe(bytes: Uint8Array, t: CompressionStream | DecompressionStream) {
  const s = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(t);
  return new Uint8Array(await new Response(s).arrayBuffer());
}

/**
 * Gzip-compresses bytes (pprof files on disk are gzip).
 *
 * @example
 * ```ts
 * import { gunzip, gzip } from "./pprof.ts";
 * const z = await gzip(new Uint8Array([1, 2, 3]));
 * console.assert(z[0] === 0x1f && z[1] === 0x8b);
 * console.assert((await gunzip(z)).join() === "1,2,3");
 * ```
 */
export function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream("gzip"));
}

/**
 * Decompresses gzip bytes; bytes that are not gzip come back as they are.
 *
 * @example
 * ```ts
 * import { gunzip } from "./pprof.ts";
 * console.assert((await gunzip(new Uint8Array([8, 1]))).join() === "8,1");
 * ```
 */
export function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes);
  return pipe(bytes, new DecompressionStream("gzip"));
}

/**
 * Options of {@link toPprof}.
 *
 * @example
 * ```ts
 * import type { ToPprofOptions } from "./pprof.ts";
 * const o: ToPprofOptions = { durationNanos: 5e9, comments: ["from trace.out"] };
 * console.assert(o.comments?.length === 1);
 * ```
 */
export interface ToPprofOptions {
  /** Collection start, ns since the Unix epoch (default 0: unknown). */
  timeNanos?: number;
  /** Length of the collection in ns (default 0). */
  durationNanos?: number;
  /** Free-text comments. */
  comments?: string[];
}

/**
 * A {@link StackProfile} as a pprof profile, laid out as `go tool trace`
 * writes its own: delays as "contentions/count" and "delay/nanoseconds",
 * CPU samples as "samples/count"; period type "trace/count", period 1.
 *
 * @example
 * ```ts
 * import { toPprof } from "./pprof.ts";
 * const f = { pc: 0x10, func: "main.f", file: "f.go", line: 3 };
 * const p = toPprof({ kind: "sync", unit: "nanoseconds", count: 2, value: 900,
 *   records: [{ stack: [f], count: 2, value: 900 }] });
 * console.assert(p.samples[0].values.join() === "2,900");
 * console.assert(p.functions[0].name === "main.f" && p.locations[0].address === 0x10);
 * ```
 */
export function toPprof(profile: StackProfile, opts: ToPprofOptions = {}): PprofProfile {
  const p = emptyPprof();
  const cpu = profile.kind === "cpu";
  p.sampleTypes = cpu
    ? [{ type: "samples", unit: "count" }]
    : [{ type: "contentions", unit: "count" }, { type: "delay", unit: "nanoseconds" }];
  p.periodType = { type: "trace", unit: "count" };
  p.period = 1;
  p.timeNanos = opts.timeNanos ?? 0;
  p.durationNanos = opts.durationNanos ?? 0;
  p.comments = opts.comments ?? [];
  const locs = new Map<number, number>(); // pc -> location id
  const funcs = new Map<string, number>(); // file + func -> function id
  const location = (f: StackFrame): number => {
    let id = locs.get(f.pc);
    if (id !== undefined) return id;
    const key = `${f.file}\0${f.func}`;
    let fn = funcs.get(key);
    if (fn === undefined) {
      fn = p.functions.length + 1;
      p.functions.push({
        id: fn,
        name: f.func,
        systemName: f.func,
        filename: f.file,
        startLine: 0,
      });
      funcs.set(key, fn);
    }
    id = p.locations.length + 1;
    p.locations.push({
      id,
      mappingId: 0,
      address: f.pc,
      lines: [{ functionId: fn, line: f.line }],
      isFolded: false,
    });
    locs.set(f.pc, id);
    return id;
  };
  for (const r of profile.records) {
    p.samples.push({
      locationIds: r.stack.map(location),
      values: cpu ? [r.count] : [r.count, r.value],
      labels: [],
    });
  }
  return p;
}

/**
 * Reads a trace and returns a gzip-compressed pprof profile of one kind,
 * ready for `go tool pprof`.
 *
 * @example
 * ```ts
 * import { decodePprof, gunzip, pprofFromTrace } from "./pprof.ts";
 * const url = new URL("../../testdata/block-unblock.trace", import.meta.url);
 * const gz = await pprofFromTrace(url, { kind: "sync" });
 * const p = decodePprof(await gunzip(gz));
 * console.assert(p.sampleTypes[1].type === "delay");
 * ```
 */
export async function pprofFromTrace(
  source: Source,
  opts: StackProfileOptions & ToPprofOptions,
): Promise<Uint8Array> {
  const profile = await stackProfile(source, opts);
  return gzip(encodePprof(toPprof(profile, opts)));
}
