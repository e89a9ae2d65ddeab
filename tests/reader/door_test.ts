/**
 * The fast door: reading a path, gzip, a stream of any chunking or stdin
 * through `forEach`, `chunks` and `for await` gives exactly the events and
 * the error that `Reader.fromBytes` gives for the same bytes.
 */

import assert from "node:assert/strict";
import { Reader, readTraceBytes, type TraceSource } from "../../src/reader/reader.ts";
import type { Event } from "../../src/events/event.ts";
import { TraceError } from "../../src/trace_error.ts";
import { CORPUS_DIR, corpusAvailable, eventFields } from "../helpers/corpus.ts";
import { gzip } from "../helpers/gzip.ts";
import { testdataTraces } from "../helpers/read.ts";
import { runDeno } from "../helpers/run.ts";

const ROOT = decodeURIComponent(new URL("../..", import.meta.url).pathname);

/**
 * What a read gave: every event (its text, or for speed on big traces the
 * numbers it is made of, which its text is a function of), then the
 * error's code and message.
 */
interface Read {
  events: string[];
  error: string | null;
}

const fields = eventFields;

function errorOf(e: unknown): string {
  if (!(e instanceof TraceError)) throw e;
  return `${e.code}: ${e.message}`;
}

function fromBytes(bytes: Uint8Array, show: (ev: Event) => string = String): Read {
  const events: string[] = [];
  try {
    const r = Reader.fromBytes(bytes);
    for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) events.push(show(ev));
  } catch (e) {
    return { events, error: errorOf(e) };
  }
  return { events, error: null };
}

async function viaForEach(src: TraceSource, show: (ev: Event) => string = String): Promise<Read> {
  const events: string[] = [];
  try {
    const r = await Reader.open(src);
    const n = await r.forEach((ev) => events.push(show(ev)));
    assert.equal(n, events.length);
  } catch (e) {
    return { events, error: errorOf(e) };
  }
  return { events, error: null };
}

async function viaChunks(
  src: TraceSource,
  max: number,
  show: (ev: Event) => string = String,
): Promise<Read> {
  const events: string[] = [];
  try {
    for await (const arr of (await Reader.open(src)).chunks(max)) {
      assert.ok(arr.length > 0 && arr.length <= max);
      for (const ev of arr) events.push(show(ev));
    }
  } catch (e) {
    return { events, error: errorOf(e) };
  }
  return { events, error: null };
}

async function viaIterator(src: TraceSource, show: (ev: Event) => string = String): Promise<Read> {
  const events: string[] = [];
  try {
    for await (const ev of await Reader.open(src)) events.push(show(ev));
  } catch (e) {
    return { events, error: errorOf(e) };
  }
  return { events, error: null };
}

