import { apiVersionOf, RESOURCE_TYPES, type ResourceType } from "../resources/resource-types.ts";

/** Discovery documents: `/version`, `/api`, `/apis` and the per group/version resource lists. */
export const KUBE_VERSION = { major: "1", minor: "33", gitVersion: "v1.33.0+kube-sim" };

export function versionInfo(): Record<string, string> {
  return {
    ...KUBE_VERSION,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2026-01-01T00:00:00Z",
    goVersion: "go1.24.0",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCE_TYPES) seen.set(apiVersionOf(r), { group: r.group, version: r.version });
  return [...seen.values()];
}

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

export function apiGroupList(): unknown {
  const groups = new Map<string, string[]>();
  for (const { group, version } of groupVersions()) {
    if (group === "") continue;
    groups.set(group, [...(groups.get(group) ?? []), version]);
  }
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

export function apiGroup(group: string): unknown | undefined {
  const versions = groupVersions().filter((gv) => gv.group === group);
  if (versions.length === 0) return undefined;
  return {
    kind: "APIGroup",
    apiVersion: "v1",
    name: group,
    versions: versions.map((v) => ({ groupVersion: `${group}/${v.version}`, version: v.version })),
    preferredVersion: { groupVersion: `${group}/${versions[0]!.version}`, version: versions[0]!.version },
  };
}

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function subresourceEntry(r: ResourceType, sub: string): unknown {
  if (sub === "log")
    return {
      name: `${r.plural}/log`,
      singularName: "",
      namespaced: r.namespaced,
      kind: "Pod",
      verbs: ["get"],
    };
  if (sub === "scale")
    return {
      name: `${r.plural}/scale`,
      singularName: "",
      namespaced: r.namespaced,
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: ["get", "patch", "update"],
    };
  return {
    name: `${r.plural}/${sub}`,
    singularName: "",
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: ["get", "patch", "update"],
  };
}

export function apiResourceList(group: string, version: string): unknown | undefined {
  const types = RESOURCE_TYPES.filter((r) => r.group === group && r.version === version);
  if (types.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const r of types) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ALL_VERBS,
      ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
      storageVersionHash: Buffer.from(`${group}/${version}/${r.kind}`).toString("base64").slice(0, 11),
    });
    for (const sub of r.subresources) resources.push(subresourceEntry(r, sub));
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group === "" ? version : `${group}/${version}`,
    resources,
  };
}
