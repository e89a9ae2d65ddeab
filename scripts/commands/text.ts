/**
 * `trace text`: the binary wire format to Go's textual test format and
 * back. The direction follows the input: a binary trace (`go 1.NN trace`
 * header, plain or gzip) becomes text, text (`Trace Go1.NN`) becomes binary.
 *
 * @module
 */

import { decodeRaw, encodeBinary, formatText, parseText } from "../../src/wire/text.ts";
import { type Command, oneFile, OutputError, parse, UsageError } from "./cli.ts";
import { LEGACY_VERSIONS, readHeader } from "../../src/wire/header.ts";
import { readInput } from "./io.ts";
import { Destination } from "./output.ts";

const HELP = `Usage: deno task trace text [options] FILE

Converts between a trace's binary wire format and the textual format of
Go's trace tests (one "EventName key=value ..." line per wire event). The
direction follows FILE: binary (plain or gzip) becomes text; text becomes
binary. FILE may be "-" for standard input.

Options:
  -o, --output PATH  write here instead of standard output ("-"); needed for
                     binary output when standard output is a terminal. The
                     file is replaced only once the output is complete, and
                     never when it is FILE itself
  -h, --help         show this help

Exit status: 0 converted, 1 the input is not a readable trace, 2 usage.
`;

function isText(bytes: Uint8Array): boolean {
  // Text traces may open with "#" comments and blank lines before "Trace Go1.NN".
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  return /^(?:\s*(?:#[^\n]*)?\n)*\s*Trace Go1\.\d+/.test(head);
}

/** The `text` command. */
export const textCommand: Command = {
  name: "text",
  summary: "binary trace <-> textual wire format",
  help: HELP,
  async run(args) {
    const p = parse(args, { output: { type: "string", short: "o" } }, HELP);
    if (!p) return 0;
    const file = oneFile(p);
    return await Destination.with(p.values.output as string | undefined, [file], async (d) => {
      const bytes = await readInput(file);
      let out: Uint8Array;
      if (isText(bytes)) {
        out = encodeBinary(parseText(new TextDecoder().decode(bytes)));
        if (d.stdout && Deno.stdout.isTerminal()) {
          throw new UsageError("binary output to a terminal: redirect it or use -o PATH");
        }
      } else {
        let version = -1;
        try {
          version = readHeader(bytes);
        } catch { /* not a trace: decodeRaw says so */ }
        if (LEGACY_VERSIONS.includes(version)) {
          throw new OutputError(
            `${file} is a Go 1.${version} trace: the textual format exists for Go 1.22+ traces only`,
            1,
          );
        }
        out = new TextEncoder().encode(formatText(decodeRaw(bytes)));
      }
      d.out.bytes(out);
      return 0;
    });
  },
};
