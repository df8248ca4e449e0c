/**
 * @bosun/kube-sim (private): a Kubernetes stand-in for tests. An API server, controllers and a kubelet that
 * runs pods as local processes, plus the object validation the API server applies.
 *
 * May depend on: no Bosun package; it stands in for a cluster and must not know Bosun (LAYERS in
 * .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Starting a simulated cluster

export { type KubeSim, type KubeSimOptions, startKubeSim } from "./cluster/kube-sim.ts";

// The kubelet: which local program an image runs, and pod networking

export { type ImageMap, type ImageSpec, loadImageMap } from "./kubelet/image-map.ts";
export { namespaceSupport } from "./kubelet/network/namespace-network.ts";

// Real helm and kubectl binaries for tests that drive the sim with them

export { DEFAULT_TOOLS_CACHE, ensureK8sTools, type K8sTools } from "./tools/k8s-tools.ts";

// Validation of Kubernetes objects

export {
  assertValidObject,
  formatIssue,
  InvalidObjectError,
  parseQuantity,
  type ValidationIssue,
  type ValidationReason,
  validateObject,
} from "./validation/index.ts";
