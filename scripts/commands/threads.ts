/**
 * How many threads a command reads a trace on when `--workers` does not
 * say: decided from the file's size and kind alone, before it is read.
 *
 * @module
 */

import {
  type InputShape as FileShape,
  inputShape,
  isHttpUrl,
  traceBytesOf,
} from "../../src/reader/input.ts";
import { WORKER_MIN_BYTES } from "../../src/wire/worker_bytes.ts";
import { userPath } from "./paths.ts";

/**
 * What {@link analysisThreads} decides on: the file's size as it is on disk
 * (null: not a regular file, e.g. stdin or a URL) and whether it is gzip,
 * and the machine.
 */
export interface InputShape extends FileShape {
  /** Cores of the machine. */
  cores: number;
  /** A `--partial` mode was asked for (those reads are sequential). */
  partial: boolean;
}

/** Trace bytes from which an analysis reads on two threads by itself (the wire layer's bound). */
export const AUTO_MIN_BYTES = WORKER_MIN_BYTES;
/** Trace bytes up to which it does: two threads hold the whole trace in memory. */
export const AUTO_MAX_BYTES = 256 << 20;

/**
 * The threads `trace summary`, `trace goroutines` and `trace export --from`
 * read a trace on when `--workers` is not given: two (a worker orders the
 * events while this thread analyzes or writes them) for a regular file of
 * 8 to 256 MB of trace (gzip counted four times its size) on a machine of
 * two cores or more, else one. On the two real traces of the perf corpus (48 and 71 MB, 8.6 and
 * 14.9 M events) two threads took 20-25% less time for the summary (5-18%
 * for goroutines), with 35-110 MB more memory (the trace is held whole).
 * Below a few megabytes the worker's start costs more than it saves; above
 * 256 MB, holding the whole trace would cost more memory than a command
 * may take (400 MB on a 100 MB trace). `syscalls` and `steals` stay on one
 * thread unless asked: their analyses cost less than ordering, so the
 * worker's ordering (and the events' crossing) is what they would wait
 * for, and they measured no faster. `dump --decode-only` decodes on the
 * same number of threads.
 */
export function analysisThreads(shape: InputShape): number {
  if (shape.partial || shape.size === null || shape.cores < 2) return 1;
  const bytes = traceBytesOf(shape)!;
  return bytes >= AUTO_MIN_BYTES && bytes <= AUTO_MAX_BYTES ? 2 : 1;
}

/**
 * The threads to read FILE (as the user named it) on: `asked` when
 * `--workers` gave it (not 0), else {@link analysisThreads}.
 */
export async function analysisThreadsFor(
  file: string,
  partial: boolean,
  asked = 0,
): Promise<number> {
  return asked !== 0 ? asked : threadsForShape(await fileShape(file), partial);
}

/**
 * {@link analysisThreadsFor} of a file whose {@link fileShape} is known
 * already (null: not a regular file): `asked` when not 0, else
 * {@link analysisThreads} on this machine.
 */
export function threadsForShape(shape: FileShape | null, partial: boolean, asked = 0): number {
  if (asked !== 0) return asked;
  if (shape === null) return 1;
  return analysisThreads({ ...shape, cores: navigator.hardwareConcurrency ?? 1, partial });
}

/**
 * The size and compression of FILE as the user named it; null for standard
 * input, a URL, or a file that cannot be opened (which is reported when it
 * is opened to be read).
 */
export async function fileShape(file: string): Promise<FileShape | null> {
  if (file === "-" || isHttpUrl(file)) return null;
  return await inputShape(userPath(file));
}
