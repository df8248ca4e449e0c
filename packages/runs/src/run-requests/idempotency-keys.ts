/** A schedule or sensor evaluation that asked for runs: what makes each of its requests unique. */
export interface InstigatorTick {
  readonly kind: "schedule" | "sensor";
  readonly location: string;
  /** The schedule's or sensor's name. */
  readonly name: string;
  readonly tickId: string;
  /** The schedule tick's key (its scheduled time); sensors key their runs by tick id or run key instead. */
  readonly tickKey: string;
}

/**
 * The idempotency key of the `index`-th run request of a tick. A schedule tick's requests are keyed by the
 * tick (a retried tick queues nothing twice). A sensor's request with a run key is keyed by that key
 * alone, across ticks (the sensor never gets two runs for one key); without one, by its tick.
 */
export function instigatorIdempotencyKey(
  tick: InstigatorTick,
  runKey: string | undefined,
  index: number,
): string {
  const prefix = `${tick.kind}/${tick.location}/${tick.name}`;
  if (tick.kind === "schedule") return `${prefix}/${tick.tickKey}/${runKey ?? `#${index}`}`;
  return runKey !== undefined ? `${prefix}/key/${runKey}` : `${prefix}/tick/${tick.tickId}/#${index}`;
}
