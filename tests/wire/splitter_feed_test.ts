/**
 * Two ways of feeding the generation splitter give the same generations:
 * `push` of each chunk, and `pushAfterUnread` of chunks that an input read
 * in after the splitter's `unread` bytes (how a file is read, without a
 * copy of every chunk). Also the file input's `readAfter` itself.
 */

import assert from "node:assert/strict";
import { type Generation, GenerationSplitter } from "../../src/wire/generation.ts";
import { headerLength, readHeader } from "../../src/wire/header.ts";
import { openByteInput } from "../../src/reader/input.ts";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { testdataBytes } from "../helpers/read.ts";

/** A generation as text: its number, offset and each M's batches' bytes (hashed by sum). */
function describe(g: Generation): string {
  const ms = g.batchMs.map((m) => {
    const bs = g.batches.get(m)!;
    const sums = bs.map((b) =>
      `${b.data.length}:${b.data.reduce((s, x) => (s * 31 + x) >>> 0, 7)}`
    );
    return `M${m}[${sums.join(",")}]`;
  });
  return `gen ${g.gen} @${g.offset} batches=${g.batchCount} ${ms.join(" ")}`;
}

/** Everything the splitter yields for `bytes` fed in chunks of the given sizes. */
function split(bytes: Uint8Array, sizes: number[], after: boolean): string[] {
  const version = readHeader(bytes);
  const hl = headerLength(version);
  const s = new GenerationSplitter(version, hl);
  const out: string[] = [];
  let at = hl;
  let k = 0;
  const drain = () => {
    for (;;) {
      const r = s.next();
      if (r.kind === "more" || r.kind === "end") return r.kind;
      if (r.kind === "error") {
        out.push(`error ${r.error.code}: ${r.error.message}`);
        return "end";
      }
      out.push(describe(r.generation) + (r.error ? ` then ${r.error.message}` : ""));
    }
  };
  while (at < bytes.length) {
    const n = Math.min(sizes[k++ % sizes.length], bytes.length - at);
    const chunk = bytes.subarray(at, at + n);
    at += n;
    if (after) {
      // What a file input's readAfter hands back: the unread bytes, then the chunk.
      const unread = s.unread;
      const joined = new Uint8Array(unread.length + n);
      joined.set(unread);
      joined.set(chunk, unread.length);
      s.pushAfterUnread(joined);
    } else s.push(chunk);
    if (drain() === "end") return out;
  }
  s.finish();
  drain();
  return out;
}

function traces(): { name: string; bytes: Uint8Array }[] {
  const list = [{ name: "syscall-simple", bytes: testdataBytes("syscall-simple") }];
  if (corpusAvailable()) {
    for (const v of ["go1.22", "go1.25"]) {
      const path = `${CORPUS_DIR}/real/${v}/gc-stress.trace`;
      list.push({ name: `${v}/gc-stress`, bytes: Deno.readFileSync(path) });
    }
  }
  return list;
}

Deno.test("splitter: pushAfterUnread gives push's generations, whole and cut, for any chunking", () => {
  for (const { name, bytes } of traces()) {
    for (const sizes of [[1 << 20], [65_537, 3_001], [200_000, 17, 99_991]]) {
      const want = split(bytes, sizes, false);
      assert.ok(want.length >= 1, `${name}: no generation`);
      assert.deepEqual(split(bytes, sizes, true), want, `${name}, chunks ${sizes}`);
      // Cut in the middle of a batch: the same generations, then the same error.
      const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6) + 3);
      const wantCut = split(cut, sizes, false);
      assert.deepEqual(split(cut, sizes, true), wantCut, `${name} cut, chunks ${sizes}`);
    }
  }
});

Deno.test("splitter: pushAfterUnread refuses a chunk that lacks the unread bytes", () => {
  const bytes = testdataBytes("syscall-simple");
  const version = readHeader(bytes);
  const s = new GenerationSplitter(version, headerLength(version));
  // Half a batch header: all of it unread.
  s.push(bytes.subarray(headerLength(version), headerLength(version) + 5));
  assert.equal(s.next().kind, "more");
  assert.equal(s.unread.length, 5);
  assert.throws(() => s.pushAfterUnread(new Uint8Array(3)), RangeError);
});

Deno.test("file input: readAfter puts the prefix before the next bytes of the file", async () => {
  const path = new URL("../../testdata/syscall-simple.trace", import.meta.url);
  const bytes = Deno.readFileSync(path);
  const input = await openByteInput(path);
  // The first chunk was read to sniff gzip, and comes back from read().
  assert.equal(input.readAfter, undefined);
  const first = (await input.read())!;
  assert.deepEqual(first, bytes.subarray(0, first.length));
  assert.equal(typeof input.readAfter, "function");
  // The small file is one chunk: nothing after it, whatever the prefix.
  assert.equal(await input.readAfter!(new Uint8Array([1, 2])), null);
  await input.cancel();
});

Deno.test("file input: readAfter across a big file gives every byte once, after each prefix", async () => {
  if (!corpusAvailable()) return;
  const path = `${CORPUS_DIR}/real/go1.25/gc-stress.trace`;
  const bytes = Deno.readFileSync(path);
  assert.ok(bytes.length > 1 << 20, "the trace spans more than one chunk");
  const input = await openByteInput(path);
  let at = (await input.read())!.length;
  let prefix = new Uint8Array([0xaa, 0xbb, 0xcc]);
  for (;;) {
    const c = await input.readAfter!(prefix);
    if (c === null) break;
    assert.deepEqual(c.subarray(0, prefix.length), prefix);
    const body = c.subarray(prefix.length);
    assert.ok(body.length > 0);
    assert.deepEqual(body, bytes.subarray(at, at + body.length));
    at += body.length;
    prefix = body.subarray(body.length - 7);
  }
  assert.equal(at, bytes.length);
});

Deno.test("file input: a chunk handed back is filled again by a later read", async () => {
  const path = Deno.makeTempFileSync({ suffix: ".bin" });
  try {
    const bytes = new Uint8Array(5 << 20).map((_, i) => (i * 7919) & 0xff);
    Deno.writeFileSync(path, bytes);
    const input = await openByteInput(path);
    const first = (await input.read())!;
    const a = (await input.readAfter!(new Uint8Array(0)))!;
    const b = (await input.readAfter!(new Uint8Array(0)))!;
    assert.notEqual(a.buffer, b.buffer);
    input.release!(a);
    const c = (await input.readAfter!(new Uint8Array([9])))!;
    assert.equal(c.buffer, a.buffer, "the released buffer is reused");
    assert.equal(c[0], 9);
    const at = first.length + a.length + b.length;
    assert.deepEqual(c.subarray(1), bytes.subarray(at, at + c.length - 1));
    // A chunk it did not make is not taken.
    input.release!(new Uint8Array(100));
    const d = (await input.readAfter!(new Uint8Array(0)))!;
    assert.notEqual(d.buffer.byteLength, 100);
    await input.cancel();
  } finally {
    Deno.removeSync(path);
  }
});
