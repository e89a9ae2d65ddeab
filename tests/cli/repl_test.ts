// The REPL as `deno task repl` starts it, driven through a pipe: the help
// on start, then a few commands a person would type, and what they print.
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url).pathname;

/** Starts the REPL with the preload, types `lines`, returns everything printed. */
async function repl(
  lines: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    // The same command as the `repl` task in deno.json.
    args: [
      "repl",
      "--allow-net",
      "--allow-read",
      "--allow-env=INIT_CWD",
      "--eval-file=scripts/repl.ts",
    ],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(lines.join("\n") + "\nclose()\n"));
  await w.close();
  const { code, stdout, stderr } = await child.output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout), err: dec.decode(stderr) };
}

Deno.test("repl task: deno.json starts the REPL with the preload", () => {
  const tasks = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`)).tasks;
  assert.equal(
    tasks.repl,
    "./node_modules/.bin/deno repl --allow-net --allow-read --allow-env=INIT_CWD --eval-file=scripts/repl.ts",
  );
});

Deno.test("repl: help on start, open a trace, summary, goroutines, syscalls, steals, stepper", async () => {
  const r = await repl([
    'const t = await open("testdata/demo.trace")',
    "t",
    "summary()",
    "top(2)",
    "syscalls({ stolen: true })",
    "steals().length",
    "stepper.step(3).map((e) => e.kind).join()",
    "stepper.frontier().length > 0",
    'events({ kinds: ["ProcSteal"] })',
    "timeline({ from: t.start, to: t.start + 1000, goroutines: [10] })",
    "typeof gotrace.Reader",
  ]);
  assert.equal(r.code, 0, r.err);
  const out = r.out;
  // The help comes first, before Deno's banner.
  assert.match(out, /^gotrace REPL — everything is in `gotrace`; on the current trace:\n/);
  assert.match(out, /^ {2}summary\(\) +the trace at a glance/m);
  assert.ok(out.indexOf("gotrace REPL") < out.indexOf("Deno 2."));
  // t prints as one line plus what to ask next.
  assert.match(
    out,
    /^TraceView testdata\/demo\.trace: Go 1\.25, 112 events\n {2}\.summary\(\) \.top\(\)/m,
  );
  // summary(): the text summary.
  assert.match(out, /^Format +Go 1\.25$/m);
  assert.match(out, /^Syscalls +5, 2 ProcSteals$/m);
  // top(2): a table, cut at two rows.
  assert.match(out, /^Top 2 goroutines by running time\n {2}G +function +total +running/m);
  // syscalls({ stolen: true }): the two stolen syscalls.
  assert.match(out, /^2 syscalls\n/m);
  assert.match(
    out,
    /^ {2}10 +0 +0 +130 ns +470 ns +syscall\.accept4 +main\.serve +P stolen by M4 after 270 ns; returned without its P$/m,
  );
  assert.match(out, /^2$/m); // steals().length
  assert.match(out, /^"Sync,StateTransition,StateTransition"$/m);
  assert.match(out, /^true$/m);
  assert.match(out, /^2 events\n/m);
  // timeline(...): the text picture of G10's syscall and the steal.
  assert.match(out, /^G10 main\.serve +\|.*S+X?s+.*\|$/m);
  assert.match(out, /^"function"$/m);
  assert.doesNotMatch(out + r.err, /Uncaught/);
});

Deno.test("repl: helpers before open say what to do", async () => {
  const r = await repl(["summary()"]);
  assert.match(r.out + r.err, /no trace open: const t = await open\("testdata\/demo\.trace"\)/);
});

Deno.test("repl: open() takes paths relative to the user's directory (INIT_CWD)", async () => {
  const r = await repl(['const t = await open("demo.trace")', "t"], {
    INIT_CWD: `${ROOT}testdata`,
  });
  assert.match(r.out, /^TraceView .*testdata\/demo\.trace: Go 1\.25, 112 events$/m);
  assert.doesNotMatch(r.out + r.err, /Uncaught/);
});
