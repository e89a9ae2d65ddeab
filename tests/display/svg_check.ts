/**
 * A strict enough XML well-formedness check for the SVG the pictures make:
 * one root `<svg>` with the SVG namespace, every element closed in order,
 * attributes quoted and not repeated, `&` only in entities, no stray `<`.
 * Returns element and class counts so tests can count bars, frames and cells.
 *
 * @module
 */

/** What {@link checkSvg} found. */
export interface SvgShape {
  /** Elements by tag name. */
  tags: Record<string, number>;
  /** Elements by `class` attribute value. */
  classes: Record<string, number>;
  /** Text of every `<title>`, in order. */
  titles: string[];
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(s: string, where: string): void {
  if (s.replace(ENTITY, "").includes("&")) throw new Error(`bare & in ${where}: ${s.slice(0, 80)}`);
}

/**
 * Checks `svg` and counts its elements; throws an Error naming the first problem.
 *
 * @example
 * ```ts
 * import { checkSvg } from "./svg_check.ts";
 * const s = checkSvg('<svg xmlns="http://www.w3.org/2000/svg"><rect class="bar"/></svg>');
 * console.assert(s.classes.bar === 1);
 * ```
 */
export function checkSvg(svg: string): SvgShape {
  const tags: Record<string, number> = {}, classes: Record<string, number> = {};
  const titles: string[] = [];
  const stack: string[] = [];
  let roots = 0, pos = 0, titleStart = -1;
  const tagRe = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>/y;
  const attrRe = /([\w:.-]+)\s*=\s*"([^"]*)"/g;
  while (pos < svg.length) {
    const lt = svg.indexOf("<", pos);
    const text = svg.slice(pos, lt < 0 ? svg.length : lt);
    if (text.trim() && stack.length === 0) throw new Error(`text outside the root: ${text}`);
    checkText(text, "text");
    if (lt < 0) break;
    tagRe.lastIndex = lt;
    const m = tagRe.exec(svg);
    if (!m) throw new Error(`malformed tag at ${lt}: ${svg.slice(lt, lt + 60)}`);
    const [whole, close, name, attrs, selfClose] = m;
    if (close) {
      if (attrs || selfClose) throw new Error(`bad closing tag ${whole}`);
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
      if (name === "title") titles.push(svg.slice(titleStart, lt));
    } else {
      if (stack.length === 0) {
        roots++;
        if (roots > 1 || name !== "svg") throw new Error(`root element must be one <svg>`);
        if (!attrs.includes('xmlns="http://www.w3.org/2000/svg"')) {
          throw new Error("root <svg> lacks the SVG namespace");
        }
      }
      const seen = new Set<string>();
      for (const a of attrs.matchAll(attrRe)) {
        if (seen.has(a[1])) throw new Error(`attribute ${a[1]} repeated in <${name}>`);
        seen.add(a[1]);
        checkText(a[2], `attribute ${a[1]}`);
        if (a[2].includes("<")) throw new Error(`< in attribute ${a[1]}`);
        if (a[1] === "class") classes[a[2]] = (classes[a[2]] ?? 0) + 1;
      }
      tags[name] = (tags[name] ?? 0) + 1;
      if (!selfClose) {
        stack.push(name);
        if (name === "title") titleStart = lt + whole.length;
      }
    }
    pos = lt + whole.length;
  }
  if (stack.length) throw new Error(`unclosed <${stack.join("> <")}>`);
  if (roots !== 1) throw new Error("no root element");
  return { tags, classes, titles };
}
