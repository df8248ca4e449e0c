import type { RunEvent } from "../../api/types.ts";

/**
 * Where each attempt's output lies in a step's stdout and stderr. Every attempt of a step appends to the
 * same two streams; the LOGS_CAPTURED event that closes an attempt says where its output ends in each
 * (bytes), so an attempt's output runs from the previous attempt's end to its own.
 */
export type LogStream = "stdout" | "stderr";
export type StreamOffsets = Readonly<Record<LogStream, number>>;

export interface AttemptLogRange {
  readonly attempt: number;
  readonly from: StreamOffsets;
  /** null while the attempt may still write (running, or its worker died before saying where it ended). */
  readonly to: StreamOffsets | null;
}

function offsetsOf(value: unknown): StreamOffsets | null {
  if (!value || typeof value !== "object") return null;
  const { stdout, stderr } = value as Record<string, unknown>;
  return typeof stdout === "number" && typeof stderr === "number" ? { stdout, stderr } : null;
}

/**
 * The attempts of one step with their output ranges, in order; empty when the events cannot tell the
 * attempts' output apart (written by a Bosun that did not record where each attempt's output ends).
 */
export function attemptLogRanges(events: readonly RunEvent[], stepKey: string): AttemptLogRange[] {
  const ranges: { attempt: number; from: StreamOffsets; to: StreamOffsets | null }[] = [];
  let end: StreamOffsets = { stdout: 0, stderr: 0 };
  for (const event of events) {
    if (event.stepKey !== stepKey) continue;
    const open = ranges.at(-1);
    switch (event.type) {
      case "STEP_START": {
        const attempt = typeof event.data.attempt === "number" ? event.data.attempt : ranges.length + 1;
        ranges.push({ attempt, from: end, to: null });
        break;
      }
      case "LOGS_CAPTURED": {
        const logEnd = offsetsOf(event.data.logEnd);
        if (!logEnd) return [];
        end = logEnd;
        if (open && open.to === null) open.to = logEnd;
        break;
      }
      case "STEP_SUCCESS":
      case "STEP_RETRY":
      case "STEP_FAILURE":
        // An attempt that printed nothing has no LOGS_CAPTURED: its output is empty.
        if (open && open.to === null) open.to = end;
        break;
      default:
        break;
    }
  }
  return ranges;
}
