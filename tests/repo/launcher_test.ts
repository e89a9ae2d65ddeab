// scripts/deno-launcher, which npm's postinstall puts at node_modules/.bin/deno:
// a shell must reach the native binary through it with nothing in between,
// and `deno task` (which runs .bin entries as JavaScript) must reach it too,
// arguments and exit status passed through both ways.
import assert from "node:assert/strict";

const LAUNCHER = new URL("../../scripts/deno-launcher", import.meta.url);

/** A node_modules-like tree: .bin/deno (the launcher, copied) and deno/deno (becomes this Deno). */
function fakeInstall(): { dir: string; bin: string } {
  const dir = Deno.makeTempDirSync({ prefix: "launcher-" });
  Deno.mkdirSync(`${dir}/.bin`);
  Deno.mkdirSync(`${dir}/deno`);
  Deno.copyFileSync(LAUNCHER, `${dir}/.bin/deno`);
  Deno.chmodSync(`${dir}/.bin/deno`, 0o755);
  // The binary's place: a script that becomes this Deno (the test may not make symlinks).
  Deno.writeTextFileSync(`${dir}/deno/deno`, `#!/bin/sh\nexec '${Deno.execPath()}' "$@"\n`);
  Deno.chmodSync(`${dir}/deno/deno`, 0o755);
  return { dir, bin: `${dir}/.bin/deno` };
}

const SCRIPT = "console.log(Deno.args.join(','), Deno.ppid); Deno.exit(7)";

Deno.test("from a shell, the launcher becomes the native binary (exec: no process between)", async () => {
  const { dir, bin } = fakeInstall();
  try {
    // sh -c 'echo $$; exec launcher': the shell's pid, then the launcher's exec
    // keeps that pid, so the Deno it becomes has the test's child as parent.
    const child = new Deno.Command("sh", {
      args: ["-c", `echo $$; exec "$0" eval "$1" a b`, bin, SCRIPT],
      stdout: "piped",
    }).spawn();
    const out = await child.output();
    const [shellPid, line] = new TextDecoder().decode(out.stdout).trim().split("\n");
    assert.equal(out.code, 7);
    assert.equal(Number(shellPid), child.pid);
    // The script ran in the shell's own process: its parent is this test.
    assert.equal(line, `a,b ${Deno.pid}`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("run as JavaScript (as deno task does), the launcher starts the native binary", async () => {
  const { dir, bin } = fakeInstall();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-run", bin, "eval", SCRIPT, "c"],
      stdout: "piped",
    }).output();
    assert.equal(out.code, 7);
    const [args, ppid] = new TextDecoder().decode(out.stdout).trim().split(" ");
    assert.equal(args, "c");
    // One process between: the launcher's own.
    assert.notEqual(Number(ppid), Deno.pid);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("the project's tasks start Deno by path, as a program: no JavaScript launcher between", async () => {
  // `deno task` runs a bare `deno` found in node_modules/.bin as JavaScript
  // (one more Deno process, 15-20 ms); a path is run as the program it is.
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  ) as { tasks: Record<string, string> };
  const tasks = Object.entries(config.tasks);
  assert.ok(tasks.length >= 10);
  for (const [name, command] of tasks) {
    for (const step of command.split("&&")) {
      assert.match(step.trim(), /^\.\/node_modules\/\.bin\/deno [a-z]+( |$)/, `${name}: ${step}`);
    }
  }
  // The tasks that read traces give V8's optimizer room to inline the
  // ordering's fast lane into its placing loop (see README, Performance).
  for (const name of ["demo", "dump", "trace", "analyze"]) {
    assert.match(
      config.tasks[name],
      /^\.\/node_modules\/\.bin\/deno run --v8-flags=--max-inlined-bytecode-size=1000,--max-inlined-bytecode-size-cumulative=2000 /,
      name,
    );
  }
  // And through that path a task runs: the demo trace's event count.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "dump", "--count", "testdata/demo.trace"],
    cwd: new URL("../..", import.meta.url),
    stdout: "piped",
  }).output();
  assert.equal(out.code, 0);
  assert.match(new TextDecoder().decode(out.stdout), /^\d{3,}\n$/);
});
