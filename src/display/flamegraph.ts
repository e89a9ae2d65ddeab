/**
 * Flame graphs of stack profiles: CPU samples, or the time goroutines spent
 * blocked, in syscalls or waiting to run, charged to the stacks where it
 * began (see `src/export/profiles.ts`, which also filters by goroutine,
 * function and time window). Frames are merged by function from the root
 * (the outermost frame) down; siblings are ordered by weight, heaviest
 * first. Drawn as an icicle (root on top) or a flame (root at the bottom);
 * hovering a frame shows its function, weight and share (SVG `<title>`).
 *
 * @module
 */

import type { StackFrame } from "../events/event.ts";
import type { StackProfile } from "../export/profiles.ts";
import { formatValue, type ValueUnit } from "./histogram.ts";
import { fitText, Picture, px, svgOpen, svgText, svgTitle } from "./picture.ts";

/**
 * A frame of the graph: a function at one position in the call tree.
 *
 * @example
 * ```ts
 * import type { FlameNode } from "./flamegraph.ts";
 * const leaf: FlameNode = { name: "main.work", value: 3, self: 3, children: [] };
 * console.assert(leaf.value === leaf.self);
 * ```
 */
export interface FlameNode {
  /** Function name (with `:line` when merging by line); the root is "all". */
  name: string;
  /** Weight of this frame and everything it called. */
  value: number;
  /** Weight with this frame innermost. */
  self: number;
  /** Callees, heaviest first (ties by name). */
  children: FlameNode[];
}

/**
 * A weighted stack: the shape of a profile record.
 *
 * @example
 * ```ts
 * import type { WeightedStack } from "./flamegraph.ts";
 * const w: WeightedStack = { stack: [{ pc: 1, func: "main.f", file: "f.go", line: 2 }], value: 10 };
 * console.assert(w.value === 10);
 * ```
 */
export interface WeightedStack {
  /** Frames, innermost first. */
  stack: readonly StackFrame[];
  /** Weight (ns, samples...). */
  value: number;
}

/**
 * How to build and draw a flame graph.
 *
 * @example
 * ```ts
 * import type { FlameOptions } from "./flamegraph.ts";
 * const o: FlameOptions = { style: "flame", unit: "count", title: "CPU" };
 * console.assert(o.style === "flame");
 * ```
 */
export interface FlameOptions {
  /** "icicle": root on top (default); "flame": root at the bottom. */
  style?: "icicle" | "flame";
  /** Merge frames by function (default) or by function and line. */
  by?: "func" | "line";
  /** How weights print (default "ns"; a StackProfile of samples uses "count"). */
  unit?: ValueUnit;
  /** Heading. */
  title?: string;
  /** Width in px (default 960). */
  width?: number;
  /** Height of a frame in px (default 17). */
  frameHeight?: number;
  /** Frames narrower than this many px are not drawn (default 0.5). */
  minWidth?: number;
}

const NO_STACK = "(no stack)";

function sortTree(n: FlameNode): void {
  n.children.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const c of n.children) sortTree(c);
}

/**
 * Merges weighted stacks into a call tree rooted at "all". Stacks with no
 * frames hang under a "(no stack)" child.
 *
 * @example
 * ```ts
 * import { flameTree } from "./flamegraph.ts";
 * const f = (func: string) => ({ pc: 0, func, file: "", line: 0 });
 * const root = flameTree([
 *   { stack: [f("main.a"), f("main.main")], value: 3 },
 *   { stack: [f("main.b"), f("main.main")], value: 1 },
 *   { stack: [f("main.main")], value: 2 },
 * ]);
 * const main = root.children[0];
 * console.assert(root.value === 6 && main.value === 6 && main.self === 2);
 * console.assert(main.children.map((c) => `${c.name}=${c.value}`).join() === "main.a=3,main.b=1");
 * ```
 */
