import pg from "pg";
import { clientConfig, type PostgresConnectionOptions } from "./connection.ts";

type Handler = (payload: string) => void;

const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * One dedicated connection per storage instance that LISTENs on the storage's channels and fans
 * notifications out to every subscription. Connected lazily on the first subscription.
 *
 * Notifications can be lost while the connection is down, so after a reconnect every `onReconnect`
 * callback runs: subscribers re-read from their cursor, which makes the gap harmless.
 */
export class NotificationListener {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly reconnectCallbacks = new Set<() => void>();
  private closed = false;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: PostgresConnectionOptions,
    private readonly channels: readonly string[],
  ) {}

  /** Resolves once LISTEN is in effect, so anything committed afterwards is notified. */
  async subscribe(channel: string, handler: Handler, onReconnect: () => void): Promise<() => void> {
    if (!this.channels.includes(channel)) throw new Error(`channel ${channel} is not listened to`);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    this.reconnectCallbacks.add(onReconnect);
    try {
      await this.ensureConnected();
    } catch (error) {
      set.delete(handler);
      this.reconnectCallbacks.delete(onReconnect);
      throw error;
    }
    return () => {
      set.delete(handler);
      this.reconnectCallbacks.delete(onReconnect);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("storage is closed"));
    if (this.client) return Promise.resolve();
    if (!this.connecting) {
      this.connecting = this.connect().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ ...clientConfig(this.options), application_name: "bosun-listener" });
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    client.on("notification", (message) => {
      const handlers = this.handlers.get(message.channel);
      if (!handlers) return;
      for (const handler of handlers) handler(message.payload ?? "");
    });
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error("storage is closed");
    }
    this.client = client;
    this.reconnectAttempt = 0;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (!this.closed) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.closed || this.reconnectCallbacks.size === 0) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.reconnectAttempt, RECONNECT_DELAYS_MS.length - 1)]!;
    this.reconnectAttempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.ensureConnected().then(
        () => {
          for (const callback of this.reconnectCallbacks) callback();
        },
        () => this.scheduleReconnect(),
      );
    }, delay);
    this.reconnectTimer.unref();
  }
}
