/**
 * Checks the containers' `resources` of a merged config: every request and limit is a Kubernetes
 * quantity, and no request exceeds its limit. Each layer can be valid alone and the merge still
 * wrong (the instance's limits with a code location's larger requests), so this runs on the merged
 * config, and names the layer that set each value from the merge's origins.
 *
 * A resource with only a limit is fine: Kubernetes sets the request to the limit.
 */
import { K8sRequestsExceedLimitsError, K8sResourceQuantityError } from "../errors.ts";
import { compareQuantities, parseQuantity, type Quantity } from "../kube-model/quantity.ts";
import { type FieldPath, formatPath } from "../util/field-path.ts";
import { isPlainObject } from "../util/plain-object.ts";
import type { FieldOrigin } from "./merge.ts";
import type { K8sSections } from "./raw-config.ts";

/** The containers of a merged config: the main one, and any the pod spec lists itself. */
function containersOf(sections: K8sSections): { readonly path: FieldPath; readonly container: unknown }[] {
  const out: { path: FieldPath; container: unknown }[] = [];
  if (sections.container_config !== undefined)
    out.push({ path: ["container_config"], container: sections.container_config });
  for (const list of ["initContainers", "containers"]) {
    const items = sections.pod_spec_config?.[list];
    if (Array.isArray(items))
      items.forEach((container, index) => {
        out.push({ path: ["pod_spec_config", list, index], container });
      });
  }
  return out;
}

/** The layer that set `path`: its own origin, or the nearest enclosing one (a whole list item). */
function layerOf(origins: readonly FieldOrigin[], path: string): string {
  let best: FieldOrigin | undefined;
  for (const origin of origins) {
    const encloses =
      origin.path === path || path.startsWith(`${origin.path}.`) || path.startsWith(`${origin.path}[`);
    if (encloses && (best === undefined || origin.path.length > best.path.length)) best = origin;
  }
  return best?.layer ?? "unknown layer";
}

/**
 * Throws `K8sResourceQuantityError` for the first request or limit that is not a non-negative
 * quantity, then `K8sRequestsExceedLimitsError` for the first request above its limit.
 *
 * @example
 * checkContainerResources(explained.sections, explained.origins);
 */
export function checkContainerResources(sections: K8sSections, origins: readonly FieldOrigin[]): void {
  for (const { path, container } of containersOf(sections)) {
    const resources = isPlainObject(container) ? container.resources : undefined;
    if (!isPlainObject(resources)) continue;
    const parsed = { requests: new Map<string, Quantity>(), limits: new Map<string, Quantity>() };
    for (const kind of ["requests", "limits"] as const) {
      const values = resources[kind];
      if (!isPlainObject(values)) continue;
      for (const [resource, value] of Object.entries(values)) {
        const fieldPath = formatPath([...path, "resources", kind, resource]);
        const quantity = parseQuantity(value);
        if (quantity === undefined || quantity.negative)
          throw new K8sResourceQuantityError(fieldPath, value, layerOf(origins, fieldPath));
        parsed[kind].set(resource, quantity);
      }
    }
    for (const [resource, request] of parsed.requests) {
      const limit = parsed.limits.get(resource);
      if (limit === undefined || compareQuantities(request, limit) <= 0) continue;
      const values = resources as { requests: Record<string, unknown>; limits: Record<string, unknown> };
      throw new K8sRequestsExceedLimitsError(
        formatPath(path),
        resource,
        values.requests[resource],
        layerOf(origins, formatPath([...path, "resources", "requests", resource])),
        values.limits[resource],
        layerOf(origins, formatPath([...path, "resources", "limits", resource])),
      );
    }
  }
}
