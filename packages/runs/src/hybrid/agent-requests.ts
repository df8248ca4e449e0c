import {
  type CodeServerCall,
  type CodeServerCallPayload,
  DEFAULT_AGENT_QUEUE,
  type JsonValue,
  type LaunchRunPayload,
  type ReconcileLocationsPayload,
  resolveDeploymentName,
  type TerminateRunPayload,
} from "@bosun/core";
import type {
  AgentRequestRecord,
  BosunStorage,
  DesiredLocationsVersion,
  NewAgentRequest,
} from "@bosun/storage";

/**
 * The control plane's side of sending work to agents: what the launcher, the daemon (schedules and
 * sensors evaluated through an agent) and the webserver enqueue. Every request goes to a deployment's
 * agents on the queue of the location it is about (the location's `agent_queue` in the deployment's
 * desired locations), and wakes their long polls at once.
 *
 * @example
 * const requests = new AgentRequests(storage);
 * await requests.launchRun({ deployment: "prod", runId: run.runId, location: "sales" });
 */
export class AgentRequests {
  constructor(
    private readonly storage: Pick<BosunStorage, "agents" | "desiredLocations">,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Asks an agent to start the run's worker; the run token is minted when an agent takes it. */
  async launchRun(request: {
    deployment?: string;
    runId: string;
    location: string;
  }): Promise<AgentRequestRecord> {
    const payload: LaunchRunPayload = { runId: request.runId, location: request.location };
    return this.enqueue(request.deployment, request.location, "launch_run", payload);
  }

  /**
   * Asks an agent to stop the run. With isolated agents (which cannot see each other's clusters) pass
   * the agent that launched it: only that one takes the request.
   */
  async terminateRun(request: {
    deployment?: string;
    runId: string;
    location: string;
    launchedBy?: string | null;
  }): Promise<AgentRequestRecord> {
    const payload: TerminateRunPayload = { runId: request.runId };
    return this.enqueue(
      request.deployment,
      request.location,
      "terminate_run",
      payload,
      request.launchedBy ?? null,
    );
  }

  /** Asks an agent to call the location's code server (snapshot, execution plan, schedule or sensor evaluation). */
  async codeServerCall(request: {
    deployment?: string;
    location: string;
    call: CodeServerCall;
    arguments: JsonValue;
  }): Promise<AgentRequestRecord> {
    const payload: CodeServerCallPayload = {
      location: request.location,
      call: request.call,
      arguments: request.arguments,
    };
    return this.enqueue(request.deployment, request.location, "code_server_call", payload);
  }

  /**
   * Stores a new version of the deployment's desired locations (validated by the caller) and, in the
   * same transaction, a `reconcile_locations` request for each agent queue concerned: the queues of
   * the new locations and of the previous version's (agents whose locations were all removed must
   * stop their code servers too). Each queue's agents get only their own locations.
   */
  async setDesiredLocations(change: {
    deployment?: string;
    locations: readonly { readonly location_name: string; readonly agent_queue?: string }[];
    createdBy: string | null;
  }): Promise<DesiredLocationsVersion> {
    const deployment = resolveDeploymentName(change.deployment);
    const previous = await this.storage.desiredLocations.getDesiredLocations(deployment);
    const queues = queuesOf([...change.locations, ...asLocations(previous?.locations ?? null)]);
    return this.storage.desiredLocations.setDesiredLocations({
      deployment,
      locations: change.locations as unknown as JsonValue,
      createdBy: change.createdBy,
      at: this.now(),
      requests: (version) => reconcileRequests(deployment, version, change.locations, queues),
    });
  }

  /**
   * Asks the agents of every queue of the deployment to reconcile with its latest desired locations
   * again (setting them does so already; this is for a resync). Null when none were ever set.
   */
  async reconcileLocations(deploymentName?: string): Promise<readonly AgentRequestRecord[] | null> {
    const deployment = resolveDeploymentName(deploymentName);
    const latest = await this.storage.desiredLocations.getDesiredLocations(deployment);
    if (!latest) return null;
    const locations = asLocations(latest.locations);
    const enqueued: AgentRequestRecord[] = [];
    for (const request of reconcileRequests(deployment, latest.version, locations, queuesOf(locations)))
      enqueued.push(await this.storage.agents.enqueueRequest(request, this.now()));
    return enqueued;
  }

  /** The agent queue of a location in a deployment: its `agent_queue`, else the default queue. */
  async queueOf(deployment: string, location: string): Promise<string> {
    const latest = await this.storage.desiredLocations.getDesiredLocations(deployment);
    const found = asLocations(latest?.locations ?? null).find((entry) => entry.location_name === location);
    return found ? queueOfLocation(found) : DEFAULT_AGENT_QUEUE;
  }

  private async enqueue(
    deploymentName: string | undefined,
    location: string,
    type: NewAgentRequest["type"],
    payload: object,
    targetAgentId: string | null = null,
  ): Promise<AgentRequestRecord> {
    const deployment = resolveDeploymentName(deploymentName);
    const queue = await this.queueOf(deployment, location);
    return this.storage.agents.enqueueRequest(
      { deployment, queue, type, payload: payload as JsonValue, targetAgentId },
      this.now(),
    );
  }
}

type RoutedLocation = { readonly location_name: string; readonly agent_queue?: string };

function queueOfLocation(location: RoutedLocation): string {
  return location.agent_queue ?? DEFAULT_AGENT_QUEUE;
}

function queuesOf(locations: readonly RoutedLocation[]): string[] {
  return [...new Set(locations.map(queueOfLocation))].sort();
}

/** One `reconcile_locations` request per queue, each with that queue's locations of the version. */
function reconcileRequests(
  deployment: string,
  version: number,
  locations: readonly RoutedLocation[],
  queues: readonly string[],
): NewAgentRequest[] {
  return queues.map((queue) => {
    const payload: ReconcileLocationsPayload = {
      version,
      locations: locations.filter((location) => queueOfLocation(location) === queue) as unknown as JsonValue,
    };
    return { deployment, queue, type: "reconcile_locations", payload: payload as unknown as JsonValue };
  });
}

/** The stored locations, as far as routing needs them (validated when they were set). */
function asLocations(value: JsonValue | null): RoutedLocation[] {
  return Array.isArray(value) ? (value as unknown as RoutedLocation[]) : [];
}
