// Every error code, each from the smallest input that shows it: the code, the
// reference's message and where (byte offset, generation, M) are all pinned.
import assert from "node:assert/strict";
import { Reader, TraceError } from "../../mod.ts";
import { TraceBuilder } from "../../testing.ts";
import { type Batch, readBatch } from "../../src/wire/batch.ts";
import { headerBytes, headerLength } from "../../src/wire/header.ts";
import { appendUvarint } from "../../src/wire/uvarint.ts";
import { parseText } from "../../src/wire/text.ts";
import type { PartialMode } from "../../src/wire/generation.ts";
import { readToEnd } from "../helpers/read.ts";

const H22 = [...headerBytes(22)];

function uv(v: number): number[] {
  const out: number[] = [];
  appendUvarint(out, v);
  return out;
}

/** The batches of a trace, located. */
function batchesOf(bytes: Uint8Array, version: number): Batch[] {
  const out: Batch[] = [];
  let off = headerLength(version);
  for (;;) {
    const r = readBatch(bytes, off, 0, true);
    if (r.kind !== "batch") return out;
    out.push(r.batch);
    off = r.end;
  }
}

/** Reads to the end; the events' text and the error (null if none). */
function read(bytes: Uint8Array, partial?: PartialMode): { events: string[]; error: TraceError } {
  const events: string[] = [];
  const error = readToEnd(bytes, partial, (ev) => events.push(ev.toString()));
  if (error === null) assert.fail(`read ${events.length} events without an error`);
  return { events, error };
}

type Want = Partial<
  Pick<TraceError, "offset" | "generation" | "m" | "line" | "symptom" | "truncatedAt">
>;

function expectError(e: TraceError, code: string, message: string, where: Want = {}): void {
  assert.equal(e.code, code, e.toString());
  assert.equal(e.message, message);
  for (const [k, v] of Object.entries(where)) {
    assert.equal(e[k as keyof Want], v, `${k} of ${e.toString()}`);
  }
}

/** A small valid go1.22 trace: one M running G1, which blocks with a stack. */
function small(version = 22): TraceBuilder {
  const t = new TraceBuilder(version);
  t.generation(1).batch(0, 100)
    .event("ProcStatus", { dt: 0, p: 0, pstatus: 1 })
    .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: 2 })
    .event("GoBlock", {
      reason_string: "sleep",
      stack: [{ pc: 0x401000, func: "main.main", file: "main.go", line: 3 }],
    });
  return t;
}

Deno.test("errors: bad-header", () => {
  assert.throws(() => Reader.fromBytes(new TextEncoder().encode("hello, not a trace")), (e) => {
    expectError(e as TraceError, "bad-header", "bad file format: not a Go execution trace?", {
      offset: 0,
    });
    return true;
  });
});

Deno.test("errors: unsupported-version", () => {
  assert.throws(() => Reader.fromBytes(new TextEncoder().encode("go 1.24 trace\0\0\0")), (e) => {
    expectError(
      e as TraceError,
      "unsupported-version",
      "unknown or unsupported trace version go 1.24",
      {
        offset: 5,
      },
    );
    return true;
  });
});

Deno.test("errors: truncated, mid-batch", () => {
  // One batch header (gen 1, M 0, time 0, size 10) and 3 of its 10 bytes.
  const bytes = Uint8Array.from([...H22, 1, 1, 0, 0, 10, 1, 2, 3]);
  const { events, error } = read(bytes);
  assert.deepEqual(events, ["M=-1 P=-1 G=-1 Sync Time=1 N=1"]); // as the reference: a Sync, then the error
  expectError(error, "truncated", "failed to read full batch: read 3 but wanted 10", {
    offset: 16,
    generation: 1,
    m: 0,
    truncatedAt: 24,
  });
});

Deno.test("errors: truncated, mid-header", () => {
  const { error } = read(Uint8Array.from([...H22, 1, 1]));
  expectError(error, "truncated", "error reading batch M ID: EOF", { offset: 18, truncatedAt: 18 });
  const { error: e2 } = read(Uint8Array.from([...H22, 1, 1, 0, 0, 0x80]));
  expectError(e2, "truncated", "error reading batch size: unexpected EOF", { offset: 20 });
});

