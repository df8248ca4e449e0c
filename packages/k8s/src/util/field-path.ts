/** A location inside a config document: map keys and list indexes. */
export type FieldPath = readonly (string | number)[];

/**
 * `["pod_spec_config", "nodeSelector", "disktype"]` → `pod_spec_config.nodeSelector.disktype`;
 * keys that are not plain identifiers (label keys such as `app.kubernetes.io/name`) are quoted:
 * `job_metadata.labels["app.kubernetes.io/name"]`; list indexes are `[0]`.
 */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
