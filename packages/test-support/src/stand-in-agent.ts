/**
 * A stand-in for `bosun agent` that speaks the agent API over HTTP and nothing more: tests and the
 * agent-api benchmark drive the control plane with it (register, long-poll, acknowledge, complete,
 * heartbeat) and decide themselves what it does with each request.
 */

/** One answer of the API, its body parsed. */
export interface AgentApiAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the fields they assert on
  readonly body: any;
}

/** A request as the agent API hands it out. */
export interface HandedOutRequest {
  readonly id: string;
  readonly type: string;
  readonly deployment: string;
  readonly queue: string;
  // biome-ignore lint/suspicious/noExplicitAny: payloads differ by request type
  readonly payload: any;
  readonly attempts: number;
  readonly runToken?: string;
}

/** Registration fields of a stand-in agent. */
export interface StandInAgentOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly agentId: string;
  readonly label?: string;
  readonly version?: string;
  readonly deployments?: readonly string[];
  readonly queues?: readonly string[];
}

/**
 * An agent client over `fetch`. Methods answer the HTTP status and body rather than throwing, so tests
 * can assert on refusals.
 *
 * @example
 * const agent = new StandInAgent({ baseUrl: server.url, token, agentId: "agent-a" });
 * await agent.register();
 * const { body } = await agent.poll({ waitMs: 5_000 });
 */
export class StandInAgent {
  constructor(readonly options: StandInAgentOptions) {}

  get agentId(): string {
    return this.options.agentId;
  }

  register(): Promise<AgentApiAnswer> {
    return this.call("register", {
      label: this.options.label ?? this.options.agentId,
      version: this.options.version ?? "0.0.0-test",
      ...(this.options.deployments ? { deployments: this.options.deployments } : {}),
      ...(this.options.queues ? { queues: this.options.queues } : {}),
    });
  }

  heartbeat(status?: Record<string, unknown>): Promise<AgentApiAnswer> {
    return this.call("heartbeat", status ? { status } : {});
  }

  poll(options: { waitMs?: number; max?: number } = {}): Promise<AgentApiAnswer> {
    return this.call("poll", options);
  }

  /** Polls once and returns the requests handed out (throws on a refusal). */
  async take(options: { waitMs?: number; max?: number } = {}): Promise<readonly HandedOutRequest[]> {
    const answer = await this.poll(options);
    if (answer.status !== 200)
      throw new Error(`poll answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.requests;
  }

  acknowledge(requestId: string): Promise<AgentApiAnswer> {
    return this.call(`requests/${requestId}/acknowledge`);
  }

  complete(
    requestId: string,
    outcome: "completed" | "failed" | "unsupported",
    extra: { result?: unknown; error?: unknown } = {},
  ): Promise<AgentApiAnswer> {
    return this.call(`requests/${requestId}/complete`, { outcome, ...extra });
  }

  private async call(path: string, body?: unknown): Promise<AgentApiAnswer> {
    const response = await fetch(
      `${this.options.baseUrl}/api/agent/v1/agents/${encodeURIComponent(this.options.agentId)}/${path}`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.options.token}`,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      },
    );
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
}
