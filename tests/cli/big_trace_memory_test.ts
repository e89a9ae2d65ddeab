// The trace commands on a big trace (the corpus's 20 s workmix trace: 14.9 M
// events, 2.9 M syscalls) run in a V8 heap of 96 MB: what they print needs
// only aggregates and the top rows, so their memory must not grow with the
// trace. Before the streaming analyses `syscalls` and `steals` needed a heap
// of about 1 GB. (On two threads summary and goroutines also hold the trace,
// outside the heap: 71 MB.) Skipped, loudly, without the corpus.
import assert from "node:assert/strict";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";

const TRACE = `${CORPUS_DIR}/perf/workmix-20s.go1.25.trace.gz`;
const SCRIPT = new URL("../../scripts/trace.ts", import.meta.url).pathname;

function available(): boolean {
  if (!corpusAvailable()) return false;
  try {
    return Deno.statSync(TRACE).isFile;
  } catch {
    console.warn(`\n*** WARNING: ${TRACE} is missing: the big-trace memory tests are SKIPPED.\n`);
    return false;
  }
}

for (
  const args of [
    // The summary and goroutines read a file this big on two threads unless told: both ways.
    ["summary"],
    ["summary", "--workers=1"],
    ["goroutines", "--workers=1"],
    ["syscalls", "--longest"],
    ["syscalls"],
    ["steals"],
    ["goroutines"],
  ]
) {
  Deno.test(`memory: trace ${args.join(" ")} on a 14.9 M event trace fits a 96 MB heap`, async () => {
    if (!available()) return;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--v8-flags=--max-old-space-size=96", "--allow-read", SCRIPT, ...args, TRACE],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr).slice(-2000));
    if (args[0] === "syscalls") assert.match(text, /^2926679 syscalls\n/);
    if (args[0] === "steals") assert.match(text, /^2442 steals\n/);
    if (args[0] === "summary") assert.match(text, /Syscalls +2926679, 2442 ProcSteals/);
  });
}
