/** Levenshtein distance between two strings (case-sensitive). */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** Drops separators and case so `volume_mounts`, `volumeMounts` and `VolumeMounts` compare equal. */
function squash(key: string): string {
  return key.replace(/[-_]/g, "").toLowerCase();
}

/**
 * The candidate closest to `key`, or undefined when nothing is plausibly what was meant
 * (more than a third of the key, and at least 2 edits, away).
 */
export function nearest(key: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const squashedKey = squash(key);
  for (const candidate of candidates) {
    const distance = editDistance(squashedKey, squash(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(squashedKey.length / 3));
  return bestDistance <= limit ? best : undefined;
}
