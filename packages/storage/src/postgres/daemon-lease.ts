import pg from "pg";
import type { LaunchLease } from "../launch-storage.ts";
import { clientConfig, type PostgresConnectionOptions } from "./connection.ts";

/** Advisory lock class of daemon leases; the second key is `hashtext(owner)`. */
export const DAEMON_LEASE_LOCK_CLASS = 0x6c65_6173; // "leas"

const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000];

/**
 * SQL true when the daemon named by the text expression `owner` holds its lease in this database. A hash
 * collision between two daemon ids only makes a dead daemon look alive: its launches then wait for
 * `start_timeout_seconds`, never run twice.
 */
export function leaseHeldSql(owner: string): string {
  return `EXISTS (SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = ${DAEMON_LEASE_LOCK_CLASS}::oid AND l.objid = hashtext(${owner})::oid)`;
}

/**
 * A daemon's lease: a session advisory lock on a connection of its own. PostgreSQL frees it the moment
 * that connection ends, so a daemon killed with -9 loses it at once, while a live daemon keeps it for as
 * long as it lives. A dropped connection (a database restart) is reconnected and the lock taken again;
 * meanwhile other daemons may take over this daemon's unlaunched runs, which the launch claims make safe.
 */
export class DaemonLease implements LaunchLease {
  private client: pg.Client | null = null;
  private released = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly options: PostgresConnectionOptions,
    private readonly owner: string,
  ) {}

  /** Resolves once the lease is held. */
  static async take(options: PostgresConnectionOptions, owner: string): Promise<DaemonLease> {
    const lease = new DaemonLease(options, owner);
    await lease.connect();
    return lease;
  }

  get held(): boolean {
    return this.client !== null;
  }

  async release(): Promise<void> {
    this.released = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    // Ending the session frees the lock.
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ ...clientConfig(this.options), application_name: "bosun-daemon-lease" });
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    try {
      await client.connect();
      await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [DAEMON_LEASE_LOCK_CLASS, this.owner]);
    } catch (error) {
      client.removeAllListeners("end");
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.released) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.released || this.timer) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt++, RECONNECT_DELAYS_MS.length - 1)]!;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect().catch(() => this.reconnectLater());
    }, delay);
    this.timer.unref();
  }
}
