import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { apiVersionOf, type ResourceType } from "../resources/resource-types.ts";
import type { KObject } from "../store/k8s-object.ts";
import { ApiError } from "./api-error.ts";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from "./discovery.ts";
import { openApiV3Document, openApiV3Root, parseOpenApiV3Path } from "./openapi.ts";
import type { PodLogProvider } from "./pod-logs.ts";
import { decodeProtobufObject } from "./protobuf.ts";
import type { DeleteOptions, PatchType, PropagationPolicy, Registry, WriteOptions } from "./registry.ts";
import { parseRoute, type ResourceRoute } from "./routes.ts";
import { toTable, wantsTable } from "./table.ts";
import { openWatch } from "./watch.ts";

/**
 * The HTTP front of kube-sim: authenticates bearer tokens, serves discovery and OpenAPI, and
 * maps REST verbs onto the registry. Every error is a `Status` body with the real code.
 */
export interface ApiServerOptions {
  readonly registry: Registry;
  /** Bearer token clients must present. */
  readonly token: string;
  readonly logs?: PodLogProvider;
  /** How often watches with `allowWatchBookmarks` get a BOOKMARK. */
  readonly bookmarkIntervalMs?: number;
}

export interface ApiRequestCount {
  total: number;
}

export class ApiServer {
  private readonly server: Server;
  private readonly watches = new Set<() => void>();
  private readonly unixServers: Server[] = [];
  readonly requests: ApiRequestCount = { total: 0 };
  private address = "";

  constructor(private readonly options: ApiServerOptions) {
    this.server = createServer({ keepAlive: true }, (req, res) => {
      this.requests.total++;
      this.handle(req, res).catch((error: unknown) => this.fail(res, error));
    });
  }

