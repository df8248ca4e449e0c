import type { DefinitionsSnapshot } from "@bosun/code-server";
import type { JsonValue } from "@bosun/core";

/**
 * What a branch deployment changes against its base, asset by asset and job by job, from the two
 * deployments' definitions snapshots. An asset or job is keyed by its code location and name, so a
 * location renamed reads as everything removed and added.
 */

/** How one asset or job differs. `changed` lists what differs, in a stable order. */
export type DefinitionChange =
  | { readonly kind: "added" }
  | { readonly kind: "removed" }
  | { readonly kind: "changed"; readonly changed: readonly ("codeVersion" | "definition")[] };

/** One changed asset or job. */
export interface ChangedDefinition {
  readonly location: string;
  /** The asset key or the job name. */
  readonly name: string;
  readonly change: DefinitionChange;
}

/** Changed assets and jobs, each sorted by location then name; unchanged ones are left out. */
export interface DefinitionChanges {
  readonly assets: readonly ChangedDefinition[];
  readonly jobs: readonly ChangedDefinition[];
}

/** Each code location's snapshot, by location name. */
export type SnapshotsByLocation = ReadonlyMap<string, DefinitionsSnapshot>;

/**
 * The assets and jobs added in `branch`, removed from it, or changed (an asset's code version; the
 * rest of an asset's or job's definition) against `base`.
 *
 * @example
 * const { assets } = diffDefinitions(prodSnapshots, branchSnapshots);
 * // [{ location: "shop", name: "revenue", change: { kind: "changed", changed: ["codeVersion"] } }]
 */
export function diffDefinitions(base: SnapshotsByLocation, branch: SnapshotsByLocation): DefinitionChanges {
  return {
    assets: diffKeyed(assetsOf(base), assetsOf(branch), (a, b) => [
      ...(a.codeVersion !== b.codeVersion ? (["codeVersion"] as const) : []),
      ...(canonical(definitionOfAsset(a)) !== canonical(definitionOfAsset(b))
        ? (["definition"] as const)
        : []),
    ]),
    jobs: diffKeyed(jobsOf(base), jobsOf(branch), (a, b) =>
      canonical(definitionOfJob(a)) !== canonical(definitionOfJob(b)) ? ["definition"] : [],
    ),
  };
}

type Asset = DefinitionsSnapshot["assets"][number];
type Job = DefinitionsSnapshot["jobs"][number];

function assetsOf(snapshots: SnapshotsByLocation): Map<string, [string, string, Asset]> {
  const out = new Map<string, [string, string, Asset]>();
  for (const [location, snapshot] of snapshots)
    for (const asset of snapshot.assets) out.set(`${location}\0${asset.key}`, [location, asset.key, asset]);
  return out;
}

function jobsOf(snapshots: SnapshotsByLocation): Map<string, [string, string, Job]> {
  const out = new Map<string, [string, string, Job]>();
  for (const [location, snapshot] of snapshots)
    for (const job of snapshot.jobs) out.set(`${location}\0${job.name}`, [location, job.name, job]);
  return out;
}

function diffKeyed<T>(
  base: Map<string, [string, string, T]>,
  branch: Map<string, [string, string, T]>,
  differences: (base: T, branch: T) => readonly ("codeVersion" | "definition")[],
): ChangedDefinition[] {
  const out: ChangedDefinition[] = [];
  for (const [key, [location, name, item]] of branch) {
    const before = base.get(key);
    if (!before) {
      out.push({ location, name, change: { kind: "added" } });
      continue;
    }
    const changed = differences(before[2], item);
    if (changed.length > 0) out.push({ location, name, change: { kind: "changed", changed } });
  }
  for (const [key, [location, name]] of base)
    if (!branch.has(key)) out.push({ location, name, change: { kind: "removed" } });
  return out.sort((a, b) => a.location.localeCompare(b.location) || a.name.localeCompare(b.name));
}

/** An asset's definition without its code version (reported apart) and `downstream` (other assets' business). */
function definitionOfAsset(asset: Asset): JsonValue {
  const { codeVersion: _codeVersion, downstream: _downstream, ...rest } = asset;
  return rest as unknown as JsonValue;
}

/** A job's definition without its run config schema, which follows from the rest. */
function definitionOfJob(job: Job): JsonValue {
  const { runConfigSchema: _schema, ...rest } = job;
  return rest as unknown as JsonValue;
}

/** JSON with object keys sorted, so key order never reads as a change. */
function canonical(value: JsonValue): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
