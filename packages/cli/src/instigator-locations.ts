import { InstigatorNotFoundError } from "@bosun/daemon";
import type { InstigatorKind } from "@bosun/storage";
import { CliError } from "./cli-error.ts";
import {
  type LocationOptions,
  locationConfigsFrom,
  type OpenedLocation,
  openLocation,
} from "./location-target.ts";

/**
 * Opens every location the options name (see `locationConfigsFrom`) and runs `use` with them, closing
 * them afterwards.
 */
export async function withLocations<T>(
  options: LocationOptions,
  use: (locations: readonly OpenedLocation[]) => Promise<T>,
): Promise<T> {
  const configs = locationConfigsFrom(options);
  const locations: OpenedLocation[] = [];
  try {
    for (const config of configs) locations.push(await openLocation(config));
    return await use(locations);
  } finally {
    for (const location of locations) location.close();
  }
}

/**
 * The location holding the schedule or sensor `name`: the one location given, or the only one of the
 * workspace that has it. Unknown: `InstigatorNotFoundError` with the nearest name; in several: pick with -l.
 */
export function locationOf(
  locations: readonly OpenedLocation[],
  kind: InstigatorKind,
  name: string,
): OpenedLocation {
  const namesIn = (location: OpenedLocation) =>
    (kind === "schedule" ? location.snapshot.schedules : location.snapshot.sensors).map((d) => d.name);
  const holding = locations.filter((location) => namesIn(location).includes(name));
  if (holding.length === 1) return holding[0]!;
  if (holding.length === 0)
    throw new InstigatorNotFoundError(
      kind,
      name,
      locations.length === 1 ? locations[0]!.name : null,
      locations.flatMap(namesIn),
    );
  throw new CliError(
    `${kind} "${name}" is in several code locations (${holding.map((l) => l.name).join(", ")}): choose one with -l/--location`,
    2,
  );
}
