import type { FastifySchema, RouteOptions } from "fastify";
import { describeAccess, ROUTE_ACCESS, routeKey } from "../auth/route-access.ts";
import { API_COMPONENT_SCHEMAS } from "./schemas.ts";

declare module "fastify" {
  /** Documentation fields every route may carry; they end up in the OpenAPI document. */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: readonly string[];
    /** Leave the route out of the document. */
    hide?: boolean;
  }
  interface FastifyContextConfig {
    /** The route answers with Server-Sent Events. */
    sse?: boolean;
  }
}

/** What the generator keeps of each registered route. */
export interface RouteRecord {
  readonly method: string;
  readonly url: string;
  readonly schema: FastifySchema;
  /** Routes that answer with Server-Sent Events. */
  readonly sse: boolean;
}

/** Collects routes as they are registered (call from an `onRoute` hook). */
export class RouteCollector {
  private readonly routes: RouteRecord[] = [];

  add(route: RouteOptions): void {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === "HEAD" || method === "OPTIONS") continue;
      if (!route.url.startsWith("/api")) continue;
      const schema = route.schema ?? {};
      if (schema.hide) continue;
      this.routes.push({
        method: method.toLowerCase(),
        url: route.url,
        schema,
        sse: route.config?.sse === true,
      });
    }
  }

  list(): readonly RouteRecord[] {
    return this.routes;
  }
}

type JsonSchema = Record<string, unknown>;

/**
 * An OpenAPI 3.1 document built from the same JSON schemas fastify validates requests with, so the
 * document cannot drift from what the server accepts. Fastify `:param` and `*` become `{param}`.
 */
export function buildOpenApiDocument(routes: readonly RouteRecord[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const { path, wildcardName } = openApiPath(route.url);
    const operation: JsonSchema = {
      operationId: operationId(route.method, route.url),
      ...(route.schema.summary ? { summary: route.schema.summary } : {}),
      ...(route.schema.description ? { description: route.schema.description } : {}),
      ...(route.schema.tags ? { tags: route.schema.tags } : {}),
      ...permissionOf(route),
    };
    const parameters: JsonSchema[] = [];
    const params = route.schema.params as JsonSchema | undefined;
    for (const [name, schema] of Object.entries((params?.properties as Record<string, JsonSchema>) ?? {})) {
      parameters.push({
        name: name === "*" ? wildcardName : name,
        in: "path",
        required: true,
        schema: withoutDescription(schema),
        ...(schema.description ? { description: schema.description } : {}),
      });
    }
    const query = route.schema.querystring as JsonSchema | undefined;
    const requiredQuery = new Set((query?.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query?.properties as Record<string, JsonSchema>) ?? {})) {
      parameters.push({
        name,
        in: "query",
        required: requiredQuery.has(name),
        schema: withoutDescription(schema),
        ...(schema.type === "array" ? { style: "form", explode: true } : {}),
        ...(schema.description ? { description: schema.description } : {}),
      });
    }
    const headers = route.schema.headers as JsonSchema | undefined;
    for (const [name, schema] of Object.entries((headers?.properties as Record<string, JsonSchema>) ?? {})) {
      parameters.push({ name, in: "header", required: false, schema: withoutDescription(schema) });
    }
    if (parameters.length > 0) operation.parameters = parameters;
    if (route.schema.body) {
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: route.schema.body } },
      };
    }
    operation.responses = responsesOf(route);
    paths[path] ??= {};
    paths[path]![route.method] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Bosun webserver API",
      version: info.version,
      description:
        "JSON and Server-Sent Events over Bosun's storage and code locations. Every error has the shape { error: { code, message, details? } }.",
    },
    paths,
    components: { schemas: API_COMPONENT_SCHEMAS },
  };
}

/**
 * `x-bosun-permission`: what the route needs (`public`, `signed-in`, `agent-token`, `run-token`, or a
 * permission, the last two when auth is on).
 */
function permissionOf(route: RouteRecord): JsonSchema {
  const access = ROUTE_ACCESS[routeKey(route.method.toUpperCase(), route.url)];
  if (!access) return {};
  return { "x-bosun-permission": describeAccess(access) };
}

function responsesOf(route: RouteRecord): JsonSchema {
  const responses: JsonSchema = {};
  const declared = (route.schema.response ?? {}) as Record<string, JsonSchema>;
  for (const [status, schema] of Object.entries(declared)) {
    responses[status] = {
      description: (schema.description as string | undefined) ?? (status.startsWith("2") ? "OK" : "Error"),
      content: { "application/json": { schema: withoutDescription(schema) } },
    };
  }
  if (route.sse) {
    responses["200"] = {
      description: "A Server-Sent Events stream (see docs/webserver-api.md)",
      content: { "text/event-stream": { schema: { type: "string" } } },
    };
  }
  const errorResponse = (description: string) => ({
    description,
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  });
  if (route.schema.params || route.schema.querystring || route.schema.body)
    responses["400"] ??= errorResponse("Invalid input: details.issues names each field");
  const access = ROUTE_ACCESS[routeKey(route.method.toUpperCase(), route.url)];
  if (access && !("public" in access))
    responses["401"] ??= errorResponse(
      "Auth is on and the request has no token, or one that is malformed, unknown, expired, revoked or of the wrong kind",
    );
  const refusals = [
    ...(route.method !== "get"
      ? ["the server is read-only", "the request came from a page on another site"]
      : []),
    ...(access && "permission" in access ? [`the caller lacks permission "${access.permission}"`] : []),
  ];
  if (refusals.length > 0) responses["403"] ??= errorResponse(`Refused: ${refusals.join(", or ")}`);
  if (route.url.includes(":") || route.url.includes("*"))
    responses["404"] ??= errorResponse("No such location, job, asset, run, schedule or sensor");
  if (route.schema.body) {
    responses["413"] ??= errorResponse("The body is larger than 1 MiB");
    responses["415"] ??= errorResponse("The body is not application/json");
  }
  const probe = route.url === "/api/health" || route.url === "/api/ready";
  if (!probe)
    responses["421"] ??= errorResponse("The Host header names a server this is not (DNS rebinding guard)");
  if (route.url !== "/api/health")
    responses["503"] ??= {
      ...errorResponse(
        "The database or the code location cannot be reached; retry after Retry-After seconds",
      ),
      headers: { "Retry-After": { schema: { type: "integer" }, description: "seconds" } },
    };
  responses.default ??= errorResponse("Error");
  return responses;
}

function openApiPath(url: string): { path: string; wildcardName: string } {
  const wildcardName = "key";
  const path = url.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/\*$/, `{${wildcardName}}`);
  return { path, wildcardName };
}

function operationId(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((part) => (part.startsWith(":") ? `by-${part.slice(1)}` : part === "*" ? "by-key" : part));
  return [method, ...words]
    .join("-")
    .replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, "");
}

function withoutDescription(schema: JsonSchema): JsonSchema {
  const { description: _description, ...rest } = schema;
  return rest;
}