Deno.test("errors: truncated, seen as an unknown stack (cut before the tables)", () => {
  const full = small().toBytes();
  const stacks = batchesOf(full, 22).find((b) => b.data[0] === 2)!;
  const cut = full.subarray(0, stacks.offset);
  const { events, error } = read(cut);
  // The reference's events and message; the code says why.
  assert.equal(events.length, 3); // Sync, ProcStatus, GoStatus
  expectError(error, "truncated", "found invalid stack ID 1 for event GoBlock", {
    generation: 1,
    m: 0,
    symptom: "bad-table-id",
    truncatedAt: stacks.offset,
  });
});

Deno.test("errors: truncated, go1.26 generation without its end", () => {
  const full = small(26).toBytes();
  const cut = full.subarray(0, full.length - 1); // drop the end-of-generation byte
  const { events, error } = read(cut);
  assert.equal(events.length, 1);
  expectError(error, "truncated", "incomplete generation found; trace likely truncated", {
    offset: cut.length,
    generation: 1,
    truncatedAt: cut.length,
  });
});

Deno.test("errors: bad-varint", () => {
  const overflow = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
  const { error } = read(Uint8Array.from([...H22, 1, ...overflow]));
  expectError(
    error,
    "bad-varint",
    "error reading batch gen: binary: varint overflows a 64-bit integer",
    {
      offset: 17,
    },
  );
});

Deno.test("errors: bad-batch-size", () => {
  const { error } = read(Uint8Array.from([...H22, 1, 1, 0, 0, ...uv(65537)]));
  expectError(error, "bad-batch-size", "invalid batch size 65537, maximum is 65536", {
    offset: 16,
    generation: 1,
    m: 0,
  });
});

Deno.test("errors: bad-batch", () => {
  const { error } = read(Uint8Array.from([...H22, 7]));
  expectError(error, "bad-batch", "expected batch event, got event 7", { offset: 16 });
});

Deno.test("errors: unknown-event", () => {
  const bytes = small().toBytes().slice();
  const ev = batchesOf(bytes, 22).find((b) => b.m === 0)!;
  bytes[ev.dataOffset] = 200; // the first event's type byte
  const { error } = read(bytes);
  expectError(error, "unknown-event", "found invalid event type: 200", {
    offset: ev.dataOffset,
    generation: 1,
    m: 0,
  });
});

Deno.test("errors: bad-table-id", () => {
  // An event naming a stack the complete table does not have.
  const t = new TraceBuilder(22);
  t.generation(1).batch(0, 100)
    .event("ProcStatus", { dt: 0, p: 0, pstatus: 1 })
    .event("GoStatus", { dt: 0, g: 1, m: 0, gstatus: 2 })
    .raw("GoBlock", [1, 0, 9]);
  const built = t.toBytes();
  const { events, error } = read(built);
  assert.equal(events.length, 3);
  expectError(error, "bad-table-id", "found invalid stack ID 9 for event GoBlock", {
    generation: 1,
    m: 0,
  });
  // The same when every advance is its own step (as the stepper does): the
  // error comes after the same events, not an early end of the trace.
  const stepped: string[] = [];
  const r = Reader.fromBytes(built);
  r.engine!.batching = false;
  assert.throws(
    () => {
      for (let ev = r.readEvent(); ev; ev = r.readEvent()) stepped.push(ev.toString());
    },
    (e) => e instanceof TraceError && e.code === "bad-table-id" && e.m === 0,
  );
  assert.deepEqual(stepped, events);
  assert.equal(error!.batch, 0);
  // Located at the GoBlock itself: its type byte, then dt=1, reason 0, stack 9.
  assert.deepEqual([...built.subarray(error!.offset!, error!.offset! + 4)], [20, 1, 0, 9]);
  // A stack frame naming a string the table does not have.
  const bytes = small().toBytes().slice();
  const stacks = batchesOf(bytes, 22).find((b) => b.data[0] === 2)!;
  // Stacks body: [Stacks, Stack, id=1, n=1, pc, func, file, line]; pc is 4 bytes.
  const func = stacks.dataOffset + 4 + uv(0x401000).length;
  bytes[func] = 100;
  const { error: e2 } = read(bytes);
  expectError(e2, "bad-table-id", "found invalid func string ID 100 for stack 1", {
    offset: 16,
    generation: 1,
  });
});

