const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Stable hash of a pod template, encoded like Kubernetes' `pod-template-hash` label values. */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const digits = String(fnv1a32(`${stableStringify(template)}#${collisionCount}`));
  let out = "";
  for (const ch of digits) out += ALPHABET[ch.charCodeAt(0) % ALPHABET.length];
  return out;
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
