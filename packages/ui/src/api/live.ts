import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { seg } from "./client.ts";
import { apiPath } from "./deployment.ts";
import { keys } from "./queries.ts";
import { isRunLevelEvent, type RunEvent } from "./types.ts";

/**
 * Live data over Server-Sent Events. The browser's EventSource reconnects by itself and sends
 * Last-Event-ID, so the server resumes where the stream broke; an `end` event means nothing more will come.
 */

export interface RunEventsState {
  readonly events: readonly RunEvent[];
  /** The server said the run's story is complete. */
  readonly complete: boolean;
  /** The stream is currently connected. */
  readonly connected: boolean;
}

/**
 * Every event of a run, stored then live. Arrivals are batched per animation frame, so ten thousand events
 * replayed at once cost a handful of renders; a run-level event refreshes the run's status.
 */
export function useRunEvents(runId: string): RunEventsState {
  const client = useQueryClient();
  const [state, setState] = useState<RunEventsState>({ events: [], complete: false, connected: false });
  const pending = useRef<RunEvent[]>([]);
  const lastSeq = useRef(0);

  useEffect(() => {
    setState({ events: [], complete: false, connected: false });
    pending.current = [];
    lastSeq.current = 0;
    const source = new EventSource(apiPath(`/api/runs/${seg(runId)}/events/stream`));
    let frame: number | null = null;
    let runChanged = false;
    const flush = () => {
      frame = null;
      const batch = pending.current;
      pending.current = [];
      if (batch.length > 0) setState((s) => ({ ...s, events: s.events.concat(batch) }));
      if (runChanged) {
        runChanged = false;
        void client.invalidateQueries({ queryKey: keys.run(runId) });
      }
    };
    const schedule = () => {
      // requestAnimationFrame does not run in a hidden tab; a timer does.
      frame ??= document.hidden ? window.setTimeout(flush, 100) : window.requestAnimationFrame(flush);
    };
    source.onopen = () => setState((s) => (s.connected ? s : { ...s, connected: true }));
    source.onmessage = (message) => {
      const event = JSON.parse(message.data) as RunEvent;
      // After a reconnect the server resumes from Last-Event-ID; drop anything already held.
      if (event.seq <= lastSeq.current) return;
      lastSeq.current = event.seq;
      pending.current.push(event);
      if (isRunLevelEvent(event.type)) runChanged = true;
      schedule();
    };
    source.addEventListener("end", () => {
      source.close();
      flush();
      setState((s) => ({ ...s, complete: true, connected: false }));
      void client.invalidateQueries({ queryKey: keys.run(runId) });
    });
    source.onerror = () => setState((s) => (s.connected ? { ...s, connected: false } : s));
    return () => {
      source.close();
      if (frame !== null) {
        window.cancelAnimationFrame(frame);
        window.clearTimeout(frame);
      }
    };
  }, [runId, client]);

  return state;
}

export interface LogStreamState {
  readonly text: string;
  readonly complete: boolean;
  readonly bytes: number;
}

/** A byte range of a stream: `to` null reads on to the end (and follows it while the run goes on). */
export interface LogRange {
  readonly from: number;
  readonly to: number | null;
}

/** The first `maxBytes` bytes of `text` as UTF-8 (offsets are bytes, the text is characters). */
export function utf8Head(text: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return text;
  return new TextDecoder().decode(bytes.slice(0, Math.max(0, maxBytes)));
}

/**
 * A step's stdout or stderr, streamed; the text grows as chunks arrive. With a range, only that part of
 * the stream (one attempt's output): the stream starts at `from` and stops at `to`.
 */
export function useStepLog(
  runId: string,
  stepKey: string | null,
  stream: "stdout" | "stderr",
  range: LogRange | null = null,
): LogStreamState {
  const [state, setState] = useState<LogStreamState>({ text: "", complete: false, bytes: 0 });
  const from = range?.from ?? 0;
  const to = range?.to ?? null;
  useEffect(() => {
    setState({ text: "", complete: false, bytes: 0 });
    if (!stepKey) return;
    if (to !== null && to <= from) {
      setState({ text: "", complete: true, bytes: 0 });
      return;
    }
    const query = from > 0 ? `?offset=${from}` : "";
    const source = new EventSource(
      apiPath(`/api/runs/${seg(runId)}/logs/${seg(stepKey)}/${stream}/stream${query}`),
    );
    let offset = from;
    source.onmessage = (message) => {
      const chunk = JSON.parse(message.data) as { data: string; nextOffset: number };
      if (chunk.nextOffset <= offset) return;
      const reachedEnd = to !== null && chunk.nextOffset >= to;
      const data = reachedEnd ? utf8Head(chunk.data, to - offset) : chunk.data;
      offset = reachedEnd ? to : chunk.nextOffset;
      setState((s) => ({ text: s.text + data, bytes: offset - from, complete: reachedEnd }));
      if (reachedEnd) source.close();
    };
    source.addEventListener("end", () => {
      source.close();
      setState((s) => ({ ...s, complete: true }));
    });
    return () => source.close();
  }, [runId, stepKey, stream, from, to]);
  return state;
}
