import { Worker } from "node:worker_threads";
import type { LocationEntry, Workspace } from "@bosun/code-server";

/** A workspace with no code location: enough for a webserver that only lists runs. */
export const emptyWorkspace: Workspace = {
  list: () => [],
  get: () => undefined as LocationEntry | undefined,
  client: (name) => {
    throw new Error(`no code location "${name}"`);
  },
  reload: async (name) => {
    throw new Error(`no code location "${name}"`);
  },
  onChange: () => () => {},
  close: async () => {},
};

/** What one load run measured: each request's latency in ms, non-200 answers, wall time. */
export interface LoadResult {
  latencies: number[];
  failures: number;
  seconds: number;
}

// A worker thread sends the requests, so the client's own work does not share the webserver's event loop.
const LOAD_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const { url, headers, concurrency, requests } = workerData;
  const latencies = [];
  let next = 0;
  let failures = 0;
  async function loop() {
    while (next < requests) {
      next++;
      const start = performance.now();
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) failures++;
      latencies.push(performance.now() - start);
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  parentPort.postMessage({ latencies, failures, seconds: (performance.now() - started) / 1000 });
})();
`;

/** Sends `requests` GETs to `url`, `concurrency` at a time, from a worker thread. */
export function loadInWorker(options: {
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly concurrency: number;
  readonly requests: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, {
      eval: true,
      workerData: { headers: {}, ...options },
    });
    worker.once("message", (result: LoadResult) => {
      void worker.terminate();
      resolve(result);
    });
    worker.once("error", reject);
  });
}
