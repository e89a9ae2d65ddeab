/**
 * Values that show themselves well everywhere: as HTML or SVG in Jupyter
 * (through `Symbol.for("Jupyter.display")`, with a `text/plain` fallback),
 * and as text in the REPL, `console.log` and string templates.
 *
 * @module
 */

import { escapeText } from "./html.ts";

/**
 * The symbol Deno's Jupyter kernel calls to get a value's MIME bundle.
 *
 * @example
 * ```ts
 * import { JUPYTER_DISPLAY } from "./rich.ts";
 * console.assert(JUPYTER_DISPLAY === Symbol.for("Jupyter.display"));
 * ```
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/**
 * Rich MIME types a {@link Rich} value can carry besides its text.
 *
 * @example
 * ```ts
 * import type { RichMime } from "./rich.ts";
 * const m: RichMime = "image/svg+xml";
 * console.assert(m.startsWith("image/"));
 * ```
 */
export type RichMime = "text/html" | "image/svg+xml";

/**
 * A rendered view: markup for notebooks plus text for terminals.
 *
 * @example
 * ```ts
 * import { JUPYTER_DISPLAY, Rich } from "./rich.ts";
 * const r = new Rich("<b>3 goroutines</b>", "3 goroutines");
 * console.assert(String(r) === "3 goroutines");
 * console.assert(r[JUPYTER_DISPLAY]()["text/html"] === "<b>3 goroutines</b>");
 * ```
 */
export class Rich {
  /**
   * A rendered value from its markup and its text.
   * @param markup HTML (or SVG, with `mime` "image/svg+xml")
   * @param text the plain-text rendering
   * @param mime the markup's MIME type
   */
  constructor(
    readonly markup: string,
    text: string,
    readonly mime: RichMime = "text/html",
  ) {
    // Text from the trace must not drive the terminal.
    this.text = escapeText(text, { keepNewlines: true });
  }

  /** The plain-text rendering (control characters escaped). */
  readonly text: string;

  /** The text rendering. */
  toString(): string {
    return this.text;
  }

  /** The REPL and `console.log` print the text, not the object's fields. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.text;
  }

  /** The MIME bundle for Jupyter. */
  [JUPYTER_DISPLAY](): Record<string, string> {
    return { [this.mime]: this.markup, "text/plain": this.text };
  }
}
