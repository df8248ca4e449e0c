import { RESOURCE_TYPES, type ResourceType, resourceTypeByPlural } from "../resources/resource-types.ts";

/** A parsed resource URL: `/apis/batch/v1/namespaces/ns/jobs/name/status`. */
export interface ResourceRoute {
  readonly type: ResourceType;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
  /** Legacy `/watch/` path prefix. */
  readonly watchPath: boolean;
}

export type RouteResult =
  | { readonly kind: "resource"; readonly route: ResourceRoute }
  | { readonly kind: "groupVersion"; readonly group: string; readonly version: string }
  | { readonly kind: "group"; readonly group: string }
  | { readonly kind: "none" };

export function parseRoute(pathname: string): RouteResult {
  const parts = pathname
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 2) {
    group = "";
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 3) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else if (parts[0] === "apis" && parts.length === 2) {
    return { kind: "group", group: parts[1]! };
  } else return { kind: "none" };
  if (rest.length === 0) return { kind: "groupVersion", group, version };
  let watchPath = false;
  if (rest[0] === "watch") {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const candidate = resourceTypeByPlural(group, version, rest[2]!);
    if (candidate?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const type = resourceTypeByPlural(group, version, rest[0]!);
  if (!type || rest.length > 3) return { kind: "none" };
  if (!type.namespaced && namespace !== undefined) return { kind: "none" };
  const subresource = rest[2];
  if (subresource !== undefined && !type.subresources.includes(subresource)) return { kind: "none" };
  return { kind: "resource", route: { type, namespace, name: rest[1], subresource, watchPath } };
}

export { RESOURCE_TYPES };