  /** Listens on 127.0.0.1 (port 0 picks a free one) and resolves with the base URL. */
  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    const info = this.server.address() as AddressInfo;
    this.address = `${host}:${info.port}`;
    return `http://${this.address}`;
  }

  /** The TCP port the server listens on (after `listen`). */
  get port(): number {
    return Number(this.address.slice(this.address.lastIndexOf(":") + 1));
  }

  /** Also serves on a Unix socket (how pods in network namespaces reach the API). */
  async listenUnix(path: string): Promise<Server> {
    const unixServer = createServer({ keepAlive: true }, (req, res) => {
      this.requests.total++;
      this.handle(req, res).catch((error: unknown) => this.fail(res, error));
    });
    await new Promise<void>((resolve, reject) => {
      unixServer.once("error", reject);
      unixServer.listen(path, () => resolve());
    });
    this.unixServers.push(unixServer);
    return unixServer;
  }

  async close(): Promise<void> {
    for (const close of [...this.watches]) close();
    for (const server of this.unixServers) {
      server.closeAllConnections();
      server.close();
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private fail(res: ServerResponse, error: unknown): void {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError(
            500,
            "InternalError",
            `Internal error occurred: ${(error as Error)?.stack ?? String(error)}`,
          );
    if (res.headersSent) {
      res.end();
      return;
    }
    this.json(res, apiError.code, apiError.toStatus());
  }

  private json(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://kube-sim");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path === "/healthz" || path === "/readyz" || path === "/livez") {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("ok");
      return;
    }
    // Over plain HTTP, client-go (kubectl, helm) sends no credentials at all, like the old
    // insecure port; a request that does present credentials must present the sim's token.
    const auth = req.headers.authorization;
    if (auth !== undefined && auth !== `Bearer ${this.options.token}`) {
      throw new ApiError(401, "Unauthorized", "Unauthorized");
    }
    const method = req.method ?? "GET";
    if (method === "GET") {
      const discovery = this.discovery(path, req);
      if (discovery !== undefined) {
        if (discovery === null) {
          // Empty OpenAPI v2 protobuf document: clients parse it as "no schemas published".
          res.writeHead(200, {
            "Content-Type": "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
            "Content-Length": 0,
          });
          res.end();
        } else this.json(res, 200, discovery);
        return;
      }
    }
    const parsed = parseRoute(path);
    if (parsed.kind === "resource") {
      await this.resource(parsed.route, method, url.searchParams, req, res);
      return;
    }
    throw new ApiError(404, "NotFound", "the server could not find the requested resource");
  }

  /** Discovery answer for `path`; null for the (empty) OpenAPI v2 document; undefined if not discovery. */
  private discovery(path: string, req: IncomingMessage): unknown | null | undefined {
    if (path === "/version") return versionInfo();
    if (path === "/api") return apiVersions(req.headers.host ?? this.address);
    if (path === "/apis") return apiGroupList();
    if (path === "/openapi/v2" || path === "/swagger-2.0.0.pb-v1") return null;
    if (path === "/openapi/v3") return openApiV3Root();
    const openapi = parseOpenApiV3Path(path);
    if (openapi) return openApiV3Document(openapi.group, openapi.version);
    const parsed = parseRoute(path);
    if (parsed.kind === "groupVersion") return apiResourceList(parsed.group, parsed.version) ?? undefined;
    if (parsed.kind === "group") return apiGroup(parsed.group) ?? undefined;
    return undefined;
  }

  private async resource(
    route: ResourceRoute,
    method: string,
    query: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const registry = this.options.registry;
    const { type, namespace, name, subresource } = route;
    const write: WriteOptions = {
      dryRun: query.getAll("dryRun").includes("All"),
      fieldManager: query.get("fieldManager") ?? undefined,
      force: query.get("force") === "true",
    };
    const warn = (): Record<string, string> => (type.inert ? { Warning: `299 - "${type.inert}"` } : {});
    const table = wantsTable(req.headers.accept);
    const respond = (code: number, object: KObject, headers: Record<string, string> = {}) =>
      this.json(res, code, table ? toTable(type, [object]) : object, headers);

    if (name === undefined) {
      switch (method) {
        case "GET": {
          if (route.watchPath || query.get("watch") === "true" || query.get("watch") === "1") {
            openWatch(
              registry,
              {
                type,
                namespace,
                resourceVersion: query.get("resourceVersion") ?? undefined,
                labelSelector: query.get("labelSelector") ?? undefined,
                fieldSelector: query.get("fieldSelector") ?? undefined,
                allowBookmarks: query.get("allowWatchBookmarks") === "true",
                sendInitialEvents: query.has("sendInitialEvents")
                  ? query.get("sendInitialEvents") === "true"
                  : undefined,
                timeoutSeconds: query.has("timeoutSeconds") ? Number(query.get("timeoutSeconds")) : undefined,
                bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 5000,
              },
              res,
              (close) => {
                this.watches.add(close);
                return () => this.watches.delete(close);
              },
              table ? (o) => toTable(type, [o]) : undefined,
            );
            return;
          }
          const result = registry.list(type, namespace, {
            labelSelector: query.get("labelSelector") ?? undefined,
            fieldSelector: query.get("fieldSelector") ?? undefined,
            limit: query.has("limit") ? Number(query.get("limit")) : undefined,
            continue: query.get("continue") ?? undefined,
          });
          const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
          if (result.continue) {
            metadata.continue = result.continue;
            metadata.remainingItemCount = result.remainingItemCount;
          }
          if (table) {
            this.json(res, 200, { ...toTable(type, result.items), metadata });
            return;
          }
          this.json(res, 200, {
            kind: `${type.kind}List`,
            apiVersion: apiVersionOf(type),
            metadata,
            items: result.items,
          });
          return;
        }
        case "POST": {
          const body = await readJson(req);
          const created = registry.create(type, namespace, body, write);
          respond(201, created, warn());
          return;
        }
        case "DELETE": {
          const options = await deleteOptions(req, query);
          const items = registry.deleteCollection(
            type,
            namespace,
            {
              labelSelector: query.get("labelSelector") ?? undefined,
              fieldSelector: query.get("fieldSelector") ?? undefined,
            },
            options,
          );
          this.json(res, 200, {
            kind: `${type.kind}List`,
            apiVersion: apiVersionOf(type),
            metadata: {},
            items,
          });
          return;
        }
        default:
          throw ApiError.methodNotAllowed(`${method} is not supported on a collection`);
      }
    }

    if (subresource === "log") {
      if (method !== "GET") throw ApiError.methodNotAllowed("pods/log supports GET only");
      await this.logs(namespace!, name, query, res);
      return;
    }
    if (subresource === "scale") {
      await this.scale(type, namespace, name, method, req, res, write);
      return;
    }
    switch (method) {
      case "GET":
        respond(200, registry.get(type, namespace, name));
        return;
      case "PUT": {
        const body = await readJson(req);
        respond(200, registry.update(type, namespace, name, body, subresource, write), warn());
        return;
      }
      case "PATCH": {
        const patchType = patchTypeOf(req.headers["content-type"]);
        const body = await readBody(req);
        const existed = registry.tryGet(type, namespace, name) !== undefined;
        const result = registry.patch(type, namespace, name, patchType, body, subresource, write);
        respond(existed ? 200 : 201, result, warn());
        return;
      }
      case "DELETE": {
        const options = await deleteOptions(req, query);
        const result = registry.delete(type, namespace, name, options);
        respond(
          result.metadata.deletionTimestamp && registry.tryGet(type, namespace, name) ? 202 : 200,
          result,
        );
        return;
      }
      default:
        throw ApiError.methodNotAllowed(`${method} is not supported`);
    }
  }

  private async scale(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    method: string,
    req: IncomingMessage,
    res: ServerResponse,
    write: WriteOptions,
  ): Promise<void> {
    const registry = this.options.registry;
    const toScale = (o: KObject) => ({
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: {
        name,
        namespace,
        uid: o.metadata.uid,
        resourceVersion: o.metadata.resourceVersion,
        creationTimestamp: o.metadata.creationTimestamp,
      },
      spec: { replicas: o.spec?.replicas ?? 0 },
      status: { replicas: o.status?.replicas ?? 0, selector: selectorString(o.spec?.selector) },
    });
    if (method === "GET") {
      this.json(res, 200, toScale(registry.get(type, namespace, name)));
      return;
    }
    let replicas: unknown;
    if (method === "PUT")
      replicas = ((await readJson(req)) as { spec?: { replicas?: unknown } }).spec?.replicas;
    else if (method === "PATCH") {
      const current = registry.get(type, namespace, name);
      let patched: unknown;
      try {
        patched = JSON.parse(await readBody(req));
      } catch (error) {
        throw ApiError.badRequest(`error decoding patch: ${(error as Error).message}`);
      }
      replicas = (patched as { spec?: { replicas?: unknown } }).spec?.replicas ?? current.spec?.replicas;
    } else throw ApiError.methodNotAllowed(`${method} is not supported on scale`);
    if (typeof replicas !== "number") throw ApiError.badRequest("spec.replicas must be a number");
    const updated = registry.patch(
      type,
      namespace,
      name,
      "merge",
      JSON.stringify({ spec: { replicas } }),
      undefined,
      write,
    );
    this.json(res, 200, toScale(updated));
  }

  private async logs(
    namespace: string,
    name: string,
    query: URLSearchParams,
    res: ServerResponse,
  ): Promise<void> {
    const provider = this.options.logs;
    const podType = this.options.registry.type("v1", "Pod");
    this.options.registry.get(podType, namespace, name);
    if (!provider) throw new ApiError(503, "ServiceUnavailable", "no kubelet is running in this kube-sim");
    const controller = new AbortController();
    const numberParam = (key: string) => (query.has(key) ? Number(query.get(key)) : undefined);
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked" });
      res.flushHeaders();
    };
    res.on("close", () => controller.abort());
    const follow = query.get("follow") === "true";
    await provider.streamLogs(
      namespace,
      name,
      {
        container: query.get("container") ?? undefined,
        follow,
        previous: query.get("previous") === "true",
        tailLines: numberParam("tailLines"),
        limitBytes: numberParam("limitBytes"),
        timestamps: query.get("timestamps") === "true",
        sinceSeconds: numberParam("sinceSeconds"),
      },
      (chunk) => {
        start();
        res.write(chunk);
      },
      controller.signal,
    );
    start();
    res.end();
  }
}

