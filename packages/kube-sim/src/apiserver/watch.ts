import type { ServerResponse } from "node:http";
import { apiVersionOf, type ResourceType } from "../resources/resource-types.ts";
import { clone, type KObject } from "../store/k8s-object.ts";
import type { StoreEvent } from "../store/object-store.ts";
import {
  type FieldRequirement,
  matchesFields,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
  type Requirement,
} from "../store/selectors.ts";
import { ApiError } from "./api-error.ts";
import type { Registry } from "./registry.ts";

/**
 * A watch stream: newline-delimited JSON events (`ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK`,
 * `ERROR`). Starting from a resourceVersion replays the retained history after it; a version
 * older than the history gets an `ERROR` event carrying a 410 Expired status, as from a real
 * API server.
 */
export interface WatchRequest {
  readonly type: ResourceType;
  readonly namespace: string | undefined;
  readonly resourceVersion: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  readonly allowBookmarks: boolean;
  readonly sendInitialEvents: boolean | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly bookmarkIntervalMs: number;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export function openWatch(
  registry: Registry,
  request: WatchRequest,
  response: ServerResponse,
  onClose: (close: () => void) => () => void,
  transform?: (object: KObject) => unknown,
): void {
  const { type, namespace } = request;
  const labels: Requirement[] = request.labelSelector ? parseLabelSelector(request.labelSelector) : [];
  const fields: FieldRequirement[] = request.fieldSelector
    ? parseFieldSelector(request.fieldSelector, type.kind)
    : [];
  const matches = (o: KObject | undefined) =>
    o !== undefined &&
    (namespace === undefined || o.metadata.namespace === namespace) &&
    matchesRequirements(o.metadata.labels, labels) &&
    matchesFields(o, fields);
  const withType = (o: KObject) => {
    const typed = { ...clone(o), apiVersion: apiVersionOf(type), kind: type.kind };
    return transform ? transform(typed) : typed;
  };

  response.writeHead(200, {
    "Content-Type": "application/json",
    "Transfer-Encoding": "chunked",
    "Cache-Control": "no-cache",
  });
  response.flushHeaders();
  let closed = false;
  const send = (eventType: string, object: unknown) => {
    if (!closed) response.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };
  const translate = (event: StoreEvent) => {
    if (event.resource.group !== type.group || event.resource.plural !== type.plural) return;
    const now = matches(event.object);
    const before = event.type === "MODIFIED" && matches(event.previous);
    if (event.type === "ADDED" && now) send("ADDED", withType(event.object));
    else if (event.type === "DELETED" && now) send("DELETED", withType(event.object));
    else if (event.type === "MODIFIED") {
      if (now && before) send("MODIFIED", withType(event.object));
      else if (now && !before) send("ADDED", withType(event.object));
      else if (!now && before) send("DELETED", withType(event.object));
    }
  };

  const rv = request.resourceVersion;
  const store = registry.store;
  const initial = request.sendInitialEvents ?? (rv === undefined || rv === "" || rv === "0");
  if (rv !== undefined && rv !== "" && rv !== "0") {
    const from = Number(rv);
    if (!Number.isInteger(from)) throw ApiError.badRequest(`invalid resource version: ${rv}`);
    let backlog: StoreEvent[];
    try {
      backlog = store.eventsSince(type, from);
    } catch (error) {
      if (error instanceof ApiError && error.code === 410) {
        send("ERROR", error.toStatus());
        response.end();
        return;
      }
      throw error;
    }
    for (const event of backlog) translate(event);
  } else if (initial) {
    for (const object of store.scan(type, namespace)) if (matches(object)) send("ADDED", withType(object));
  }
  if (request.sendInitialEvents && request.allowBookmarks) {
    send("BOOKMARK", {
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: {
        resourceVersion: String(store.currentRevision),
        annotations: { "k8s.io/initial-events-end": "true" },
      },
    });
  }
  const unsubscribe = store.subscribe(translate);
  const timers: NodeJS.Timeout[] = [];
  if (request.allowBookmarks) {
    timers.push(
      setInterval(() => {
        send("BOOKMARK", {
          apiVersion: apiVersionOf(type),
          kind: type.kind,
          metadata: { resourceVersion: String(store.currentRevision) },
        });
      }, request.bookmarkIntervalMs),
    );
  }
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearInterval(t);
    response.end();
  };
  if (request.timeoutSeconds !== undefined && request.timeoutSeconds > 0)
    timers.push(setTimeout(close, request.timeoutSeconds * 1000));
  const release = onClose(close);
  response.on("close", () => {
    close();
    release();
  });
}
