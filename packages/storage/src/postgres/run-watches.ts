import type { Subscription } from "../storage.ts";
import { CursorFollower } from "./cursor-follower.ts";
import type { NotificationListener } from "./notification-listener.ts";

/**
 * The open watches of one storage on one NOTIFY channel whose payload is a run id (event logs, compute
 * logs). Each watch follows one run with a `CursorFollower`, poked when its run is notified and after the
 * listener reconnects (notifications sent meanwhile are lost, so every watch re-reads from its cursor).
 */
export class RunWatches {
  private readonly followers = new Set<CursorFollower>();

  constructor(
    private readonly listener: NotificationListener,
    private readonly channel: string,
  ) {}

  /**
   * Follows `runId`: `step` reads past the watch's own cursor, delivers what it read unless `isClosed()`,
   * and returns true when there may be more to read right away. Resolves after the first read; when that
   * read fails, nothing is left open and the error is thrown.
   */
  async follow(runId: string, step: (isClosed: () => boolean) => Promise<boolean>): Promise<Subscription> {
    const follower: CursorFollower = new CursorFollower(() => step(() => follower.isClosed));
    // LISTEN first, then read: an append that commits after the read started is notified; one that
    // committed before is in the read. The cursor keeps a notified-and-already-read row from repeating.
    const unsubscribe = await this.listener.subscribe(
      this.channel,
      (payload) => {
        if (payload === runId) void follower.poke();
      },
      () => void follower.poke(),
    );
    this.followers.add(follower);
    const close = async () => {
      unsubscribe();
      this.followers.delete(follower);
      await follower.close();
    };
    try {
      await follower.start();
    } catch (error) {
      await close();
      throw error;
    }
    return { close };
  }

  /** Ends every open watch (storage close). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.followers].map((follower) => follower.close()));
    this.followers.clear();
  }
}
