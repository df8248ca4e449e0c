/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/**
 * Drops case and `-`/`_` separators, so that `volume_mounts`, `volumeMounts` and `VolumeMounts` are the
 * same word: people misremember the spelling convention far more often than the word.
 */
function squash(key: string): string {
  return key.replace(/[-_]/g, "").toLowerCase();
}

/**
 * The closest candidate when it is close enough to be a likely typo (at most a third of the input, and at
 * least 2 edits, away, ignoring case and separators), else undefined. Ties go to the earlier candidate.
 *
 * @example
 * nearest("node_selectr", ["nodeSelector", "nodeName"]); // "nodeSelector"
 */
export function nearest(input: string, candidates: Iterable<string>): string | undefined {
  const squashed = squash(input);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(squashed, squash(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const threshold = Math.max(2, Math.floor(squashed.length / 3));
  return bestDistance <= threshold ? best : undefined;
}

/** `; did you mean "x"?` or an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const suggestion = nearest(input, candidates);
  return suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
}
