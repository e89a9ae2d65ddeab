import assert from "node:assert/strict";
import { readEvents } from "../../src/reader/mod.ts";
import { stackProfile } from "../../src/export/profiles.ts";
import {
  flameGraphView,
  flameLayout,
  type FlameNode,
  flameTree,
  renderFlameSvg,
} from "../../src/display/flamegraph.ts";
import { picturesTrace } from "./pictures_trace.ts";
import { checkSvg } from "./svg_check.ts";

const EVENTS = readEvents(picturesTrace());

/** The tree as `name=value/self` lines, indented by depth. */
function outline(n: FlameNode, depth = 0): string[] {
  return [
    `${"  ".repeat(depth)}${n.name}=${n.value}/${n.self}`,
    ...n.children.flatMap((c) => outline(c, depth + 1)),
  ];
}

Deno.test("flame graph: CPU samples, frames merged by function", async () => {
  const p = await stackProfile(EVENTS, { kind: "cpu" });
  const g = flameGraphView(p, { title: "CPU" });
  // a ×3 (crunch ← work ← main), b ×1 (hash ← work ← main), c ×2 (mallocgc ← main).
  assert.deepEqual(outline(g.data), [
    "all=6/0",
    "  main.main=6/0",
    "    main.work=4/0",
    "      main.crunch=3/3",
    "      main.hash=1/1",
    "    runtime.mallocgc=2/2",
  ]);
  const rects = flameLayout(g.data);
  const at = Object.fromEntries(rects.map((r) => [r.node.name, [r.depth, r.x, r.w]]));
  assert.deepEqual(at["main.work"], [2, 0, 4 / 6]);
  assert.deepEqual(at["runtime.mallocgc"], [2, 4 / 6, 2 / 6]);
  assert.deepEqual(at["main.hash"], [3, 3 / 6, 1 / 6]);
  const svg = checkSvg(g.toSvg());
  assert.equal(svg.classes.frame, 6);
  assert.ok(svg.titles.includes("main.work\n4 (66.67%), self 0"), svg.titles.join("|"));
  assert.ok(svg.titles.includes("runtime.mallocgc\n2 (33.33%), self 2"));
  assert.match(String(g), /^CPU\nall {2}100\.0% {2}6\n {2}main\.main {2}100\.0% {2}6\n/);
});

Deno.test("flame graph: filtered by goroutine, function and time window", async () => {
  const g2 = flameTree((await stackProfile(EVENTS, { kind: "cpu", goroutines: [2] })).records);
  assert.deepEqual(outline(g2), [
    "all=2/0",
    "  main.main=2/0",
    "    main.work=1/0",
    "      main.hash=1/1",
    "    runtime.mallocgc=1/1",
  ]);
  const early = await stackProfile(EVENTS, { kind: "cpu", from: 1000, to: 1040 });
  assert.deepEqual(outline(flameTree(early.records)).slice(-1), ["      main.crunch=3/3"]);
  const fn = await stackProfile(EVENTS, { kind: "cpu", func: "runtime.mallocgc" });
  assert.equal(checkSvg(flameGraphView(fn).toSvg()).classes.frame, 3);
});

Deno.test("flame graph: blocked time by stack, weighted in ns, as a flame", async () => {
  const p = await stackProfile(EVENTS, { kind: "block" });
  const g = flameGraphView(p, { style: "flame" });
  assert.deepEqual(outline(g.data), [
    "all=640/0",
    "  main.main=350/0",
    "    time.Sleep=200/200",
    "    runtime.chanrecv1=150/150",
    "  main.worker=290/0",
    "    sync.(*Mutex).Lock=290/290",
  ]);
  const svg = g.toSvg();
  const shape = checkSvg(svg);
  assert.equal(shape.classes.frame, 6);
  assert.ok(shape.titles.includes("time.Sleep\n200 ns (31.25%), self 200 ns"));
  // Flame: the root is the lowest row, leaves above it.
  const y = (name: string) => {
    const i = svg.indexOf(`<title>${name}\n`);
    return Number(/y="([\d.]+)"/.exec(svg.slice(i))![1]);
  };
  assert.ok(y("all") > y("main.main") && y("main.main") > y("time.Sleep"));
  const icicle = renderFlameSvg(g.data);
  const yi = (name: string) => {
    const i = icicle.indexOf(`<title>${name}\n`);
    return Number(/y="([\d.]+)"/.exec(icicle.slice(i))![1]);
  };
  assert.ok(yi("all") < yi("main.main"));
  // Syscall and sync flames, from the same trace, under the analysis's rules like block.
  const sys = flameTree(
    (await stackProfile(EVENTS, { kind: "syscall", rules: "analysis" })).records,
  );
  assert.deepEqual(outline(sys), ["all=100/0", "  main.main=100/0", "    syscall.read=100/100"]);
  const sync = flameTree((await stackProfile(EVENTS, { kind: "sync", rules: "analysis" })).records);
  assert.equal(sync.value, 440);
});

Deno.test("flame graph: narrow frames are counted, not drawn; empty stacks and by line", () => {
  const f = (func: string, line = 1) => ({ pc: 0, func, file: "x.go", line });
  const root = flameTree([
    { stack: [f("a")], value: 10_000 },
    { stack: [f("tiny"), f("a")], value: 1 },
    { stack: [], value: 5 },
    { stack: [f("b")], value: 0 }, // no weight: left out
  ]);
  assert.deepEqual(outline(root), [
    "all=10006/0",
    "  a=10001/10000",
    "    tiny=1/1",
    "  (no stack)=5/5",
  ]);
  const svg = renderFlameSvg(root, { width: 500 });
  assert.equal(checkSvg(svg).classes.frame, 2); // all, a; tiny and (no stack) under 0.5 px
  assert.ok(svg.includes("2 frames too narrow to draw"));
  const byLine = flameTree([{ stack: [f("a", 3)], value: 1 }, { stack: [f("a", 4)], value: 1 }], {
    by: "line",
  });
  assert.deepEqual(byLine.children.map((c) => c.name), ["a:3", "a:4"]);
  assert.equal(checkSvg(renderFlameSvg(flameTree([]))).tags.svg, 1);
  assert.equal(String(flameGraphView([])), "  (empty profile)");
});
