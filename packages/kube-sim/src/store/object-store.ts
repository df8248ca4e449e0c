import { ApiError } from "../apiserver/api-error.ts";
import type { ResourceType } from "../resources/resource-types.ts";
import { clone, type KObject } from "./k8s-object.ts";

/**
 * In-memory object storage with one global resourceVersion counter (like etcd's revision) and a
 * bounded history of change events so that watches can resume from a resourceVersion. A watch
 * asking for a version older than the retained history gets `410 Gone`, as from a real server
 * after compaction.
 */
export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  readonly type: EventType;
  readonly resource: ResourceType;
  readonly object: KObject;
  /** The object before this change (MODIFIED and DELETED). */
  readonly previous: KObject | undefined;
  readonly resourceVersion: number;
}

export type StoreListener = (event: StoreEvent) => void;

export const resourceKey = (type: ResourceType) => `${type.group}/${type.plural}`;
const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ""}/${name}`;

export class ObjectStore {
  private revision = 1;
  private readonly tables = new Map<string, Map<string, KObject>>();
  private readonly history: StoreEvent[] = [];
  private historyStart = 0;
  /** Versions at or below this are no longer in history. */
  private compactedRevision = 1;
  private readonly listeners = new Set<StoreListener>();

  constructor(private readonly historyLimit = 50_000) {}

  get currentRevision(): number {
    return this.revision;
  }

  get oldestWatchableRevision(): number {
    return this.compactedRevision;
  }

  private table(type: ResourceType): Map<string, KObject> {
    const key = resourceKey(type);
    let table = this.tables.get(key);
    if (!table) {
      table = new Map();
      this.tables.set(key, table);
    }
    return table;
  }

  /** Returns the stored object itself (callers must not mutate it; use `clone`). */
  peek(type: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    return this.table(type).get(objectKey(type.namespaced ? namespace : undefined, name));
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    const found = this.peek(type, namespace, name);
    return found ? clone(found) : undefined;
  }

  /** Stored objects of a type, optionally in one namespace; the objects are shared, do not mutate. */
  scan(type: ResourceType, namespace?: string): KObject[] {
    const out: KObject[] = [];
    for (const object of this.table(type).values()) {
      if (namespace === undefined || object.metadata.namespace === namespace) out.push(object);
    }
    return out;
  }

  private record(
    type: EventType,
    resource: ResourceType,
    object: KObject,
    previous: KObject | undefined,
  ): void {
    const event: StoreEvent = { type, resource, object, previous, resourceVersion: this.revision };
    this.history.push(event);
    if (this.history.length - this.historyStart > this.historyLimit) {
      this.compactedRevision = this.history[this.historyStart]!.resourceVersion;
      this.historyStart++;
      if (this.historyStart > 10_000) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const listener of this.listeners) listener(event);
  }

  /** Inserts a new object; assigns its resourceVersion. */
  insert(type: ResourceType, object: KObject): KObject {
    const table = this.table(type);
    const key = objectKey(object.metadata.namespace, object.metadata.name!);
    if (table.has(key)) throw ApiError.alreadyExists(type.group, type.plural, object.metadata.name!);
    this.revision++;
    object.metadata.resourceVersion = String(this.revision);
    const stored = clone(object);
    table.set(key, stored);
    this.record("ADDED", type, stored, undefined);
    return clone(stored);
  }

  /** Replaces an existing object; assigns a new resourceVersion. */
  replace(type: ResourceType, object: KObject): KObject {
    const table = this.table(type);
    const key = objectKey(object.metadata.namespace, object.metadata.name!);
    const previous = table.get(key);
    if (!previous) throw ApiError.notFound(type.group, type.plural, object.metadata.name!);
    this.revision++;
    object.metadata.resourceVersion = String(this.revision);
    const stored = clone(object);
    table.set(key, stored);
    this.record("MODIFIED", type, stored, previous);
    return clone(stored);
  }

  remove(type: ResourceType, namespace: string | undefined, name: string): KObject {
    const table = this.table(type);
    const key = objectKey(type.namespaced ? namespace : undefined, name);
    const previous = table.get(key);
    if (!previous) throw ApiError.notFound(type.group, type.plural, name);
    table.delete(key);
    this.revision++;
    const stored = clone(previous);
    stored.metadata.resourceVersion = String(this.revision);
    this.record("DELETED", type, stored, previous);
    return clone(stored);
  }

  /**
   * Events after `fromRevision` (exclusive) for one resource type. Throws 410 Gone when that
   * version has been compacted away.
   */
  eventsSince(type: ResourceType, fromRevision: number): StoreEvent[] {
    if (fromRevision < this.compactedRevision) {
      throw ApiError.gone(`too old resource version: ${fromRevision} (${this.compactedRevision})`);
    }
    const key = resourceKey(type);
    const out: StoreEvent[] = [];
    for (let i = this.history.length - 1; i >= this.historyStart; i--) {
      const event = this.history[i]!;
      if (event.resourceVersion <= fromRevision) break;
      if (resourceKey(event.resource) === key) out.push(event);
    }
    return out.reverse();
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
