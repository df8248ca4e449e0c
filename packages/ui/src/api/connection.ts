/**
 * Whether the webserver answers, as seen by the last requests: any request that could not reach it
 * marks it down, any answer marks it up. The banner subscribes; while down it polls `/api/health`.
 */
type Listener = () => void;

class ConnectionState {
  private down = false;
  private since: number | null = null;
  private readonly listeners = new Set<Listener>();

  get isDown(): boolean {
    return this.down;
  }

  get downSince(): number | null {
    return this.since;
  }

  reportFailure(): void {
    if (this.down) return;
    this.down = true;
    this.since = Date.now();
    this.emit();
  }

  reportSuccess(): void {
    if (!this.down) return;
    this.down = false;
    this.since = null;
    this.emit();
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): boolean => this.down;

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export const connection = new ConnectionState();
