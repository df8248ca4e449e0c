import { launchedBy } from "@bosun/core";
import { Link } from "react-router";
import type { Run } from "../api/types.ts";
import { shortId } from "./format.ts";

/** "Schedule hourly_numbers", linked to the schedule's page; or a sensor, a backfill, a re-execution, a user. */
export function LaunchedBy({ run }: { run: Run }) {
  const by = launchedBy(run.tags);
  const instigatorLink = (kind: "schedule" | "sensor", name: string) =>
    run.codeLocation ? (
      <Link to={`/automation/${kind}/${encodeURIComponent(run.codeLocation)}/${encodeURIComponent(name)}`}>
        {name}
      </Link>
    ) : (
      name
    );
  switch (by.kind) {
    case "schedule":
      return <span>Schedule {instigatorLink("schedule", by.name)}</span>;
    case "sensor":
      return <span>Sensor {instigatorLink("sensor", by.name)}</span>;
    case "backfill":
      return (
        <span>
          Backfill <span className="mono">{by.id}</span>
        </span>
      );
    case "re-execution":
      return (
        <span>
          Re-execution of <Link to={`/runs/${by.parentRunId}`}>{shortId(by.parentRunId)}</Link>
        </span>
      );
    case "user":
      return <span title="The launchpad, a materialize button, the API or the command line">A user</span>;
  }
}