export function flameTree(
  stacks: readonly WeightedStack[],
  opts: Pick<FlameOptions, "by"> = {},
): FlameNode {
  const root: FlameNode = { name: "all", value: 0, self: 0, children: [] };
  // Child lookup by name while building; the arrays are what the caller sees.
  const index = new Map<FlameNode, Map<string, FlameNode>>();
  const child = (parent: FlameNode, name: string): FlameNode => {
    let m = index.get(parent);
    if (!m) index.set(parent, m = new Map());
    let c = m.get(name);
    if (!c) {
      c = { name, value: 0, self: 0, children: [] };
      m.set(name, c);
      parent.children.push(c);
    }
    return c;
  };
  const byLine = opts.by === "line";
  for (const { stack, value } of stacks) {
    if (!(value > 0)) continue;
    root.value += value;
    let node = root;
    if (stack.length === 0) node = child(root, NO_STACK);
    for (let i = stack.length - 1; i >= 0; i--) {
      const f = stack[i];
      node = child(node, byLine ? `${f.func}:${f.line}` : f.func);
      node.value += value;
    }
    if (stack.length === 0) node.value += value;
    node.self += value;
  }
  sortTree(root);
  return root;
}

/**
 * A frame placed on the picture.
 *
 * @example
 * ```ts
 * import { flameLayout, type FlameRect } from "./flamegraph.ts";
 * const [r]: FlameRect[] = flameLayout({ name: "all", value: 1, self: 0, children: [] });
 * console.assert(r.x === 0 && r.w === 1 && r.depth === 0);
 * ```
 */
export interface FlameRect {
  /** The frame. */
  node: FlameNode;
  /** Depth (root 0). */
  depth: number;
  /** Left edge, as a fraction of the width. */
  x: number;
  /** Width, as a fraction of the width. */
  w: number;
}

/**
 * Places frames: each frame spans its share of the root's weight, callees
 * left to right under it. Frames narrower than `minFraction` (and all
 * their callees) are left out.
 *
 * @example
 * ```ts
 * import { flameLayout } from "./flamegraph.ts";
 * const root = { name: "all", value: 4, self: 0, children: [
 *   { name: "a", value: 3, self: 3, children: [] }, { name: "b", value: 1, self: 1, children: [] }] };
 * const rects = flameLayout(root);
 * console.assert(rects.map((r) => `${r.node.name}@${r.x}+${r.w}`).join() === "all@0+1,a@0+0.75,b@0.75+0.25");
 * ```
 */
export function flameLayout(root: FlameNode, minFraction = 0): FlameRect[] {
  const out: FlameRect[] = [];
  if (!(root.value > 0)) return out;
  const walk = (n: FlameNode, depth: number, x: number) => {
    const w = n.value / root.value;
    if (w < minFraction) return;
    out.push({ node: n, depth, x, w });
    let cx = x;
    for (const c of n.children) {
      walk(c, depth + 1, cx);
      cx += c.value / root.value;
    }
  };
  walk(root, 0, 0);
  return out;
}

/** A warm colour from the function name, so a function keeps its colour across graphs. */
function frameColor(name: string): string {
  if (name === "all") return "#c8c8c8";
  if (name === NO_STACK) return "#bbbbbb";
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  h >>>= 0;
  // The runtime in oranges, everything else from red to yellow.
  const runtime = name.startsWith("runtime.");
  const hue = runtime ? 25 + (h % 15) : (h % 55);
  const light = 55 + ((h >>> 8) % 15);
  return `hsl(${hue}, ${runtime ? 75 : 85}%, ${light}%)`;
}

/**
 * The SVG of a call tree.
 *
 * @example
 * ```ts
 * import { flameTree, renderFlameSvg } from "./flamegraph.ts";
 * const f = (func: string) => ({ pc: 0, func, file: "", line: 0 });
 * const svg = renderFlameSvg(flameTree([{ stack: [f("b"), f("a")], value: 5 }]));
 * console.assert((svg.match(/class="frame"/g) ?? []).length === 3); // all, a, b
 * ```
 */
