import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { seg } from "./client.ts";
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
    const source = new EventSource(`/api/runs/${seg(runId)}/events/stream`);
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

/** A step's stdout or stderr, streamed; the text grows as chunks arrive. */
export function useStepLog(
  runId: string,
  stepKey: string | null,
  stream: "stdout" | "stderr",
): LogStreamState {
  const [state, setState] = useState<LogStreamState>({ text: "", complete: false, bytes: 0 });
  useEffect(() => {
    setState({ text: "", complete: false, bytes: 0 });
    if (!stepKey) return;
    const source = new EventSource(`/api/runs/${seg(runId)}/logs/${seg(stepKey)}/${stream}/stream`);
    let offset = 0;
    source.onmessage = (message) => {
      const chunk = JSON.parse(message.data) as { data: string; nextOffset: number };
      if (chunk.nextOffset <= offset) return;
      offset = chunk.nextOffset;
      setState((s) => ({ ...s, text: s.text + chunk.data, bytes: chunk.nextOffset }));
    };
    source.addEventListener("end", () => {
      source.close();
      setState((s) => ({ ...s, complete: true }));
    });
    return () => source.close();
  }, [runId, stepKey, stream]);
  return state;
}
