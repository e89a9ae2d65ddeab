// The command line's outputs and inputs: -o never destroys anything (a
// temporary file renamed into place; the input refused as output; bad
// targets in one line), paths relative to INIT_CWD, and --partial with the
// line that says what a truncation lost.
import assert from "node:assert/strict";
import { Reader } from "../../src/reader/reader.ts";
import { TraceError } from "../../src/trace_error.ts";
import { type Run, runDeno, type RunOptions } from "../helpers/run.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const dec = new TextDecoder();

/** Runs a script as its `deno task` does (INIT_CWD readable), from the project root. */
function run(script: string, args: string[], opts: RunOptions = {}): Promise<Run> {
  return runDeno(
    ["run", "--allow-read", "--allow-write=/tmp", "--allow-env=INIT_CWD", script, ...args],
    opts,
  );
}
const trace = (args: string[], opts = {}) => run("scripts/trace.ts", args, opts);

/** `ln -s` (the test's write permission is scoped to /tmp, which symlinkSync refuses). */
function symlink(target: string, link: string): void {
  assert.ok(new Deno.Command("ln", { args: ["-s", target, link] }).outputSync().success);
}

/** One line on stderr, no stack frames. */
function oneLine(err: string, re: RegExp): void {
  assert.equal(err.trimEnd().split("\n").length, 1, err);
  assert.match(err.trimEnd(), re);
  assert.doesNotMatch(err, /^\s+at /m, err);
}