Deno.test("errors: bad-table", () => {
  const t = new TraceBuilder(22);
  t.generation(1).without("sync").batch(0, 100).event("ProcStatus", { dt: 0, p: 0, pstatus: 1 });
  const { error } = read(t.toBytes());
  expectError(error, "bad-table", "no frequency event found", { offset: 16, generation: 1 });

  const d = new TraceBuilder(22);
  const g = d.generation(1);
  g.batch(0, 100).event("ProcStatus", { dt: 0, p: 0, pstatus: 1 });
  g.batch(-1, 100).raw("Strings", []).raw("String", [5], "a").raw("String", [5], "b");
  const bytes = d.toBytes();
  const dup = batchesOf(bytes, 22)[1];
  const { error: e2 } = read(bytes);
  expectError(e2, "bad-table", "multiple strings with the same ID: id=5, new=b, existing=a", {
    offset: dup.dataOffset + dup.data.length,
    generation: 1,
    m: -1,
  });
});

Deno.test("errors: bad-generation", () => {
  const t = small();
  t.generation(3).batch(0, 200).event("ProcStatus", { dt: 0, p: 0, pstatus: 1 });
  const bytes = t.toBytes();
  const g3 = batchesOf(bytes, 22).find((b) => b.gen === 3)!;
  const { events, error } = read(bytes);
  assert.equal(events.length, 1); // the Sync the reference gives before an error
  expectError(error, "bad-generation", "generations out of order", {
    offset: g3.offset,
    generation: 3,
    m: 0,
  });
});

Deno.test("errors: ordering", () => {
  const t = new TraceBuilder(22);
  t.generation(1).batch(0, 100).event("GoCreate", { dt: 0, new_g: 5, new_stack: [], stack: [] });
  const bytes = t.toBytes();
  const b = batchesOf(bytes, 22)[0];
  const { events, error } = read(bytes);
  assert.equal(events.length, 1);
  expectError(error, "ordering", "expected a proc but didn't have one", {
    offset: b.dataOffset,
    generation: 1,
    m: 0,
  });
});

Deno.test("errors: io", async () => {
  await assert.rejects(Reader.open("/nonexistent/dir/x.trace"), (e) => {
    assert.ok(e instanceof TraceError);
    assert.equal(e.code, "io");
    assert.match(e.message, /^cannot open \/nonexistent\/dir\/x\.trace: /);
    return true;
  });
  // A stream that fails mid-trace: its error, not what the missing tail broke.
  const part = small().toBytes().subarray(0, 40);
  let sent = false;
  const failing = new ReadableStream<Uint8Array>({
    pull(c) {
      if (!sent) {
        sent = true;
        c.enqueue(part);
      } else c.error(new Error("connection reset"));
    },
  });
  const r = await Reader.open(failing);
  await assert.rejects(async () => {
    for await (const _ of r) { /* drain */ }
  }, (e) => {
    assert.ok(e instanceof TraceError);
    assert.equal(e.code, "io");
    assert.equal(e.message, "reading input: connection reset");
    return true;
  });
});

Deno.test("errors: bad-text (the textual format: a line, not a byte offset)", () => {
  assert.throws(() => parseText("Trace Go1.22\nBogus x=1\n"), (e) => {
    expectError(e as TraceError, "bad-text", "unidentified event: Bogus", { line: 2 });
    return true;
  });
});

Deno.test("errors: internal (a bug of ours, never the input's) keeps the original as cause", () => {
  const bug = new RangeError("offset is out of bounds");
  const e = TraceError.from(bug, { generation: 2, m: 7 });
  expectError(e, "internal", "internal error: RangeError: offset is out of bounds", {
    generation: 2,
    m: 7,
  });
  assert.equal(e.cause, bug);
  assert.equal(TraceError.from(e), e);
});

Deno.test("errors: toString says what, where and why", () => {
  const { error } = read(Uint8Array.from([...H22, 1, 1, 0, 0, 10, 1, 2, 3]));
  assert.equal(
    error.toString(),
    "TraceError [truncated]: failed to read full batch: read 3 but wanted 10 at byte 16 " +
      "(generation 1, M 0); the input ends early at byte 24",
  );
});

Deno.test("errors: a failed reader keeps failing the same way", () => {
  const r = Reader.fromBytes(Uint8Array.from([...H22, 7]));
  let first: unknown;
  for (;;) {
    try {
      if (!r.readEvent()) break;
    } catch (e) {
      first = e;
      break;
    }
  }
  assert.ok(first instanceof TraceError);
  assert.throws(() => r.readEvent(), (e) => e === first);
});