/** A stream of `bytes` in chunks of `size` bytes. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= bytes.length) return c.close();
      c.enqueue(bytes.slice(off, off + size));
      off += size;
    },
  });
}

function same(got: Read, want: Read, what: string): void {
  assert.equal(got.events.length, want.events.length, `${what}: number of events`);
  for (let i = 0; i < want.events.length; i++) {
    if (got.events[i] !== want.events[i]) {
      assert.fail(`${what}: event ${i}: got\n${got.events[i]}\nwant\n${want.events[i]}`);
    }
  }
  assert.equal(got.error, want.error, `${what}: error`);
}

function traceFiles(): string[] {
  const files: string[] = [];
  for (const name of testdataTraces()) files.push(`${ROOT}testdata/${name}`);
  if (corpusAvailable()) {
    for (const v of Deno.readDirSync(`${CORPUS_DIR}/real`)) {
      for (const e of Deno.readDirSync(`${CORPUS_DIR}/real/${v.name}`)) {
        if (e.name.endsWith(".trace")) files.push(`${CORPUS_DIR}/real/${v.name}/${e.name}`);
      }
    }
    for (const e of Deno.readDirSync(`${CORPUS_DIR}/fuzz`)) {
      if (e.name.endsWith(".trace")) files.push(`${CORPUS_DIR}/fuzz/${e.name}`);
    }
  }
  return files.sort();
}

Deno.test("door: path, gzip and streams of any chunking give fromBytes' events and error", async (t) => {
  const files = traceFiles();
  assert.ok(files.length >= 10, `only ${files.length} traces found`);
  for (const file of files) {
    const name = file.slice(file.lastIndexOf("/", file.lastIndexOf("/") - 1) + 1);
    await t.step(name, async () => {
      const bytes = Deno.readFileSync(file);
      // The text of every event (the smaller traces: stacks make it slow),
      // then the other doors by the numbers each event is made of.
      if (bytes.length < 500_000) same(await viaForEach(file), fromBytes(bytes), "path, text");
      const want = fromBytes(bytes, fields);
      same(await viaForEach(file, fields), want, "path, forEach");
      same(await viaChunks(file, 1000, fields), want, "path, chunks(1000)");
      same(await viaIterator(file, fields), want, "path, for await");
      same(await viaForEach(await gzip(bytes), fields), want, "gzip bytes");
      // Byte-sized chunks cost a stream read each: the smaller traces only.
      const tiny = bytes.length < 200_000 ? 1 : 997;
      same(await viaForEach(chunked(bytes, tiny), fields), want, `stream of ${tiny}-byte chunks`);
      same(await viaForEach(chunked(bytes, 65_537), fields), want, "stream of 64 KiB chunks");
    });
  }
});

Deno.test("door: a truncated trace through every door fails as fromBytes does", async () => {
  const bytes = Deno.readFileSync(`${ROOT}testdata/demo.trace`);
  for (const cut of [17, 100, Math.floor(bytes.length / 2), bytes.length - 3]) {
    const part = bytes.slice(0, cut);
    const want = fromBytes(part);
    assert.ok(want.error !== null, `cut at ${cut} must fail`);
    same(await viaForEach(part), want, `cut at ${cut}, bytes`);
    same(await viaForEach(chunked(part, 3)), want, `cut at ${cut}, stream`);
    same(await viaChunks(chunked(part, 50), 7), want, `cut at ${cut}, chunks`);
  }
});

Deno.test("door: a stream that fails midway gives the events before the failure, then its error", async () => {
  const bytes = Deno.readFileSync(`${ROOT}testdata/demo.trace`);
  const half = Math.floor(bytes.length / 2);
  // What the bytes that arrived give, read as a cut trace.
  const cut = fromBytes(bytes.subarray(0, half));
  const failing = (size: number) => {
    let off = 0;
    return new ReadableStream<Uint8Array>({
      pull(c) {
        if (off >= half) return c.error(new Error("connection reset"));
        c.enqueue(bytes.slice(off, Math.min(half, off + size)));
        off += size;
      },
    });
  };
  for (const size of [1, 1000, half]) {
    const got = await viaForEach(failing(size));
    assert.deepEqual(got.events, cut.events, `chunks of ${size}: events`);
    assert.equal(got.error, "io: reading input: connection reset", `chunks of ${size}: error`);
  }
});

Deno.test("door: standard input reads like the file", async () => {
  const file = `${ROOT}testdata/demo.trace`;
  const run = async (args: string[], stdin?: Uint8Array) => {
    const r = await runDeno(["run", "--allow-read", "scripts/dump.ts", ...args], { stdin });
    return { code: r.code, text: r.out };
  };
  const bytes = Deno.readFileSync(file);
  const fromFile = await run([file]);
  assert.equal(fromFile.code, 0);
  assert.equal((await run(["-"], bytes)).text, fromFile.text);
  assert.equal((await run(["-"], await gzip(bytes))).text, fromFile.text);
  // Two gzip members, as `cat a.gz b.gz` makes: one stream, as gzip(1) reads it.
  const cut = Math.floor(bytes.length / 3);
  const a = await gzip(bytes.subarray(0, cut)), b = await gzip(bytes.subarray(cut));
  const members = new Uint8Array(a.length + b.length);
  members.set(a, 0);
  members.set(b, a.length);
  assert.equal((await run(["-"], members)).text, fromFile.text);
  const want = fromBytes(bytes).events.map((s) => s + "\n").join("");
  assert.equal(fromFile.text, want);
});

Deno.test("door: breaking out of for await stops the read; forEach rethrows what its callback throws", async () => {
  const file = `${ROOT}testdata/demo.trace`;
  const r = await Reader.open(file);
  let n = 0;
  for await (const _ of r) if (++n === 5) break;
  assert.equal(n, 5);
  const r2 = await Reader.open(file);
  const oops = new Error("stop here");
  let seen = 0;
  await assert.rejects(
    r2.forEach(() => {
      if (++seen === 3) throw oops;
    }),
    (e) => e === oops,
  );
  assert.equal(seen, 3);
  await r2.close();
});

Deno.test("door: a file of many generations, read into reused buffers, gives fromBytes' events", async () => {
  const { pingPongTrace } = await import("../../benches/synthetic.ts");
  // Generations of about 2.5 MB: each spans several of the file input's
  // megabyte chunks, whose buffers are handed back and filled again while
  // later generations are gathered; and a cut one at the end.
  const whole = pingPongTrace(8, 600_000);
  assert.ok(whole.length > 16 << 20, `only ${whole.length} bytes`);
  for (const bytes of [whole, whole.subarray(0, whole.length - 1_234_567)]) {
    const path = Deno.makeTempFileSync({ suffix: ".trace" });
    try {
      Deno.writeFileSync(path, bytes);
      // Folded to numbers as they come: millions of events.
      const fold = () => {
        let h = 0, n = 0;
        const visit = (ev: Event) => {
          n++;
          h = (Math.imul(h, 31) + ev.time + ev.thread * 7 + ev.goroutine * 13 + ev.type + ev.a0 +
            ev.a1) | 0;
        };
        return { visit, get: () => `${n} events, hash ${h}` };
      };
      const want = fold();
      let wantError: string | null = null;
      try {
        const r = Reader.fromBytes(bytes);
        for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) want.visit(ev);
      } catch (e) {
        wantError = errorOf(e);
      }
      const got = fold();
      let gotError: string | null = null;
      try {
        await (await Reader.open(path)).forEach(got.visit);
      } catch (e) {
        gotError = errorOf(e);
      }
      assert.equal(got.get(), want.get());
      assert.equal(gotError, wantError);
      assert.equal(
        wantError === null,
        bytes === whole,
        "the cut trace fails, the whole one does not",
      );
    } finally {
      Deno.removeSync(path);
    }
  }
});

Deno.test("door: readTraceBytes reads a file in one array, plain or gzip, with its limit", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "whole-" });
  try {
    // Bigger than a chunk, so that the first chunk is read apart from the rest.
    const plain = new Uint8Array(3 * 1024 * 1024 + 7);
    plain.set(new TextEncoder().encode("go 1.22 trace\0\0\0"));
    for (let i = 16; i < plain.length; i++) plain[i] = (i * 31) & 0xff;
    Deno.writeFileSync(`${dir}/x.trace`, plain);
    Deno.writeFileSync(`${dir}/x.trace.gz`, await gzip(plain));
    for (const f of ["x.trace", "x.trace.gz"]) {
      const got = await readTraceBytes(`${dir}/${f}`);
      assert.equal(got.length, plain.length, f);
      assert.ok(got.every((b, i) => b === plain[i]), f);
    }
    // The read of the rest sizes its array from the file's size.
    const got = await readTraceBytes(new URL(`file://${dir}/x.trace`));
    assert.equal(got.buffer.byteLength, plain.length + 1);
    // Over maxInputBytes: the limit holds on this path too.
    await assert.rejects(
      () => readTraceBytes(`${dir}/x.trace`, { maxInputBytes: 1 << 20 }),
      (e: unknown) => e instanceof TraceError && /1048576/.test(e.message),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
