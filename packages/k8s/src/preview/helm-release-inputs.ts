/**
 * What a run launched by a Helm release of the chart starts from, read out of the rendered objects:
 * the instance config (the ConfigMap holding `bosun.yaml`, which the daemon's launcher reads) and, for
 * one code location, the container context its code server hands to runs (`BOSUN_CONTAINER_CONTEXT`
 * of the Deployment the user-deployments subchart renders) and the code the server loads.
 */
import { nearest } from "@bosun/core";
import type { CodeOrigin } from "@bosun/engine";
import { K8sConfigFileError, K8sUnknownLocationError } from "../errors.ts";
import { CONTAINER_CONTEXT_ENV } from "../launcher/worker-env.ts";
import { INSTANCE_CONFIG_KEY } from "../manifests/job-manifest.ts";
import type { RenderedObject } from "./helm-chart.ts";

/** The instance config a release renders. */
export interface RenderedInstanceConfig {
  /** Name of the ConfigMap that holds it. */
  readonly configMap: string;
  /** The `bosun.yaml` text. */
  readonly text: string;
}

/** One code location (a `deployments` entry) as a release renders it. */
export interface RenderedLocation {
  readonly name: string;
  /** The JSON of `BOSUN_CONTAINER_CONTEXT`, parsed; undefined with `includeConfigInLaunchedRuns.enabled: false`. */
  readonly containerContext: unknown;
  /** The code the server loads (`-f <file>` or `-m <module>` of `codeServerArgs`), as the run worker gets it. */
  readonly origin: CodeOrigin | undefined;
}

interface RenderedContainer {
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value?: string }[];
}

/** The ConfigMap with `bosun.yaml`. Throws when the values render none (the chart always does). */
export function renderedInstanceConfig(
  objects: readonly RenderedObject[],
  source: string,
): RenderedInstanceConfig {
  for (const object of objects) {
    const data = object.data as Record<string, unknown> | undefined;
    if (object.kind === "ConfigMap" && typeof data?.[INSTANCE_CONFIG_KEY] === "string") {
      const metadata = object.metadata as { name?: string } | undefined;
      return { configMap: metadata?.name ?? "", text: data[INSTANCE_CONFIG_KEY] as string };
    }
  }
  throw new K8sConfigFileError(source, `the rendered chart has no ConfigMap with ${INSTANCE_CONFIG_KEY}`);
}

function argAfter(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}

/** The code server containers of the rendered Deployments, by location name (`--location-name`). */
function renderedLocations(objects: readonly RenderedObject[]): Map<string, RenderedLocation> {
  const locations = new Map<string, RenderedLocation>();
  for (const object of objects) {
    if (object.kind !== "Deployment") continue;
    const spec = object.spec as { template?: { spec?: { containers?: RenderedContainer[] } } } | undefined;
    for (const container of spec?.template?.spec?.containers ?? []) {
      const args = container.args ?? [];
      const name = argAfter(args, "--location-name");
      if (name === undefined) continue;
      const context = container.env?.find((variable) => variable.name === CONTAINER_CONTEXT_ENV)?.value;
      const file = argAfter(args, "-f") ?? argAfter(args, "--file");
      const module = argAfter(args, "-m") ?? argAfter(args, "--module");
      locations.set(name, {
        name,
        containerContext: context === undefined ? undefined : JSON.parse(context),
        origin: file !== undefined ? { file } : module !== undefined ? { module } : undefined,
      });
    }
  }
  return locations;
}

/**
 * The code location `name` of the rendered release. Throws `K8sUnknownLocationError` with the nearest
 * name (or the list of names) when the values deploy no such location.
 */
export function renderedLocation(objects: readonly RenderedObject[], name: string): RenderedLocation {
  const locations = renderedLocations(objects);
  const location = locations.get(name);
  if (location !== undefined) return location;
  const known = [...locations.keys()].sort();
  throw new K8sUnknownLocationError(name, known, nearest(name, known));
}
