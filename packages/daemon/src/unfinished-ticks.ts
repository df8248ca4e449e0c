/**
 * Tells when a tick another daemon claimed has stayed unfinished for too long, measured on this daemon's
 * own clock from when it first saw the tick unfinished (so clock skew between machines does not matter).
 */
export class UnfinishedTicks {
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly staleAfterMs: number) {}

  /** True once `tickId` has been seen unfinished for `staleAfterMs`. */
  isStale(tickId: string, now: number): boolean {
    const seen = this.firstSeen.get(tickId);
    if (seen === undefined) {
      this.firstSeen.set(tickId, now);
      return false;
    }
    return now - seen >= this.staleAfterMs;
  }

  forget(tickId: string): void {
    this.firstSeen.delete(tickId);
  }
}
