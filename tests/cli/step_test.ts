// `trace step` driven the way a person drives it: keystrokes on stdin
// (Enter, "n 100", "g 7", "f", "q"...), one per line, and the transcript
// checked. Piped keystrokes are echoed after the prompt, so the transcript
// reads like a terminal session.
import assert from "node:assert/strict";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { gzip } from "../helpers/gzip.ts";
import { trace } from "../helpers/run.ts";

/** The transcript split at the prompts: [banner, then one block per command]. */
function blocks(out: string): { cmd: string; text: string }[] {
  return out.split(/^step \d+> /m).slice(1).map((b) => {
    const nl = b.indexOf("\n");
    return { cmd: b.slice(0, nl), text: b.slice(nl + 1) };
  });
}

Deno.test("trace step: Enter, n, g, f, e, s and q on the ambiguous steal", async () => {
  const keys = ["", "", "n 3", "g 1", "f", "e 1", "", "s", "q"].join("\n") + "\n";
  const r = await trace(["step", "testdata/syscall-steal-ambiguous.trace"], keys);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^testdata\/syscall-steal-ambiguous\.trace: Go 1\.22 trace\nEnter or n step/);
  const b = blocks(r.out);
  assert.deepEqual(b.map((x) => x.cmd), ["", "", "n 3", "g 1", "f", "e 1", "", "s", "q"]);
  // Enter: one event, with the rule that placed it.
  assert.equal(b[0].text, "#1  M=-1 P=-1 G=-1 Sync Time=1000 N=1\n   rule sync\n");
  assert.match(b[1].text, /^#2 {2}M=0 P=-1 G=-1 StateTransition Time=1001 ProcID=0 /);
  assert.match(b[1].text, /rule proc-status: P 0 state Undetermined→Running/);
  // n 3: three events, numbered on.
  assert.deepEqual(
    b[2].text.split("\n").filter((l) => l.startsWith("#")).map((l) => l.split(" ")[0]),
    [
      "#3",
      "#4",
      "#5",
    ],
  );
  // g 1: to G1's next event, its first syscall.
  assert.match(b[3].text, /^#6 {2}M=0 P=0 G=1 StateTransition Time=1010 GoID=1 Running->Syscall/);
  assert.match(b[3].text, /rule syscall-begin: G 1 state Running→Syscall, P 0 seq 0→1/);
  // f: the steal (earliest timestamp) is held back until P 0 reaches sequence 2.
  // Its time would be forced past the last event's (1010): 1011, recorded 1005.
  assert.match(b[4].text, /^Frontier\n {2}M +next +time +recorded +verdict\n/);
  assert.match(
    b[4].text,
    /^ {2}1 +ProcSteal p=0 p_seq=3 m=0 +1011 +1005 +waits: P 0 is at sequence 1/m,
  );
  assert.match(b[4].text, /^ {2}0 +GoSyscallEnd +1020 +1020 +can advance$/m);
  // e 1: M1's explanation in a sentence.
  assert.match(
    b[5].text,
    /^ProcSteal p=0 p_seq=3 m=0 on M 1 waits: P 0 is at sequence 1; the next event that advances it is GoSyscallBegin p_seq=2 on M 0\n$/,
  );
  // s: the state tables.
  assert.match(b[7].text, /^Goroutines\n {2}id +status +m +p +seq/);
  assert.match(b[7].text, /\nPs\n/);
  assert.match(b[7].text, /\nMs\n/);
  assert.equal(b[8].text, "\n");
});

Deno.test("trace step: the steal is placed after the second syscall; the end is announced", async () => {
  // G1's status, its first syscall, back, its second syscall; then two single steps.
  const keys = "g 1\ng 1\ng 1\ng 1\n\n\nn 100\nq\n";
  const r = await trace(["step", "testdata/syscall-steal-ambiguous.trace"], keys);
  assert.equal(r.code, 0);
  const b = blocks(r.out);
  assert.match(b[0].text, /^ {2}… 2 events …\n#3 .*GoID=1 Undetermined->Running/);
  assert.match(b[3].text, /^#8 .*GoID=1 Running->Syscall/); // the second syscall
  assert.match(b[4].text, /^#9 .*ProcID=0 Running->Idle/); // then the steal
  assert.match(b[4].text, /rule proc-steal: P 0 state Running→Idle, .*M 0 p 0→-1/);
  assert.match(b[5].text, /^#10 .*GoID=1 Syscall->Runnable/);
  assert.match(b[6].text, /end of trace: 11 events\n$/);
});

Deno.test("trace step: t seeks, r resets, mistakes are explained, end of input quits", async () => {
  const keys = "t @1030\nr\nn\nn -3\ng x\nwhat\nh\n";
  const r = await trace(["step", "testdata/syscall-steal-ambiguous.trace"], keys);
  assert.equal(r.code, 0);
  const b = blocks(r.out);
  assert.match(b[0].text, /^ {2}… 7 events …\n#8 {2}.*Time=1030 /);
  assert.equal(b[1].text, "back at the start\n");
  assert.match(b[2].text, /^#1 {2}M=-1 P=-1 G=-1 Sync Time=1000 N=1\n/); // "n" alone: one step
  assert.match(b[3].text, /^n wants a number of steps, e\.g\. "n 100"/);
  assert.match(b[4].text, /^g wants a goroutine id, e\.g\. "g 7"/);
  assert.match(b[5].text, /^unknown command "what"; Enter or n step/);
  assert.match(b[6].text, /^Enter or n step · n N steps · g G to goroutine G/);
});

Deno.test("trace step: a broken trace explains the failing step and exits 1", async () => {
  const r = await trace(["step", "testdata/fail-no-proc.trace"], "n 10\nf\nq\n");
  assert.equal(r.code, 1);
  const b = blocks(r.out);
  assert.match(b[0].text, /FAILED after \d+ events: expected a proc but didn't have one/);
  const usage = await trace(["step", "-"], "q\n");
  assert.equal(usage.code, 2);
  assert.match(usage.err, /step reads keystrokes from stdin/);
});

Deno.test("trace step: a real trace, stepping many and to a goroutine", async () => {
  if (!corpusAvailable()) return;
  const file = `${CORPUS_DIR}/real/go1.25/cgo-callback.trace.gz`;
  // gzip is read too: make one from the corpus trace.
  const gz = await Deno.makeTempFile({ suffix: ".trace.gz" });
  try {
    await Deno.writeFile(gz, await gzip(Deno.readFileSync(file.replace(/\.gz$/, ""))));
    const r = await trace(["step", gz], "n 100\ng 1\nf\nq\n");
    assert.equal(r.code, 0, r.err);
    const b = blocks(r.out);
    // n 100: the first three, a count, the last three, and the last one's rule.
    const lines = b[0].text.split("\n");
    assert.deepEqual(lines.slice(0, 3).map((l) => l.split(" ")[0]), ["#1", "#2", "#3"]);
    assert.equal(lines[3], "  … 94 more …");
    assert.deepEqual(lines.slice(4, 7).map((l) => l.split(" ")[0]), ["#98", "#99", "#100"]);
    // g 1: the next event of goroutine 1 (main), on it or about it.
    assert.match(b[1].text, /^ {2}… \d+ events …\n#\d+ {2}M=\d+ P=-?\d+ G=(1 |-?\d+ .*GoID=1 )/);
    assert.match(b[2].text, /^Frontier\n/);
  } finally {
    await Deno.remove(gz);
  }
});
