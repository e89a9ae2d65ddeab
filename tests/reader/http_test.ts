/**
 * Traces straight from a running program: a local server stands in for a
 * live `/debug/pprof/trace`, and every entry point reads its URL as it
 * arrives: `Reader.open`, `openTrace`, the REPL's `open()`, the commands.
 */

import assert from "node:assert/strict";
import { Reader } from "../../src/reader/reader.ts";
import { openTrace } from "../../src/display/explore.ts";
import { TraceError } from "../../src/trace_error.ts";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { gzip } from "../helpers/gzip.ts";

const ROOT = decodeURIComponent(new URL("../..", import.meta.url).pathname);
const DEMO = `${ROOT}testdata/demo.trace`;

/** A trace to serve: a real go1.25 one from the corpus when it is there. */
function servedTrace(): string {
  if (corpusAvailable()) return `${CORPUS_DIR}/real/go1.25/stress.trace`;
  console.warn("*** http test: corpus missing, serving testdata/demo.trace instead");
  return DEMO;
}

/**
 * Serves `bytes` at /debug/pprof/trace in small chunks with pauses (as a
 * live trace arrives), gzip at /trace.gz, and 404 elsewhere.
 */
function serve(bytes: Uint8Array, gz: Uint8Array) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/trace.gz") return new Response(gz as Uint8Array<ArrayBuffer>);
    if (path !== "/debug/pprof/trace") return new Response("no such thing", { status: 404 });
    let off = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (off >= bytes.length) return c.close();
        await new Promise((r) => setTimeout(r, 0));
        c.enqueue(bytes.slice(off, off + 4093));
        off += 4093;
      },
    });
    return new Response(body, { headers: { "content-type": "application/octet-stream" } });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return { server, base, url: `${base}/debug/pprof/trace?seconds=5` };
}

function texts(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const r = Reader.fromBytes(bytes);
  for (let ev = r.readEvent(); ev !== null; ev = r.readEvent()) out.push(ev.toString());
  return out;
}

async function run(script: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-write=/tmp", script, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, out: dec.decode(out.stdout), err: dec.decode(out.stderr) };
}

Deno.test("http: Reader.open, openTrace, the REPL and the commands read a served trace", async (t) => {
  const file = servedTrace();
  const bytes = Deno.readFileSync(file);
  const want = texts(bytes);
  const { server, base, url } = serve(bytes, await gzip(bytes));
  try {
    await t.step("Reader.open(url) as a string and as a URL, plain and gzip", async () => {
      for (const src of [url, new URL(url), `${base}/trace.gz`]) {
        const got: string[] = [];
        await (await Reader.open(src)).forEach((ev) => got.push(ev.toString()));
        assert.deepEqual(got, want, String(src));
      }
    });

    await t.step("a server's refusal is a TraceError io naming the URL and status", async () => {
      await assert.rejects(Reader.open(`${base}/nothing`), (e) => {
        assert.ok(e instanceof TraceError);
        assert.equal(e.code, "io");
        assert.equal(e.message, `cannot fetch ${base}/nothing: 404 Not Found`);
        return true;
      });
    });

    await t.step("openTrace(url)", async () => {
      const view = await openTrace(url);
      assert.equal(view.events.length, want.length);
      assert.equal(view.error, null);
      assert.equal(view.events.at(-1)!.toString(), want.at(-1));
    });

    await t.step("dump URL prints what dump FILE prints", async () => {
      const fromUrl = await run("scripts/dump.ts", [url]);
      assert.equal(fromUrl.code, 0, fromUrl.err);
      assert.equal(fromUrl.out, want.map((s) => s + "\n").join(""));
    });

    await t.step("every reading command takes the URL", async () => {
      for (
        const cmd of [
          ["summary"],
          ["events", "-n", "5"],
          ["goroutines"],
          ["syscalls"],
          ["steals"],
          ["validate"],
          ["export", "-o", "/tmp/gotrace-http-test.json"],
          ["pprof", "--kind=sched", "-o", "/tmp/gotrace-http-test.pb.gz"],
          ["text"],
        ]
      ) {
        const viaUrl = await run("scripts/trace.ts", [...cmd, url]);
        const viaFile = await run("scripts/trace.ts", [...cmd, file]);
        assert.equal(viaUrl.code, viaFile.code, `${cmd[0]}: ${viaUrl.err}`);
        // Outputs name their input: compare with the name swapped.
        assert.equal(viaUrl.out.replaceAll(url, file), viaFile.out, cmd[0]);
      }
    });

    await t.step("the REPL's open() takes the URL", async () => {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["repl", "--allow-net=127.0.0.1", "--allow-read", "--eval-file=scripts/repl.ts"],
        cwd: ROOT,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).spawn();
      const w = child.stdin.getWriter();
      await w.write(
        new TextEncoder().encode(
          `const t = await open(${JSON.stringify(url)})\nt.events.length\nclose()\n`,
        ),
      );
      await w.close();
      const out = await child.output();
      const text = new TextDecoder().decode(out.stdout);
      assert.match(text, new RegExp(`^${want.length}$`, "m"), text);
    });
  } finally {
    await server.shutdown();
  }
});
