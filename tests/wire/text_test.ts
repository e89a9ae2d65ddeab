import assert from "node:assert/strict";
import {
  decodeRaw,
  encodeBinary,
  formatText,
  goQuote,
  goQuoteString,
  goUnquote,
  parseText,
} from "../../src/wire/text.ts";
import { encodedSize, type RawTrace } from "../../src/wire/raw.ts";
import { headerBytes } from "../../src/wire/header.ts";
import { parseTxtar } from "../../src/wire/txtar.ts";
import { Ev } from "../../src/wire/spec.ts";
import { TraceError } from "../../src/trace_error.ts";
import { conformanceCases, CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";

/** What Go's text writer would print for `text`: comment and blank lines gone. */
function normalize(text: string): string {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  return lines.filter((l) => l.trim() !== "" && !l.trim().startsWith("#")).join("\n") + "\n";
}

/** Sizes in batch headers vs the bytes of the events up to the next header. */
function batchSizes(trace: RawTrace): { written: number; actual: number }[] {
  const out: { written: number; actual: number }[] = [];
  for (const ev of trace.events) {
    if (ev.type === Ev.EventBatch) out.push({ written: ev.args[3], actual: 0 });
    else if (ev.type === Ev.EndOfGeneration || ev.type === Ev.ExperimentalBatch) continue;
    else out[out.length - 1].actual += encodedSize(ev);
  }
  return out;
}

function throwsText(text: string, message: string | RegExp, line?: number): void {
  assert.throws(() => parseText(text), (e: unknown) => {
    assert.ok(e instanceof TraceError, `not a TraceError: ${e}`);
    assert.equal(e.code, "bad-text");
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    if (line !== undefined) assert.equal(e.line, line);
    return true;
  });
}

const cases = conformanceCases();

Deno.test({
  name: "conformance traces: text → raw → text is the identity",
  ignore: !corpusAvailable(),
  fn() {
    assert.ok(cases.length >= 20, `only ${cases.length} cases`);
    for (const c of cases) {
      assert.equal(formatText(parseText(c.trace)), normalize(c.trace), c.name);
    }
  },
});

Deno.test({
  name: "conformance traces: raw → binary → raw keeps every event",
  ignore: !corpusAvailable(),
  fn() {
    for (const c of cases) {
      const raw = parseText(c.trace);
      const bytes = encodeBinary(raw);
      assert.deepEqual(bytes.subarray(0, 16), headerBytes(raw.version), c.name);
      assert.deepEqual(decodeRaw(bytes), raw, c.name);
    }
  },
});

Deno.test({
  name: "conformance traces: batch sizes match their events (but the deliberately bad one)",
  ignore: !corpusAvailable(),
  fn() {
    for (const c of cases) {
      const sizes = batchSizes(parseText(c.trace));
      const bad = sizes.filter((s) => s.written !== s.actual);
      if (c.name === "go122-fail-first-gen-first.test") {
        assert.deepEqual(bad, [{ written: 50, actual: 0 }]);
      } else {
        assert.deepEqual(bad, [], c.name);
      }
    }
  },
});

Deno.test({
  name: "the ambiguous steal case: specific facts",
  ignore: !corpusAvailable(),
  fn() {
    const c = cases.find((c) => c.name === "go122-syscall-steal-proc-ambiguous.test")!;
    const raw = parseText(c.trace);
    assert.equal(raw.version, 22);
    assert.equal(raw.events.length, 17);
    assert.deepEqual(raw.events[0], { type: Ev.EventBatch, args: [1, 0, 0, 21] });
    assert.deepEqual(raw.events[10], { type: Ev.ProcSteal, args: [0, 0, 3, 0] });
    // m=18446744073709551615 (no thread) is -1 and prints back the same.
    assert.deepEqual(raw.events[11], { type: Ev.EventBatch, args: [1, -1, 0, 5] });
    assert.match(formatText(raw), /^EventBatch gen=1 m=18446744073709551615 time=0 size=5$/m);
    // Header 16 bytes + batch headers and events.
    const bytes = encodeBinary(raw);
    assert.equal(bytes.length, 16 + raw.events.reduce((n, e) => n + encodedSize(e), 0));
    assert.equal(bytes[16], Ev.EventBatch);
  },
});

Deno.test({
  name: "conformance .test files are txtar with expect and trace sections",
  ignore: !corpusAvailable(),
  fn() {
    const failing = cases.filter((c) => c.failure);
    assert.equal(failing.length, 2);
    for (const c of failing) assert.match("expected a proc but didn't have one", c.failure!);
    assert.ok(cases.every((c) => c.trace.startsWith("Trace Go1.")));
  },
});

Deno.test("parseTxtar: files, comment, missing final newline", () => {
  const files = parseTxtar("comment\n-- a --\nx\n\n-- b.txt --\ny");
  assert.deepEqual([...files], [["a", "x\n\n"], ["b.txt", "y\n"]]);
  assert.deepEqual([...parseTxtar("-- empty --\n")], [["empty", ""]]);
});

Deno.test("parseText: stacks, data, comments, blank lines, CRLF", () => {
  const text = [
    "# a comment before the header",
    "",
    "Trace Go1.22   ",
    "EventBatch gen=1 m=18446744073709551615 time=7 size=25  # trailing comment",
    "Stacks",
    "   # indented comment",
    "Stack id=1 nframes=2",
    "\tpc=4198400 func=1 file=2 line=12",
    "",
    "\tpc=4198500 func=3 file=2 line=40\r",
    "EventBatch gen=1 m=18446744073709551615 time=7 size=15",
    "Strings",
    "String id=1",
    '\tdata="main.main"',
    "String id=2",
    "\tdata=`raw`",
  ].join("\n");
  const raw = parseText(text);
  assert.equal(raw.version, 22);
  assert.deepEqual(raw.events.slice(0, 3), [
    { type: Ev.EventBatch, args: [1, -1, 7, 25] },
    { type: Ev.Stacks, args: [] },
    { type: Ev.Stack, args: [1, 2, 4198400, 1, 2, 12, 4198500, 3, 2, 40] },
  ]);
  assert.deepEqual(raw.events[5], {
    type: Ev.String,
    args: [1],
    data: new TextEncoder().encode("main.main"),
  });
  assert.deepEqual(raw.events[6].data, new TextEncoder().encode("raw"));
  assert.equal(
    formatText(raw),
    "Trace Go1.22\n" +
      "EventBatch gen=1 m=18446744073709551615 time=7 size=25\nStacks\nStack id=1 nframes=2\n" +
      "\tpc=4198400 func=1 file=2 line=12\n\tpc=4198500 func=3 file=2 line=40\n" +
      "EventBatch gen=1 m=18446744073709551615 time=7 size=15\nStrings\n" +
      'String id=1\n\tdata="main.main"\nString id=2\n\tdata="raw"\n',
  );
});

Deno.test("parseText: version-specific names", () => {
  // GoSwitch is go1.23; Sync go1.25; EndOfGeneration go1.26.
  throwsText("Trace Go1.22\nGoSwitch dt=1 g=2 g_seq=1\n", "unidentified event: GoSwitch", 2);
  assert.equal(parseText("Trace Go1.23\nGoSwitch dt=1 g=2 g_seq=1\n").events[0].type, Ev.GoSwitch);
  throwsText("Trace Go1.23\nSync\n", "unidentified event: Sync");
  assert.equal(parseText("Trace Go1.25\nSync\n").events[0].type, Ev.Sync);
  throwsText("Trace Go1.25\nEndOfGeneration\n", "unidentified event: EndOfGeneration");
  assert.equal(parseText("Trace Go1.26\nEndOfGeneration\n").events[0].type, Ev.EndOfGeneration);
  // Experimental events are written into ordinary batches from go1.23 on.
  throwsText("Trace Go1.22\nSpanFree dt=1 id=3\n", "unidentified event: SpanFree");
  assert.equal(parseText("Trace Go1.25\nSpanFree dt=1 id=3\n").events[0].type, Ev.SpanFree);
});

Deno.test("parseText: errors in the reference reader's words, with line numbers", () => {
  throwsText("", /failed to parse header/, 1);
  throwsText("Tracer Go1.22\n", "failed to parse header", 1);
  throwsText("Trace 1.22\n", "failed to parse header Go version", 1);
  throwsText("Trace Go1.x\n", /^failed to parse header Go version: .*"x"/, 1);
  throwsText("Trace Go1.21\n", "unknown or unsupported Go version 1.21", 1);
  throwsText(
    "\n\nTrace Go1.22 extra\n",
    'encountered unexpected non-space at the end of the header: " extra"',
    3,
  );
  throwsText("Trace Go1.22\nProcStrat dt=1 p=0 p_seq=1\n", "unidentified event: ProcStrat", 2);
  throwsText(
    "Trace Go1.22\n\nProcStart dt=1 q=0 p_seq=1\n",
    'reading args for ProcStart: expected argument "p", but got "q"',
    3,
  );
  throwsText("Trace Go1.22\nProcStart dt=1 p=0\n", "reading args for ProcStart: no argument", 2);
  throwsText(
    "Trace Go1.22\nProcStart dt=1 p 0\n",
    'reading args for ProcStart: malformed argument: "p"',
  );
  throwsText(
    "Trace Go1.22\nProcStart dt=1 p=-1 p_seq=1\n",
    'reading args for ProcStart: failed to parse argument value "-1" for arg "p"',
  );
  throwsText(
    "Trace Go1.22\nProcStart dt=1 p=18446744073709551616 p_seq=1\n",
    'reading args for ProcStart: failed to parse argument value "18446744073709551616" for arg "p"',
  );
  throwsText(
    "Trace Go1.22\nProcStop dt=1 p=0\n",
    'reading args for ProcStop: encountered unexpected non-space at the end of an event: " p=0"',
  );
  throwsText(
    "Trace Go1.22\nStack id=1 nframes=2\n\tpc=1 func=2 file=3 line=4\n",
    "unexpected EOF while reading stack: args=[1 2 1 2 3 4]",
  );
  throwsText(
    "Trace Go1.22\nStack id=1 nframes=1\n\tpc=1 fn=2 file=3 line=4\n",
    'expected argument "func", but got "fn"',
    3,
  );
  throwsText(
    "Trace Go1.22\nString id=1\n",
    "unexpected EOF while reading data for String: args=[1]",
  );
  throwsText('Trace Go1.22\nString id=1\n\tdate="x"\n', 'malformed data: "\\tdate=\\"x\\""', 3);
  throwsText(
    'Trace Go1.22\nString id=1\n\tdata="x\n',
    'failed to parse data: "\\tdata=\\"x": invalid syntax',
    3,
  );
});

Deno.test("formatText: data lines are written even for empty data", () => {
  const raw: RawTrace = { version: 22, events: [{ type: Ev.String, args: [1] }] };
  assert.equal(formatText(raw), 'Trace Go1.22\nString id=1\n\tdata=""\n');
  assert.deepEqual(parseText(formatText(raw)).events[0].data, new Uint8Array());
});

Deno.test("goQuote matches strconv.Quote", () => {
  const q = (bytes: number[]) => goQuote(Uint8Array.from(bytes));
  assert.equal(goQuoteString("GC (dedicated)"), '"GC (dedicated)"');
  assert.equal(goQuoteString('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuoteString("\x07\b\f\n\r\t\v"), '"\\a\\b\\f\\n\\r\\t\\v"');
  assert.equal(goQuoteString("\x00\x1b\x7f"), '"\\x00\\x1b\\x7f"');
  assert.equal(goQuoteString("héllo 世界 🙂"), '"héllo 世界 🙂"');
  assert.equal(goQuoteString("\u00a0\u200b\ue000"), '"\\u00a0\\u200b\\ue000"');
  assert.equal(goQuoteString("\u{f0000}"), '"\\U000f0000"');
  assert.equal(q([0xff, 0x61, 0xc3]), '"\\xffa\\xc3"');
  assert.equal(q([0xed, 0xa0, 0x80]), '"\\xed\\xa0\\x80"'); // an encoded surrogate is invalid
  assert.equal(q([0xc0, 0x80]), '"\\xc0\\x80"'); // overlong
});

Deno.test("goUnquote inverts goQuote for every byte and accepts Go's other forms", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(goUnquote(goQuote(all)), all);
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.deepEqual(goUnquote('"\\101\\x42\\u0043\\U0001F642"'), enc("ABC🙂"));
  assert.deepEqual(goUnquote("`a\\n`"), enc("a\\n"));
  assert.deepEqual(goUnquote("'x'"), enc("x"));
  for (const bad of ['"', '"a', 'a"', '"\\q"', '"\\400"', '"\\ud800"', "'xy'", '"a"b"', "`a`b`"]) {
    assert.equal(goUnquote(bad), null, bad);
  }
});

function throwsBinary(bytes: number[], code: string, message: RegExp, offset?: number): void {
  assert.throws(() => decodeRaw(Uint8Array.from(bytes)), (e: unknown) => {
    assert.ok(e instanceof TraceError, `not a TraceError: ${e}`);
    assert.equal(e.code, code);
    assert.match(e.message, message);
    if (offset !== undefined) assert.equal(e.offset, offset);
    return true;
  });
}

Deno.test("decodeRaw: errors carry a code and the event's offset", () => {
  const hdr = [...headerBytes(22)];
  throwsBinary([], "bad-header", /^bad file format: not a Go execution trace\?$/, 0);
  throwsBinary([...new TextEncoder().encode("go 1.22 trace\0\0")], "bad-header", /not a Go/);
  throwsBinary([...headerBytes(21)], "unsupported-version", /go 1\.21/);
  throwsBinary([...headerBytes(24)], "unsupported-version", /go 1\.24/);
  throwsBinary([...hdr, 0], "unknown-event", /^invalid event type: 0$/, 16);
  throwsBinary([...hdr, Ev.Stacks, Ev.Sync], "unknown-event", /^invalid event type: 50$/, 17);
  throwsBinary([...hdr, Ev.Stacks, 200], "unknown-event", /invalid event type: 200/, 17);
  throwsBinary([...hdr, Ev.ProcStart, 1, 0x80], "truncated", /unexpected EOF.*ProcStart/, 16);
  throwsBinary([...hdr, Ev.Stack, 1, 100, 1], "truncated", /unexpected EOF.*Stack/, 16);
  throwsBinary([...hdr, Ev.String, 1, 5, 0x61], "truncated", /unexpected EOF.*String data/, 16);
  const overflow = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
  throwsBinary([...hdr, Ev.Frequency, ...overflow], "bad-varint", /overflows/, 16);
});

Deno.test("decodeRaw: 64-bit values, padded varints and empty data", () => {
  const bytes = Uint8Array.from([
    ...headerBytes(25),
    Ev.EventBatch,
    1,
    ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // m = 2^64-1
    0x85,
    0x80,
    0x80,
    0x00, // time = 5, padded as the runtime pads reserved sizes
    3,
    Ev.String,
    7,
    0,
  ]);
  const raw = decodeRaw(bytes);
  assert.deepEqual(raw, {
    version: 25,
    events: [
      { type: Ev.EventBatch, args: [1, -1, 5, 3] },
      { type: Ev.String, args: [7], data: new Uint8Array() },
    ],
  });
  assert.equal(
    formatText(raw),
    'Trace Go1.25\nEventBatch gen=1 m=18446744073709551615 time=5 size=3\nString id=7\n\tdata=""\n',
  );
});

Deno.test("encodeBinary: writes Go's raw writer layout and checks shapes", () => {
  const bytes = encodeBinary({
    version: 22,
    events: [
      { type: Ev.Stack, args: [1, 1, 300, 1, 2, 3] },
      { type: Ev.String, args: [1], data: Uint8Array.of(0x68, 0x69) },
    ],
  });
  assert.deepEqual(
    [...bytes.subarray(16)],
    [Ev.Stack, 1, 1, 0xac, 0x02, 1, 2, 3, Ev.String, 1, 2, 0x68, 0x69],
  );
  assert.throws(
    () => encodeBinary({ version: 22, events: [{ type: Ev.ProcStart, args: [1] }] }),
    /ProcStart needs 3 arguments, got 1/,
  );
  assert.throws(
    () => encodeBinary({ version: 22, events: [{ type: Ev.Sync, args: [] }] }),
    /does not exist in go1.22/,
  );
});

Deno.test({
  name: "real traces (go1.22+): decodeRaw reads every byte; text round-trips",
  ignore: !corpusAvailable(),
  fn() {
    let n = 0;
    for (const v of ["go1.22", "go1.23", "go1.25"]) {
      const dir = `${CORPUS_DIR}/real/${v}`;
      for (const e of Deno.readDirSync(dir)) {
        if (!e.name.endsWith(".trace")) continue;
        const bytes = Deno.readFileSync(`${dir}/${e.name}`);
        const raw = decodeRaw(bytes);
        assert.equal(raw.version, Number(v.slice(4)));
        assert.equal(
          raw.events[0].type === Ev.EventBatch ||
            raw.events[0].type === Ev.ExperimentalBatch,
          true,
          e.name,
        );
        if (bytes.length < 20000) assert.deepEqual(parseText(formatText(raw)), raw, e.name);
        n++;
      }
    }
    assert.ok(n >= 30, `only ${n} real traces`);
  },
});
