/**
 * A big gzip file is inflated on a worker (`WorkerGunzipInput`): the bytes,
 * the end and the failure must be the ones the main thread's own gzip
 * reading gives for the same file, member by member, cut, corrupt or with
 * garbage after it; and a Reader on such a file reads what it reads from
 * the same bytes in memory.
 */

import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { openByteInputHere } from "../../src/reader/input.ts";
import type { ByteInput } from "../../src/reader/input.ts";
import { startWorkerGunzip } from "../../src/reader/worker_input.ts";
import { Reader } from "../../src/reader/reader.ts";
import { TraceError } from "../../src/trace_error.ts";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";

/** Everything an input gives: its bytes (by length and a hash) and its failure. */
async function drain(input: ByteInput): Promise<string> {
  let n = 0, h = 0;
  try {
    for (let c = await input.read(); c !== null; c = await input.read()) {
      for (let i = 0; i < c.length; i++) h = (Math.imul(h, 31) + c[i]) | 0;
      n += c.length;
    }
  } catch (e) {
    const code = e instanceof TraceError ? ` [${e.code}]` : "";
    return `${n} bytes, hash ${h}, then ${(e as Error).message}${code}`;
  }
  return `${n} bytes, hash ${h}, end`;
}

function withFile<T>(bytes: Uint8Array, f: (path: string) => Promise<T>): Promise<T> {
  const path = Deno.makeTempFileSync({ suffix: ".gz" });
  Deno.writeFileSync(path, bytes);
  return f(path).finally(() => Deno.removeSync(path));
}

Deno.test("gzip worker: the same bytes and failures as gzip read on the main thread", async () => {
  // Incompressible enough to span several of the worker's megabyte chunks.
  let x = 1;
  const plain = new Uint8Array(5 << 20).map(() => (x = Math.imul(x, 1103515245) + 12345) >>> 24);
  // A copy: a Buffer's slice() is a view, and the corrupt copy below must not touch it.
  const one = new Uint8Array(gzipSync(plain));
  const two = new Uint8Array([
    ...gzipSync(plain.subarray(0, 3 << 20)),
    ...gzipSync(plain.subarray(3 << 20)),
  ]);
  const corrupt = one.slice();
  corrupt[corrupt.length - 6] ^= 0xff; // the CRC
  const cases: [string, Uint8Array][] = [
    ["one member", one],
    ["two members", two],
    ["cut in the deflate data", one.subarray(0, Math.floor(one.length * 0.7))],
    ["cut in the trailer", one.subarray(0, one.length - 3)],
    ["bad CRC", corrupt],
    ["garbage after", new Uint8Array([...one, 1, 2, 3])],
    ["empty member after", new Uint8Array([...one, ...gzipSync(new Uint8Array(0))])],
  ];
  for (const [what, bytes] of cases) {
    await withFile(bytes, async (path) => {
      const want = await drain(await openByteInputHere(path));
      const got = await drain((await startWorkerGunzip(path))!);
      assert.equal(got, want, what);
      if (what === "one member") assert.match(want, new RegExp(`^${plain.length} bytes, .*end$`));
      if (what.startsWith("cut") || what === "bad CRC" || what === "garbage after") {
        assert.doesNotMatch(want, /end$/, `${what} must fail`);
      }
    });
  }
});

Deno.test("gzip worker: a missing file fails like the main thread's read", async () => {
  const path = `${Deno.makeTempDirSync()}/missing.gz`;
  let want = "";
  try {
    await openByteInputHere(path);
  } catch (e) {
    want = (e as Error).message;
  }
  assert.match(want, /cannot open/);
  assert.equal(await drain((await startWorkerGunzip(path))!), `0 bytes, hash 0, then ${want} [io]`);
});

Deno.test("gzip worker: cancel stops it; a chunk handed back comes back filled", async () => {
  let x = 7;
  const plain = new Uint8Array(4 << 20).map(() => (x = Math.imul(x, 1103515245) + 12345) >>> 24);
  await withFile(gzipSync(plain), async (path) => {
    const input = (await startWorkerGunzip(path))!;
    const a = (await input.read())!;
    const b = (await input.readAfter(new Uint8Array([1, 2, 3])))!;
    // The carried-over bytes sit in the room before the chunk: no copy.
    assert.equal(b.buffer.byteLength, a.buffer.byteLength);
    assert.deepEqual(b.subarray(0, 3), new Uint8Array([1, 2, 3]));
    assert.deepEqual(b.subarray(3), plain.subarray(a.length, a.length + b.length - 3));
    const size = a.buffer.byteLength;
    input.release(a);
    assert.equal(a.buffer.byteLength, 0, "moved back to the worker");
    let reused = false;
    for (let c = await input.read(); c !== null && !reused; c = await input.read()) {
      reused = c.buffer.byteLength === size;
    }
    assert.ok(reused);
    await input.cancel();
    assert.equal(await input.read(), null);
  });
});

Deno.test("gzip worker: a Reader on a big gzip file reads what the bytes in memory give", async () => {
  if (!corpusAvailable()) return;
  const gz = Deno.readFileSync(`${CORPUS_DIR}/perf/workmix-20s.go1.25.trace.gz`);
  // Whole, and cut (still big enough for the worker): events, then the same error.
  for (const bytes of [gz, gz.subarray(0, 9_500_000)]) {
    const read = async (src: string | Uint8Array) => {
      let n = 0, h = 0;
      try {
        await (await Reader.open(src)).forEach((ev) => {
          n++;
          h = (Math.imul(h, 31) + ev.time + ev.type + ev.goroutine) | 0;
        });
      } catch (e) {
        return `${n} events, hash ${h}, then ${(e as TraceError).code}: ${(e as Error).message}`;
      }
      return `${n} events, hash ${h}`;
    };
    const want = await read(bytes);
    const got = await withFile(bytes, (path) => read(path));
    assert.equal(got, want);
    if (bytes === gz) assert.match(want, /^14878759 events/);
    else assert.match(want, /then truncated: /);
  }
});

Deno.test("gzip worker: a reader dropped before its end does not keep the process alive", async () => {
  if (!corpusAvailable()) return;
  const mod = new URL("../../mod.ts", import.meta.url).href;
  const file = `${CORPUS_DIR}/perf/workmix-20s.go1.25.trace.gz`;
  for (
    const body of [
      "", // opened, never read
      "let n = 0; for await (const _ of r) if (++n > 10) break;",
      "await r.forEach(() => { throw new Error('enough'); }).catch(() => {});",
    ]
  ) {
    const code = `import { Reader } from "${mod}";\nconst r = await Reader.open(${
      JSON.stringify(file)
    });\n${body}\nconsole.log("done");`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(new TextDecoder().decode(out.stdout), "done\n");
  }
});