Deno.test("-o: a failing run leaves the old output intact and no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/out.json`;
    Deno.writeTextFileSync(out, "old\n");
    for (const cmd of [["export"], ["pprof", "--kind=sync"]]) {
      const r = await trace([...cmd, "-o", out, "testdata/fail-no-proc.trace"]);
      assert.equal(r.code, 1, r.err);
      assert.equal(Deno.readTextFileSync(out), "old\n");
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["out.json"]);
    }
    // A good run replaces it whole.
    const ok = await trace(["export", "-o", out, "testdata/demo.trace"]);
    assert.equal(ok.code, 0, ok.err);
    assert.ok(JSON.parse(Deno.readTextFileSync(out)).traceEvents.length > 0);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["out.json"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("-o: the input itself is refused (exit 2), even through a symlink; it stays as it was", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const input = `${dir}/in.trace`;
    Deno.copyFileSync(`${ROOT}testdata/demo.trace`, input);
    symlink(input, `${dir}/link.trace`);
    const before = Deno.readFileSync(input);
    for (const [cmd, out] of [["text", input], ["export", input], ["pprof", `${dir}/link.trace`]]) {
      const args = cmd === "pprof" ? [cmd, "--kind=sync"] : [cmd];
      const r = await trace([...args, "-o", out, input]);
      assert.equal(r.code, 2, `${cmd}: ${r.err}`);
      oneLine(r.err, new RegExp(`^trace ${cmd}: refusing to write .*: it is the input `));
      assert.deepEqual(Deno.readFileSync(input), before);
    }
    assert.equal([...Deno.readDirSync(dir)].length, 2);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("-o: a directory, a missing parent or a dangling symlink is one line, no stack", async () => {
  const dir = await Deno.makeTempDir();
  try {
    symlink(`${dir}/nowhere/x.json`, `${dir}/dangling.json`);
    const cases: [string, RegExp][] = [
      [dir, /^trace export: cannot write .*: is a directory$/],
      [`${dir}/no/such/x.json`, /^trace export: cannot write .*: no such directory .*\/no\/such$/],
      [`${dir}/dangling.json`, /^trace export: cannot write .*: dangling symbolic link/],
    ];
    for (const [out, re] of cases) {
      const r = await trace(["export", "-o", out, "testdata/demo.trace"]);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.out, "");
      oneLine(r.err, re);
    }
    const uid = dec.decode(new Deno.Command("id", { args: ["-u"] }).outputSync().stdout).trim();
    if (uid !== "0") {
      // (root may write anywhere: this case only means something for others)
      const ro = `${dir}/ro.json`;
      Deno.writeTextFileSync(ro, "keep");
      Deno.chmodSync(ro, 0o444);
      const r = await trace(["export", "-o", ro, "testdata/demo.trace"]);
      assert.equal(r.code, 2);
      oneLine(r.err, /^trace export: cannot write .*: permission denied$/);
      assert.equal(Deno.readTextFileSync(ro), "keep");
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("-o -: standard output", async () => {
  const r = await trace(["export", "-o", "-", "testdata/demo.trace"]);
  assert.equal(r.code, 0, r.err);
  assert.ok(JSON.parse(r.out).traceEvents.length > 0);
  const t = await trace(["text", "-o", "-", "testdata/syscall-steal.trace"]);
  assert.match(t.out, /^Trace Go1\.\d+\n/);
});

Deno.test("INIT_CWD: relative inputs and outputs are the user's, for trace, dump, analyze, demo", async () => {
  const env = { INIT_CWD: `${ROOT}testdata` };
  const s = await trace(["summary", "demo.trace"], { env });
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /Syscalls +5, 2 ProcSteals/);
  const d = await run("scripts/dump.ts", ["--count", "demo.trace"], { env });
  assert.equal(d.out, "112\n");
  const a = await run("scripts/analyze.ts", ["demo.trace"], { env });
  assert.equal(a.code, 0, a.err);
  const m = await run("scripts/demo.ts", ["demo.trace"], { env });
  assert.match(m.out, /^Events +112 \(/m);
  // Without INIT_CWD the same name is relative to the project root: missing.
  assert.equal((await trace(["summary", "demo.trace"])).code, 1);

  const dir = await Deno.makeTempDir();
  try {
    Deno.copyFileSync(`${ROOT}testdata/demo.trace`, `${dir}/in.trace`);
    const r = await trace(["export", "-o", "out.json", "in.trace"], { env: { INIT_CWD: dir } });
    assert.equal(r.code, 0, r.err);
    assert.ok(JSON.parse(Deno.readTextFileSync(`${dir}/out.json`)).traceEvents.length > 0);
    // ...and output == input is seen through the relative names too.
    const same = await trace(["text", "-o", "in.trace", "in.trace"], { env: { INIT_CWD: dir } });
    assert.equal(same.code, 2);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Events the library reads from `bytes` in a mode before the truncation. */
function count(bytes: Uint8Array, partial: "reference" | "complete-generations" | "orderable") {
  const r = Reader.fromBytes(bytes, { partial });
  let n = 0;
  try {
    while (r.readEvent() !== null) n++;
  } catch (e) {
    assert.ok(e instanceof TraceError && e.code === "truncated", String(e));
  }
  return n;
}

Deno.test("--partial: a cut trace gives each mode's events, and stderr says what was lost", async () => {
  const whole = Deno.readFileSync(`${ROOT}testdata/demo.trace`);
  const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
  const counts = new Set<number>();
  for (const mode of ["reference", "complete-generations", "orderable"] as const) {
    const want = count(cut, mode);
    counts.add(want);
    const r = await run("scripts/dump.ts", ["--count", `--partial=${mode}`, "-"], { stdin: cut });
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`^${want}\\nERROR: `));
    assert.match(
      r.err,
      new RegExp(
        `^dump: trace truncated at byte \\d+(, unusable from byte \\d+,)? of ${cut.length} ` +
          `\\(\\d+\\.\\d% lost\\); ${want} events read\\n$`,
      ),
    );
    // summary and events show what was read.
    const ev = await trace(["events", `--partial=${mode}`, "-"], { stdin: cut });
    assert.equal(ev.code, 1);
    assert.equal(ev.out.split("\n").length - 1, want);
    const sum = await trace(["summary", "--json", `--partial=${mode}`, "-"], { stdin: cut });
    assert.equal(sum.code, 1);
    assert.equal(JSON.parse(sum.out).events, want, sum.out);
    assert.match(
      sum.err,
      new RegExp(`^trace summary: trace truncated .*; ${want} events read\\n$`),
    );
  }
  assert.ok(counts.size > 1, "the modes differ on this cut");
  // A file: the total is its size; nothing was lost past the end of the good part.
  const dir = await Deno.makeTempDir();
  try {
    Deno.writeFileSync(`${dir}/cut.trace`, cut);
    const r = await run("scripts/dump.ts", ["--count", `${dir}/cut.trace`]);
    assert.match(r.err, new RegExp(` of ${cut.length} \\(`));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("--partial: a bad mode is a usage error listing the accepted ones", async () => {
  for (
    const [script, args] of [
      ["scripts/dump.ts", []],
      ["scripts/trace.ts", ["summary"]],
      ["scripts/trace.ts", ["export"]],
    ] as const
  ) {
    const r = await run(script, [...args, "--partial=most", "testdata/demo.trace"]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--partial must be one of reference, complete-generations, orderable/);
  }
});
