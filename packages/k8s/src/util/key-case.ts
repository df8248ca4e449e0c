/**
 * Key spellings. Bosun's own keys are snake_case (`container_config`, `image_pull_policy`);
 * Kubernetes fields are camelCase (`nodeSelector`). Users may write either spelling of either.
 */

/**
 * `nodeSelector` → `node_selector`, `hostIPC` → `host_ipc`, `targetWWNs` → `target_ww_ns`.
 * Runs of capitals are split the way the generated Kubernetes Python client splits them, so
 * snake_case names people know from there are accepted.
 */
export function toSnakeCase(key: string): string {
  return key
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z\d])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** `image_pull_policy` → `imagePullPolicy`. */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The style a user wrote a key in, so suggestions can answer in the same style. */
export type KeyStyle = "snake" | "camel" | "neutral";

export function keyStyle(key: string): KeyStyle {
  if (key.includes("_")) return "snake";
  if (/[A-Z]/.test(key)) return "camel";
  return "neutral";
}

/** Spells `canonical` (in either case) in the style of `userKey`; neutral keys get `fallback`. */
export function spellLike(userKey: string, snake: string, camel: string, fallback: KeyStyle): string {
  const style = keyStyle(userKey);
  const chosen = style === "neutral" ? fallback : style;
  return chosen === "camel" ? camel : snake;
}
