/** Options of `GET /api/v1/namespaces/{ns}/pods/{name}/log`. */
export interface PodLogOptions {
  readonly container: string | undefined;
  readonly follow: boolean;
  readonly previous: boolean;
  readonly tailLines: number | undefined;
  readonly limitBytes: number | undefined;
  readonly timestamps: boolean;
  readonly sinceSeconds: number | undefined;
}

/** Implemented by the kubelet: serves container logs; throws ApiError for pods it cannot serve. */
export interface PodLogProvider {
  /** Writes log bytes to `write`; resolves when done (for `follow`, when the container stops or `signal` aborts). */
  streamLogs(
    namespace: string,
    pod: string,
    options: PodLogOptions,
    write: (chunk: Buffer) => void,
    signal: AbortSignal,
  ): Promise<void>;
}
