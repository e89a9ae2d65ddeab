/**
 * Short names for wire events in explanations: `ProcSteal p=0 p_seq=3 m=0`.
 *
 * @module
 */

import { wireArg, type WireEvent } from "../wire/cursor.ts";
import { SPECS } from "../wire/spec.ts";
import { formatU64 } from "../wire/uvarint.ts";

export { wireArg };

/** Arguments of a wire event by name (the timestamp delta left out). */
export function wireArgs(ev: WireEvent): Record<string, number> {
  const out: Record<string, number> = {};
  SPECS[ev.type].args.slice(1).forEach((name, i) => out[name] = wireArg(ev, i));
  return out;
}

/**
 * An event's name and arguments, without its timestamp or stack/string ids.
 *
 * @example
 * ```ts
 * import { describeWire } from "./describe.ts";
 * const ev = { type: 12, time: 0, a0: 0, a1: 3, a2: 0, a3: 0 }; // ProcSteal
 * console.assert(describeWire(ev) === "ProcSteal p=0 p_seq=3 m=0");
 * ```
 */
export function describeWire(ev: WireEvent): string {
  const spec = SPECS[ev.type];
  const parts = [spec?.name || `type ${ev.type}`];
  spec?.args.slice(1).forEach((name, i) => {
    if (name === "stack" || name === "new_stack" || name.endsWith("_string")) return;
    parts.push(`${name}=${formatU64(wireArg(ev, i))}`);
  });
  return parts.join(" ");
}