export function renderFlameSvg(root: FlameNode, opts: FlameOptions = {}): string {
  const width = opts.width ?? 960, fh = opts.frameHeight ?? 17;
  const unit = opts.unit ?? "ns";
  const plotW = width - 20;
  const rects = flameLayout(root, (opts.minWidth ?? 0.5) / plotW);
  const depth = rects.reduce((d, r) => Math.max(d, r.depth + 1), 1);
  const head = opts.title ? 28 : 8;
  const height = head + depth * fh + 24;
  const flame = opts.style === "flame";
  const o = [svgOpen(width, height)];
  if (opts.title) o.push(svgText(10, 19, opts.title, 'font-size="13" font-weight="bold"'));
  const total = root.value;
  for (const r of rects) {
    const x = 10 + r.x * plotW, w = r.w * plotW;
    const y = flame ? head + (depth - 1 - r.depth) * fh : head + r.depth * fh;
    const n = r.node;
    const share = total > 0 ? ((n.value / total) * 100).toFixed(2) : "0";
    const tip = `${n.name}\n${formatValue(n.value, unit)} (${share}%), self ${
      formatValue(n.self, unit)
    }`;
    const label = fitText(n.name, w - 6);
    o.push(
      `<g>${svgTitle(tip)}<rect class="frame" x="${px(x)}" y="${px(y)}" width="${
        px(Math.max(0.5, w - 0.5))
      }" height="${fh - 1}" rx="1.5" fill="${frameColor(n.name)}"/>` +
        (label ? svgText(x + 3, y + fh - 5, label, 'font-size="10.5" fill="#222"') : "") + "</g>",
    );
  }
  const hidden = countNodes(root) - rects.length;
  const foot = `${formatValue(total, unit)} in total` +
    (hidden > 0 ? `; ${hidden} frames too narrow to draw` : "");
  o.push(svgText(10, height - 8, foot, 'fill="#666"'));
  o.push("</svg>");
  return o.join("\n");
}

function countNodes(n: FlameNode): number {
  let c = 1;
  for (const x of n.children) c += countNodes(x);
  return c;
}

/**
 * The call tree as indented text: frames with at least `minShare` of the
 * total (default 1%), at most `maxLines` lines.
 *
 * @example
 * ```ts
 * import { flameTree, renderFlameText } from "./flamegraph.ts";
 * const f = (func: string) => ({ pc: 0, func, file: "", line: 0 });
 * const t = renderFlameText(flameTree([{ stack: [f("b"), f("a")], value: 2 }]), { unit: "count" });
 * console.assert(t.split("\n")[2] === "    b  100.0%  2");
 * ```
 */
export function renderFlameText(
  root: FlameNode,
  opts: FlameOptions & { minShare?: number; maxLines?: number } = {},
): string {
  const unit = opts.unit ?? "ns";
  const minShare = opts.minShare ?? 0.01, maxLines = opts.maxLines ?? 40;
  const out = opts.title ? [opts.title] : [];
  const total = root.value;
  if (!(total > 0)) return [...out, "  (empty profile)"].join("\n");
  let cut = 0;
  const walk = (n: FlameNode, depth: number) => {
    if (n.value / total < minShare) return;
    if (out.length >= maxLines) {
      cut++;
      return;
    }
    const share = ((n.value / total) * 100).toFixed(1);
    out.push(`${"  ".repeat(depth)}${n.name}  ${share}%  ${formatValue(n.value, unit)}`);
    for (const c of n.children) walk(c, depth + 1);
  };
  walk(root, 0);
  if (cut) out.push(`  … ${cut} more frames`);
  return out.join("\n");
}

/**
 * A flame graph picture of a stack profile (or of weighted stacks).
 *
 * @example
 * ```ts
 * import { flameGraphView } from "./flamegraph.ts";
 * import { stackProfile } from "../export/profiles.ts";
 * const p = await stackProfile(new URL("../../testdata/cpu-samples.trace", import.meta.url), { kind: "cpu" });
 * const g = flameGraphView(p, { title: "CPU samples" });
 * console.assert(g.data.value === p.value && g.toSvg().includes('class="frame"'));
 * ```
 */
export function flameGraphView(
  profile: StackProfile | readonly WeightedStack[],
  opts: FlameOptions = {},
): Picture<FlameNode> {
  const isProfile = !Array.isArray(profile);
  const records = isProfile ? (profile as StackProfile).records : profile as WeightedStack[];
  const unit = opts.unit ??
    (isProfile && (profile as StackProfile).unit === "samples" ? "count" : "ns");
  const o = { ...opts, unit };
  const root = flameTree(records, o);
  return new Picture(root, renderFlameSvg(root, o), renderFlameText(root, o));
}
