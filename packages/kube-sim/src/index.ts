export { type KubeSim, type KubeSimOptions, startKubeSim } from "./cluster/kube-sim.ts";
export { type ImageMap, type ImageSpec, loadImageMap } from "./kubelet/image-map.ts";
export { namespaceSupport } from "./kubelet/network/namespace-network.ts";
export { DEFAULT_TOOLS_CACHE, ensureK8sTools, type K8sTools } from "./tools/k8s-tools.ts";
export {
  assertValidObject,
  formatIssue,
  InvalidObjectError,
  parseQuantity,
  type ValidationIssue,
  type ValidationReason,
  validateObject,
} from "./validation/index.ts";
