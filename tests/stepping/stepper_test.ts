// The stepper: frontier, explanations and placements at the steps that
// matter, equality with the Reader, and how it stops on broken traces.
import assert from "node:assert/strict";
import { Reader, Stepper } from "../../mod.ts";
import { encodeBinary, parseText } from "../../src/wire/text.ts";
import { conformanceCases, CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";
import { testdataBytes } from "../helpers/read.ts";

/** Steps to the end, calling `visit` before every step with the frontier at that point. */
function walk(s: Stepper, visit: (s: Stepper) => void): void {
  for (let guard = 0; guard < 100_000 && !s.done; guard++) {
    visit(s);
    if (s.step().length === 0) break;
  }
}

Deno.test("stepper: the ambiguous steal waits for the second syscall and binds to it", () => {
  const s = Stepper.fromBytes(testdataBytes("syscall-steal-ambiguous"));
  const heldBack: string[] = [];
  let advancedWith = "";
  walk(s, (st) => {
    for (const f of st.frontier()) {
      if (f.event !== "ProcSteal") continue;
      if (!f.canAdvance) heldBack.push(f.why);
      else if (!advancedWith) advancedWith = st.last!.toString();
    }
  });
  assert.equal(s.failure, null);
  // Held back first because P 0 has not reached sequence 2 (its second syscall).
  assert.ok(heldBack.length > 0, "the steal is held back at some step");
  assert.match(heldBack[0], /^ProcSteal p=0 p_seq=3 m=0 on M 1 waits: P 0 /);
  assert.ok(
    heldBack.some((w) =>
      /P 0 is at sequence 1; the next event that advances it is GoSyscallBegin p_seq=2 on M 0/
        .test(w)
    ),
    heldBack.join("\n"),
  );
  // It could advance only once the second GoSyscallBegin had been placed.
  assert.match(advancedWith, /GoID=1 Running->Syscall/);
  const events = [...Reader.fromBytes(testdataBytes("syscall-steal-ambiguous")).events()].map((
    e,
  ) => e.typeName);
  const steal = events.indexOf("ProcSteal");
  const begins = events.flatMap((t, i) => t === "GoSyscallBegin" ? [i] : []);
  assert.equal(begins.length, 2);
  assert.ok(steal > begins[1] && steal < events.indexOf("GoSyscallEndBlocked"));
});

Deno.test("stepper: placing a ProcSteal names the rule and the state it changed", () => {
  const s = Stepper.fromBytes(testdataBytes("syscall-steal-ambiguous"));
  const evs = s.runUntil((ev) => ev.typeName === "ProcSteal");
  assert.equal(evs.at(-1)!.typeName, "ProcSteal");
  const p = s.lastPlacement()!;
  assert.equal(p.rule, "proc-steal");
  assert.deepEqual(p.changes.find((c) => c.resource === "P 0" && c.field === "state"), {
    resource: "P 0",
    field: "state",
    from: "Running",
    to: "Idle",
  });
  assert.deepEqual(p.changes.find((c) => c.resource === "M 0"), {
    resource: "M 0",
    field: "p",
    from: 0,
    to: -1,
  });
  // M 0 lost its P: the state table says so, and its GoSyscallEndBlocked can now advance.
  const st = s.state();
  assert.deepEqual(st.threads.find((t) => t.id === 0), { id: 0, p: -1, g: 1 });
  assert.equal(st.procs.find((p) => p.id === 0)!.status, "Idle");
  const f = s.frontier().find((e) => e.m === 0)!;
  assert.equal(f.event, "GoSyscallEndBlocked");
  assert.equal(f.canAdvance, true);
});

const steals = conformanceCases().filter((c) => c.name.startsWith("go122-syscall-steal-proc-"));

Deno.test("stepper: the corpus has the syscall-steal cases", () => {
  if (!corpusAvailable()) return;
  assert.ok(steals.length >= 11);
});

for (const c of steals) {
  Deno.test(`stepper: ${c.name}: ProcSteal frontier and explanations`, () => {
    const s = Stepper.fromBytes(encodeBinary(parseText(c.trace)));
    const waits: string[] = [];
    let readyBefore = false;
    let placed = 0;
    walk(s, (st) => {
      const f = st.frontier().filter((e) => e.event === "ProcSteal");
      for (const e of f) {
        if (e.canAdvance) readyBefore = true;
        else waits.push(e.why);
      }
      if (st.last?.typeName === "ProcSteal") {
        placed++;
        assert.equal(st.lastPlacement()!.rule, "proc-steal");
      }
    });
    assert.equal(s.failure, null, s.failure?.explanation);
    assert.ok(placed >= 1, "a ProcSteal was placed");
    assert.ok(readyBefore, "the frontier showed the ProcSteal as ready before placing it");
    for (const w of waits) {
      // Every held-back steal says which P, where it stands and what it waits for.
      assert.match(w, /^ProcSteal p=\d+ p_seq=\d+ m=\d+ on M \d+ waits: P \d+ /);
      assert.match(w, /(at sequence \d+|has no status yet)/);
    }
  });
}

for (const c of conformanceCases().filter((c) => c.failure)) {
  Deno.test(`stepper: ${c.name}: stops on the failing step and explains it`, () => {
    const s = Stepper.fromBytes(encodeBinary(parseText(c.trace)));
    walk(s, () => {});
    const f = s.failure;
    assert.ok(f, "the stepper stopped with a failure");
    assert.match(f.error.message, c.failure!);
    assert.ok(s.done);
    assert.equal(s.step().length, 0, "no more steps after a failure");
    // The explanation names the event, its M, the generation, and the state with sequence numbers.
    assert.match(
      f.explanation,
      /^(GoCreate|GoSyscallEnd|GoCreateSyscall)\b.* on M \d+ \(generation \d+\) fails: /,
    );
    assert.match(f.explanation, c.failure!);
    assert.match(f.explanation, /M \d+ holds/);
    assert.match(s.toString(), /FAILED: /);
  });
}

Deno.test("stepper: a broken trace whose events can never order explains each M", () => {
  const s = Stepper.fromBytes(testdataBytes("fail-go-start-missing"));
  walk(s, () => {});
  assert.ok(s.failure);
  assert.match(s.failure.error.message, /failed to advance/);
  assert.match(s.failure.explanation, /^no M can advance in generation 1:/);
  assert.match(s.failure.explanation, /GoStart g=\d+ g_seq=\d+ on M \d+ waits: G \d+ /);
});

Deno.test("stepper: stepping a real go1.25 trace to the end gives the Reader's events", async () => {
  if (!corpusAvailable()) return;
  const path = `${CORPUS_DIR}/real/go1.25/stress.trace`;
  const bytes = await Deno.readFile(path);
  const s = await Stepper.open(path);
  const r = Reader.fromBytes(bytes);
  let n = 0;
  for (let want = r.readEvent(); want; want = r.readEvent()) {
    const got = s.step();
    assert.equal(got.length, 1, `event ${n}`);
    assert.equal(got[0].toString(), want.toString(), `event ${n}`);
    n++;
  }
  assert.equal(s.step().length, 0);
  assert.ok(s.done);
  assert.equal(s.position, n);
  assert.ok(n > 1000);
});

Deno.test("stepper: runUntil, seek and reset", () => {
  const bytes = testdataBytes("demo");
  // A goroutine the demo creates, and the first event that runs on it.
  const created = [...Reader.fromBytes(bytes).events()].find((e) =>
    e.kind === "StateTransition" && e.stateTransition().from === "NotExist"
  )!;
  const g = created.stateTransition().resource.id;
  const s = Stepper.fromBytes(bytes);
  const toG = s.runUntil((ev) => ev.goroutine === g);
  const hit = toG.at(-1)!;
  assert.equal(hit.goroutine, g);
  assert.ok(hit.time > created.time);
  const at = s.position;
  assert.equal(at, toG.length);
  const t = hit.time;
  s.reset();
  assert.equal(s.position, 0);
  assert.equal(s.last, null);
  const upTo = s.seek(t);
  assert.equal(upTo.at(-1)!.time >= t, true);
  assert.equal(upTo.at(-2)!.time < t, true);
  // Seeking back resets and replays.
  s.seek(1);
  assert.ok(s.position <= 2);
  const gen = s.generation!;
  assert.equal(gen.gen, 1);
  assert.ok(gen.threads.length >= 2);
  // Rendering: text and Jupyter HTML carry the same tables.
  s.step(20);
  const text = s.toString();
  assert.match(text, /^Stepper: generation \d+, \d+ events emitted/);
  assert.match(text, /Goroutines\n {2}id {2}status/);
  assert.match(text, /Frontier\n {2}M {2}event/);
  const disp = (s as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ]();
  assert.match(disp["text/html"], /<table/);
  assert.match(disp["text/html"], /<caption[^>]*>Frontier<\/caption>/);
  assert.equal(disp["text/plain"], text);
});

Deno.test("event: renders in Jupyter as HTML with its text as the plain fallback", () => {
  const evs = [...Reader.fromBytes(testdataBytes("syscall-steal")).events()];
  const withStack = evs.find((e) => e.stack !== null)!;
  const d = (withStack as unknown as Record<symbol, () => Record<string, string>>)[
    Symbol.for("Jupyter.display")
  ]();
  assert.equal(d["text/plain"], withStack.toString());
  assert.match(d["text/html"], /^<div[^>]*><b>M=\d+ P=-?\d+ G=-?\d+ /);
  assert.match(d["text/html"], /<pre[^>]*>(Transition)?Stack=\n\t/);
  assert.ok(!d["text/html"].includes("->"), "HTML-escaped");
});

Deno.test("stepper: step(n) takes the fast path yet ends in the same state as n single steps", async () => {
  if (!corpusAvailable()) return;
  const bytes = await Deno.readFile(`${CORPUS_DIR}/real/go1.25/gc-stress.trace`);
  const fast = Stepper.fromBytes(bytes);
  const slow = Stepper.fromBytes(bytes);
  for (const n of [1, 7, 500, 3000, 20000]) {
    const a = fast.step(n).map(String);
    const b: string[] = [];
    for (let i = 0; i < n; i++) b.push(...slow.step().map(String));
    assert.deepEqual(a, b, `step(${n})`);
    assert.deepEqual(fast.state(), slow.state(), `state after step(${n})`);
    assert.deepEqual(fast.frontier(), slow.frontier(), `frontier after step(${n})`);
  }
});

Deno.test("event: console.log and the REPL show an event as its text", () => {
  const evs = [...Reader.fromBytes(testdataBytes("syscall-steal")).events()];
  for (const ev of evs.slice(0, 5)) assert.equal(Deno.inspect(ev), ev.toString());
});
