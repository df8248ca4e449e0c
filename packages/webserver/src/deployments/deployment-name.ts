/**
 * The deployment name of a branch when CI gives none: lowercase, every run of other characters one
 * dash, at most 40 characters (`feature/Add-Orders` → `feature-add-orders`).
 *
 * @example
 * deploymentNameForBranch("feature/Add-Orders"); // "feature-add-orders"
 */
export function deploymentNameForBranch(branch: string): string {
  const slug = branch
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug === "" ? "branch" : slug;
}
