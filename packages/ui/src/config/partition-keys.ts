import type { PartitionsInfo } from "../api/types.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Partition keys newest first, as the engine names them (UTC): static keys as listed; daily `YYYY-MM-DD`
 * and hourly `YYYY-MM-DD-HH:00` windows that have fully ended by `now`, at most `limit` of them.
 */
export function partitionKeysOf(partitions: PartitionsInfo, now: number, limit = 2000): string[] {
  if (partitions.kind === "static") return [...(partitions.keys ?? [])];
  const start = partitions.start ? Date.parse(partitions.start) : Number.NaN;
  if (!Number.isFinite(start)) return [];
  const length = partitions.kind === "daily" ? DAY : HOUR;
  const keys: string[] = [];
  const count = Math.floor((now - start) / length);
  for (let i = count - 1; i >= 0 && keys.length < limit; i--) {
    const iso = new Date(start + i * length).toISOString();
    keys.push(partitions.kind === "daily" ? iso.slice(0, 10) : `${iso.slice(0, 10)}-${iso.slice(11, 13)}:00`);
  }
  return keys;
}
