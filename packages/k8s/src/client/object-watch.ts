/**
 * A cache of one kind of object in one namespace, kept current by a Kubernetes watch: one list, then
 * one long-lived watch request resumed from the last resource version it saw (bookmarks keep that
 * version fresh), relisting only when the server answers 410 Gone. Callbacks fire for every add,
 * update and delete. A watch the server ends is resumed at once; a failed one after a pause that
 * doubles up to 30 s, so a restarting API server is neither hammered nor given up on.
 *
 * (client-node's own ListWatch backs off even after normal server-side closes, which can leave a
 * watch silent for up to 30 s; a worker waiting on its Job cannot afford that.)
 */
import type { KubernetesListObject, KubernetesObject } from "@kubernetes/client-node";
import { Watch } from "@kubernetes/client-node";
import type { KubeClients } from "./kube-clients.ts";

/** What happened to a watched object. */
export type WatchVerb = "add" | "update" | "delete";

/** Which collection an `ObjectWatch` follows (path, list call, selectors) and whom it tells. */
export interface ObjectWatchOptions<T extends KubernetesObject> {
  readonly clients: KubeClients;
  /** API path of the collection, e.g. `/apis/batch/v1/namespaces/data/jobs`. */
  readonly path: string;
  readonly list: () => Promise<KubernetesListObject<T>>;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly onChange: (verb: WatchVerb, object: T) => void;
  /** Told about failed lists and watches (the watch carries on by itself). */
  readonly onError?: (error: unknown) => void;
  /** Ask the server to end each watch request after this long (it is then resumed). Default 300 s. */
  readonly watchTimeoutSeconds?: number;
}

const MAX_BACKOFF_MS = 30_000;
/** client-node aborts a watch that receives nothing this long; the server's bookmarks (about once a minute) keep it alive. */
const WATCH_INACTIVITY_MS = 150_000;

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; code?: unknown } | null;
  const value = e?.statusCode ?? e?.code;
  return typeof value === "number" ? value : undefined;
}

/**
 * A watched cache of one kind of object in one namespace (see the file header): one list, then one long-lived
 * watch resumed from the last resource version.
 */
export class ObjectWatch<T extends KubernetesObject> {
  private readonly objects = new Map<string, T>();
  private readonly watch: Watch;
  private resourceVersion = "";
  private controller: AbortController | null = null;
  private closed = false;
  private isSynced = false;
  private resolveSynced: () => void = () => undefined;
  private wake: (() => void) | null = null;
  private readonly loop: Promise<void>;
  /** Resolves once the first list is in the cache. */
  readonly synced: Promise<void>;
  /** List and watch requests made so far. */
  requests = 0;

  constructor(private readonly options: ObjectWatchOptions<T>) {
    this.watch = new Watch(options.clients.kc);
    (this.watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = WATCH_INACTIVITY_MS;
    this.synced = new Promise((resolve) => {
      this.resolveSynced = resolve;
    });
    this.loop = this.run();
  }

  get ready(): boolean {
    return this.isSynced;
  }

  get(name: string, _namespace?: string): T | undefined {
    return this.objects.get(name);
  }

  list(): readonly T[] {
    return [...this.objects.values()];
  }

  async close(): Promise<void> {
    this.closed = true;
    this.controller?.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoffMs = 500;
    while (!this.closed) {
      let failure: unknown = null;
      try {
        if (this.resourceVersion === "") await this.relist();
        failure = await this.watchOnce();
        if (failure === null) backoffMs = 500;
      } catch (error) {
        failure = error;
      }
      if (this.closed) return;
      if (failure === null) continue;
      if (statusOf(failure) === 410) {
        this.resourceVersion = "";
        continue;
      }
      if ((failure as { name?: string }).name === "TimeoutError") continue;
      this.options.onError?.(failure);
      await this.pause(backoffMs);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }
  }

  private async relist(): Promise<void> {
    this.requests++;
    const list = await this.options.list();
    const names = new Set<string>();
    for (const object of list.items) {
      const name = object.metadata?.name ?? "";
      names.add(name);
      const known = this.objects.has(name);
      this.objects.set(name, object);
      this.options.onChange(known ? "update" : "add", object);
    }
    for (const [name, object] of [...this.objects]) {
      if (names.has(name)) continue;
      this.objects.delete(name);
      this.options.onChange("delete", object);
    }
    this.resourceVersion = list.metadata?.resourceVersion ?? "";
    if (!this.isSynced) {
      this.isSynced = true;
      this.resolveSynced();
    }
  }

  /** One watch request; resolves with null when the server ended it, else the error. */
  private watchOnce(): Promise<unknown> {
    this.requests++;
    return new Promise((resolve) => {
      const query: Record<string, string | number | boolean> = {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: this.options.watchTimeoutSeconds ?? 300,
      };
      if (this.options.labelSelector) query.labelSelector = this.options.labelSelector;
      if (this.options.fieldSelector) query.fieldSelector = this.options.fieldSelector;
      let gone: unknown = null;
      this.watch
        .watch(
          this.options.path,
          query,
          (type: string, object: T & { code?: number }) =>
            this.onWatchEvent(type, object, (error) => (gone = error)),
          (error: unknown) => {
            this.controller = null;
            resolve(gone ?? (this.closed ? null : (error ?? null)));
          },
        )
        .then(
          (controller) => {
            this.controller = controller;
            if (this.closed) controller.abort();
          },
          (error: unknown) => resolve(error),
        );
    });
  }

  private onWatchEvent(type: string, object: T & { code?: number }, setGone: (error: unknown) => void): void {
    if (type === "ERROR") {
      if (object.code === 410) setGone({ statusCode: 410 });
      this.controller?.abort();
      return;
    }
    const version = object.metadata?.resourceVersion;
    if (version) this.resourceVersion = version;
    if (type === "BOOKMARK") return;
    const name = object.metadata?.name ?? "";
    if (type === "DELETED") {
      this.objects.delete(name);
      this.options.onChange("delete", object);
    } else if (type === "ADDED" || type === "MODIFIED") {
      const known = this.objects.has(name);
      this.objects.set(name, object);
      this.options.onChange(known ? "update" : "add", object);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