function selectorString(selector: unknown): string {
  const s = (selector ?? {}) as { matchLabels?: Record<string, string> };
  return Object.entries(s.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

function patchTypeOf(contentType: string | undefined): PatchType {
  const base = (contentType ?? "").split(";")[0]!.trim();
  switch (base) {
    case "application/json-patch+json":
      return "json";
    case "application/merge-patch+json":
      return "merge";
    case "application/strategic-merge-patch+json":
      return "strategic";
    case "application/apply-patch+yaml":
    case "application/apply-patch+cbor":
      if (base.endsWith("cbor")) throw ApiError.unsupportedMediaType(base);
      return "apply";
    default:
      throw ApiError.unsupportedMediaType(base);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const contentType = (req.headers["content-type"] ?? "application/json").split(";")[0]!.trim();
  if (contentType === "application/vnd.kubernetes.protobuf") {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return decodeProtobufObject(Buffer.concat(chunks));
  }
  if (contentType !== "application/json" && contentType !== "") {
    throw ApiError.unsupportedMediaType(contentType);
  }
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw ApiError.badRequest(`error decoding JSON: ${(error as Error).message}`);
  }
}

async function deleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
  const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
  let body: Record<string, any> = {};
  const text = contentType === "application/vnd.kubernetes.protobuf" ? "" : await readBody(req);
  if (contentType === "application/vnd.kubernetes.protobuf") {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (chunks.length > 0) body = decodeProtobufObject(Buffer.concat(chunks)) as Record<string, any>;
  } else if (text.trim() !== "") {
    try {
      body = JSON.parse(text) as Record<string, any>;
    } catch (error) {
      throw ApiError.badRequest(`error decoding DeleteOptions: ${(error as Error).message}`);
    }
  }
  let policy = (body.propagationPolicy ?? query.get("propagationPolicy") ?? undefined) as
    | PropagationPolicy
    | undefined;
  if (policy === undefined && (body.orphanDependents === true || query.get("orphanDependents") === "true"))
    policy = "Orphan";
  if (policy !== undefined && !["Foreground", "Background", "Orphan"].includes(policy))
    throw ApiError.badRequest(
      `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  const grace =
    body.gracePeriodSeconds ??
    (query.has("gracePeriodSeconds") ? Number(query.get("gracePeriodSeconds")) : undefined);
  return {
    propagationPolicy: policy,
    gracePeriodSeconds: grace,
    preconditions: body.preconditions,
    dryRun: (body.dryRun ?? query.getAll("dryRun")).includes?.("All") ?? false,
  };
}
