import { createHash } from "node:crypto";
import { apiVersionOf, RESOURCE_TYPES } from "../resources/resource-types.ts";
import { groupVersions } from "./discovery.ts";

/**
 * Minimal OpenAPI documents. kubectl and helm read OpenAPI v3 to learn whether the server
 * validates fields itself (`fieldValidation` on PATCH operations); kube-sim always validates
 * strictly, so every write operation declares that parameter. Schemas are not published (the
 * strict validation happens server-side), so kubectl falls back to its compiled-in types for
 * strategic merge metadata.
 */
const FIELD_VALIDATION = {
  name: "fieldValidation",
  in: "query",
  description: "kube-sim always validates strictly",
  schema: { type: "string", uniqueItems: true },
};

function gvPath(group: string, version: string): string {
  return group === "" ? `api/${version}` : `apis/${group}/${version}`;
}

export function openApiV3Document(group: string, version: string): unknown | undefined {
  const types = RESOURCE_TYPES.filter((r) => r.group === group && r.version === version);
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of types) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const op = (action: string) => ({
      operationId: `${action}${r.kind}`,
      "x-kubernetes-action": action,
      "x-kubernetes-group-version-kind": gvk,
      parameters: [FIELD_VALIDATION],
      responses: { "200": { description: "OK" } },
    });
    const base = `/${gvPath(group, version)}${r.namespaced ? "/namespaces/{namespace}" : ""}/${r.plural}`;
    paths[base] = { post: op("post"), get: op("list") };
    paths[`${base}/{name}`] = { get: op("get"), put: op("put"), patch: op("patch"), delete: op("delete") };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes (kube-sim)", version: "v1.33.0" },
    paths,
    components: { schemas: {} },
  };
}

export function openApiV3Root(): unknown {
  const paths: Record<string, unknown> = {};
  for (const { group, version } of groupVersions()) {
    const doc = JSON.stringify(openApiV3Document(group, version));
    const hash = createHash("sha512").update(doc).digest("hex").slice(0, 64).toUpperCase();
    paths[gvPath(group, version)] = {
      serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}`,
    };
  }
  return { paths };
}

/** Group/version named by an `/openapi/v3/...` path, if it is one kube-sim serves. */
export function parseOpenApiV3Path(path: string): { group: string; version: string } | undefined {
  const m = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const gv = m[1] ? { group: "", version: m[1] } : { group: m[2]!, version: m[3]! };
  return RESOURCE_TYPES.some((r) => apiVersionOf(r) === (gv.group ? `${gv.group}/${gv.version}` : gv.version))
    ? gv
    : undefined;
}
