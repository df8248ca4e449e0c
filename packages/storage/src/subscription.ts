/** A live subscription (events, compute logs, the run queue); `close()` ends it. */
export interface Subscription {
  close(): Promise<void>;
}
