import type { Tick } from "../../api/types.ts";
import { Pill } from "../../components/status-badge.tsx";

const TONES = { SUCCESS: "ok", FAILURE: "bad", SKIPPED: "muted", STARTED: "info" } as const;

export function TickStatus({ tick }: { tick: Tick }) {
  return <Pill tone={TONES[tick.status]}>{tick.status.toLowerCase()}</Pill>;
}
