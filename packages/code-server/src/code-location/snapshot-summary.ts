import type { DefinitionsSnapshot } from "./snapshot.ts";

/**
 * What a code location defines, as people read it: "2 jobs, 4 assets, 1 schedule, 0 sensors". Said by
 * the code server when it has loaded and by `bosun definitions validate`.
 */
export function summarizeDefinitions(snapshot: DefinitionsSnapshot): string {
  return [
    count(snapshot.jobs.length, "job"),
    count(snapshot.assets.length, "asset"),
    count(snapshot.schedules.length, "schedule"),
    count(snapshot.sensors.length, "sensor"),
  ].join(", ");
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
