/**
 * Our blocking profiles against the files `go tool trace -pprof=KIND` (Go's
 * cmd/trace, go1.25) wrote for every real trace of the corpus: the same
 * stacks, each with the same count and delay. Both sides are read with the
 * project's own profile.proto decoder.
 */

import assert from "node:assert/strict";
import { decodePprof, gunzip, pprofFromTrace, type PprofProfile } from "../../src/export/pprof.ts";
import type { GoProfileKind } from "../../src/export/go_profiles.ts";
import { CORPUS_DIR, corpusAvailable } from "../helpers/corpus.ts";

/** Go's file names for the kinds. */
const GO_KIND: Record<string, GoProfileKind> = {
  net: "network",
  sync: "sync",
  syscall: "syscall",
  sched: "sched",
};

interface Sample {
  /** Frames, leaf first, as `func @ 0xpc`. */
  frames: string[];
  count: number;
  delay: number;
}

/** Samples by stack; samples of one stack (there should be none) add up. */
function samplesOf(p: PprofProfile): Map<string, Sample> {
  const funcs = new Map(p.functions.map((f) => [f.id, f.name]));
  const locs = new Map(p.locations.map((l) => [l.id, l]));
  const out = new Map<string, Sample>();
  for (const s of p.samples) {
    const frames = s.locationIds.map((id) => {
      const loc = locs.get(id);
      if (!loc) throw new Error(`sample refers to missing location ${id}`);
      const names = loc.lines.map((l) => funcs.get(l.functionId) ?? `<function ${l.functionId}>`);
      return `${names.join(" / ")} @ 0x${loc.address.toString(16)}`;
    });
    const key = frames.join("\n");
    const old = out.get(key);
    if (old) {
      old.count += s.values[0];
      old.delay += s.values[1];
    } else out.set(key, { frames, count: s.values[0], delay: s.values[1] });
  }
  return out;
}

/** The first stack whose count or delay differ, as readable text; null when all agree. */
function firstDifference(go: Map<string, Sample>, ours: Map<string, Sample>): string | null {
  const show = (s: Sample | undefined) => s ? `count ${s.count}, delay ${s.delay} ns` : "absent";
  for (const key of new Set([...go.keys(), ...ours.keys()])) {
    const a = go.get(key), b = ours.get(key);
    if (a && b && a.count === b.count && a.delay === b.delay) continue;
    const frames = (a ?? b)!.frames;
    return [
      "stack (leaf first):",
      ...(frames.length ? frames.map((f) => `    ${f}`) : ["    (no frames)"]),
      `  Go's:  ${show(a)}`,
      `  ours:  ${show(b)}`,
    ].join("\n");
  }
  return null;
}

const total = (m: Map<string, Sample>) => [...m.values()].reduce((n, s) => n + s.delay, 0);

/** Every `NAME.pprof-KIND.pb.gz` of the corpus, by version directory. */
function goProfiles(): { dir: string; name: string; goKind: string }[] {
  const real = `${CORPUS_DIR}/real`;
  const out = [];
  for (const v of [...Deno.readDirSync(real)].map((d) => d.name).sort()) {
    for (const f of [...Deno.readDirSync(`${real}/${v}`)].map((d) => d.name).sort()) {
      const m = /^(.+)\.pprof-(\w+)\.pb\.gz$/.exec(f);
      if (m) out.push({ dir: `${real}/${v}`, name: m[1], goKind: m[2] });
    }
  }
  return out;
}

async function compare(dir: string, name: string, goKind: string, ours: Uint8Array) {
  const goFile = decodePprof(
    await gunzip(Deno.readFileSync(`${dir}/${name}.pprof-${goKind}.pb.gz`)),
  );
  const mine = decodePprof(await gunzip(ours));
  assert.deepEqual(mine.sampleTypes, goFile.sampleTypes);
  assert.deepEqual(mine.periodType, goFile.periodType);
  const go = samplesOf(goFile), us = samplesOf(mine);
  const diff = firstDifference(go, us);
  if (diff !== null) {
    assert.fail(
      `${dir.split("/").pop()}/${name} -pprof=${goKind}: ${go.size} stacks, ${total(go)} ns ` +
        `in Go's file; ${us.size} stacks, ${total(us)} ns in ours. First difference:\n${diff}`,
    );
  }
}

Deno.test("pprof: every profile go tool trace -pprof wrote for the corpus, stack by stack", async (t) => {
  if (!corpusAvailable()) return;
  const files = goProfiles();
  assert.ok(files.length > 0, "the corpus has go tool trace -pprof files");
  const kinds = new Map<string, Set<string>>();
  for (const { dir, name, goKind } of files) {
    const kind = GO_KIND[goKind];
    assert.ok(kind, `unknown go tool trace -pprof kind in ${name}.pprof-${goKind}.pb.gz`);
    const key = `${dir}/${name}`;
    kinds.set(key, (kinds.get(key) ?? new Set()).add(goKind));
    await t.step(`${dir.split("/").pop()}/${name} ${goKind}`, async () => {
      const ours = await pprofFromTrace(Deno.readFileSync(`${dir}/${name}.trace`), { kind });
      await compare(dir, name, goKind, ours);
    });
  }
  // Go wrote all four for each trace it profiled.
  for (const [trace, set] of kinds) assert.equal(set.size, 4, `${trace}: ${[...set]}`);
});

Deno.test("pprof: trace pprof --kind=net and --kind=sched write Go's files", async () => {
  if (!corpusAvailable()) return;
  const dir = `${CORPUS_DIR}/real/go1.25`;
  const script = new URL("../../scripts/trace.ts", import.meta.url).pathname;
  for (const goKind of ["net", "sched"]) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        script,
        "pprof",
        `--kind=${goKind}`,
        `${dir}/stress.trace`,
      ],
      stdin: "null",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    await compare(dir, "stress", goKind, out.stdout);
  }
});

Deno.test("pprof: the comparison reports the first differing stack readably", () => {
  const s = (frames: string[], count: number, delay: number) =>
    new Map([[frames.join("\n"), { frames, count, delay }]]);
  const go = s(["runtime.chanrecv1 @ 0x10", "main.main @ 0x20"], 2, 900);
  assert.equal(
    firstDifference(go, s(["runtime.chanrecv1 @ 0x10", "main.main @ 0x20"], 2, 900)),
    null,
  );
  assert.equal(
    firstDifference(go, s(["runtime.chanrecv1 @ 0x10", "main.main @ 0x20"], 2, 800)),
    "stack (leaf first):\n    runtime.chanrecv1 @ 0x10\n    main.main @ 0x20\n" +
      "  Go's:  count 2, delay 900 ns\n  ours:  count 2, delay 800 ns",
  );
  assert.match(firstDifference(go, new Map())!, /ours: {2}absent/);
});
