/**
 * Tests for scripts/dump.ts, run as a subprocess the way `deno task dump`
 * runs it: its output must be byte-identical to the reference's
 * `NAME.expect(.gz)` text.
 */

import assert from "node:assert/strict";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { gunzipText, gzip } from "../helpers/gzip.ts";
import { type Run, runDeno } from "../helpers/run.ts";

const DUMP = new URL("../../scripts/dump.ts", import.meta.url).pathname;

function dump(args: string[], stdin?: Uint8Array): Promise<Run> {
  return runDeno(["run", "--allow-read", DUMP, ...args], { stdin });
}

/** A small real trace and the reference's text for it. */
async function sample(): Promise<{ trace: string; expect: string } | null> {
  if (!corpusAvailable()) return null;
  const base = `${CORPUS_DIR}/real/go1.22/annotations`;
  const expect = await gunzipText(`${base}.expect.gz`);
  return { trace: `${base}.trace`, expect };
}

Deno.test("dump: output is the reference's text, byte for byte", async () => {
  const s = await sample();
  if (!s) return;
  const r = await dump([s.trace]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, s.expect);
});

Deno.test("dump: gzip input, from a file and from stdin", async () => {
  const s = await sample();
  if (!s) return;
  const gz = await gzip(Deno.readFileSync(s.trace));
  const file = await Deno.makeTempFile({ suffix: ".trace.gz" });
  try {
    await Deno.writeFile(file, gz);
    assert.equal((await dump([file])).out, s.expect);
  } finally {
    await Deno.remove(file);
  }
  assert.equal((await dump(["-"], gz)).out, s.expect);
});

Deno.test("dump --count prints the number of events", async () => {
  const s = await sample();
  if (!s) return;
  const blocks = s.expect.split("\n").filter((l) => l.startsWith("M=")).length;
  const r = await dump(["--count", s.trace]);
  assert.equal(r.code, 0);
  assert.equal(r.out, `${blocks}\n`);
});

Deno.test("dump --workers: the same text, count and error as the sequential read", async () => {
  const { pingPongTrace } = await import("../../benches/synthetic.ts");
  const file = await Deno.makeTempFile({ suffix: ".trace" });
  try {
    // Six generations: read on the workers, not by the sequential fallback.
    await Deno.writeFile(file, pingPongTrace(6, 300));
    const seq = await dump([file]);
    const par = await dump(["--workers=2", file]);
    assert.equal(par.code, 0, par.err);
    assert.equal(par.out, seq.out);
    assert.equal(seq.out.match(/ Sync /g)?.length, 7);
    const count = await dump(["--count", "--workers=3", file]);
    assert.equal(count.out, `${seq.out.split("\n").filter((l) => l.startsWith("M=")).length}\n`);
  } finally {
    await Deno.remove(file);
  }
  const s = await sample();
  if (!s) return;
  assert.equal((await dump(["--workers=2", s.trace])).out, s.expect);
  const bad = `${CORPUS_DIR}/fuzz/0cb1786dee0f090b`;
  const r = await dump(["--workers=2", `${bad}.trace`]);
  assert.equal(r.code, 1);
  assert.equal(r.out, Deno.readTextFileSync(`${bad}.expect`));
  const usage = await dump(["--workers=0", s.trace]);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--workers must be a whole number/);
});

Deno.test("dump: a bad trace ends with ERROR: and exits 1", async () => {
  if (!corpusAvailable()) return;
  // A fuzz input the reference rejects after its first Sync event.
  const base = `${CORPUS_DIR}/fuzz/0cb1786dee0f090b`;
  const r = await dump([`${base}.trace`]);
  assert.equal(r.code, 1);
  assert.equal(r.out, Deno.readTextFileSync(`${base}.expect`));
  assert.match(r.out, /\nERROR: [^\n]+\n$/);
});

Deno.test("dump: usage", async () => {
  const help = await dump(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: deno task dump/);
  const none = await dump([]);
  assert.equal(none.code, 2);
  assert.match(none.err, /expected one FILE/);
  const bad = await dump(["--nope", "x"]);
  assert.equal(bad.code, 2);
  const missing = await dump(["/nonexistent/x.trace"]);
  assert.equal(missing.code, 1);
  assert.match(missing.out, /^ERROR: cannot open/);
});

Deno.test("dump --decode-only counts the wire's timed events without ordering them", async () => {
  const { scanWireEvents } = await import("../../src/wire/decode.ts");
  const file = new URL("../../testdata/demo.trace", import.meta.url).pathname;
  const want = scanWireEvents(Deno.readFileSync(file), () => {}).events;
  const r = await dump(["--decode-only", file]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `${want}\n`);
  // The ordered read has more: a Sync per generation and one at the end.
  const ordered = await dump(["--count", file]);
  assert.ok(Number(ordered.out) > want);
  const bad = await dump(
    ["--decode-only", "-"],
    new TextEncoder().encode("go 1.25 trace\0\0\0\x05"),
  );
  assert.equal(bad.code, 1);
  assert.match(bad.out, /^ERROR: /m);
});

Deno.test("dump --decode-only: a file of 8 MB or more is decoded on two threads, with the same count", async () => {
  const { scanWireEvents } = await import("../../src/wire/decode.ts");
  const { pingPongTrace } = await import("../../benches/synthetic.ts");
  const bytes = pingPongTrace(4, 400_000); // 8.8 MB
  const file = await Deno.makeTempFile({ suffix: ".trace" });
  try {
    await Deno.writeFile(file, bytes);
    const want = `${scanWireEvents(bytes).events}\n`;
    const two = await dump(["--decode-only", file]);
    const one = await dump(["--decode-only", "--workers=1", file]);
    assert.equal(two.code, 0, two.err);
    assert.equal(two.out, want);
    assert.equal(one.out, want);
    // Cut short: the error of the one-thread scan, on both.
    await Deno.writeFile(file, bytes.subarray(0, bytes.length - 1000));
    const cut2 = await dump(["--decode-only", file]);
    const cut1 = await dump(["--decode-only", "--workers=1", file]);
    assert.equal(cut2.code, 1);
    assert.match(cut2.out, /^ERROR: /);
    assert.equal(cut2.out, cut1.out);
  } finally {
    await Deno.remove(file);
  }
});
