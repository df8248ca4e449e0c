/**
 * The one place that builds BullMQ objects from `bosun.yaml`'s `queues` section: on PostgreSQL, Bosun's
 * own database (schema `bosun_queues`, migrated by BullMQ under its advisory lock); on Redis, the
 * configured URL with its password from the environment. A Redis server that cannot be reached is an
 * error naming host and port (never the password) before any BullMQ object exists, because BullMQ
 * would otherwise retry silently forever.
 */

import net from "node:net";
import type { QueueDefinition, QueueSettings } from "@bosun/instance";
import { UNLISTED_QUEUE } from "@bosun/instance";
import {
  createPostgresBackend,
  type Processor,
  Queue,
  type QueueOptions,
  Worker,
  type WorkerOptions,
} from "bullmq";

/** Schema of BullMQ's tables in Bosun's database. */
export const QUEUE_SCHEMA = "bosun_queues";
/** Key prefix of Bosun's queues on Redis. */
const REDIS_PREFIX = "bosun";

/** The Redis server of `queues.redis` cannot be reached. */
export class QueueBackendUnreachableError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    reason: string,
  ) {
    super(`cannot reach the queues' Redis server at ${host}:${port}: ${reason}`);
    this.name = "QueueBackendUnreachableError";
  }
}

/** `queues.backend: redis` without the environment variable its password comes from. */
export class QueuePasswordMissingError extends Error {
  constructor(readonly variable: string) {
    super(`queues.redis.password_env names ${variable}, which is not set in this process's environment`);
    this.name = "QueuePasswordMissingError";
  }
}

/** Opens BullMQ queues and workers on the configured backend; `close` closes everything it opened. */
export interface QueueBackend {
  readonly kind: QueueSettings["backend"];
  /** The settings of a queue (those of an unlisted queue when `bosun.yaml` does not list it). */
  definition(name: string): QueueDefinition;
  /** The queue named `name` (one instance per name), with its width and rate limit applied. */
  queue(name: string): Promise<Queue>;
  worker(name: string, processor: Processor, options: Omit<WorkerOptions, "connection">): Worker;
  close(): Promise<void>;
}

interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly password?: string;
  readonly tls: boolean;
}

function redisTarget(settings: QueueSettings, env: NodeJS.ProcessEnv): RedisTarget {
  const url = new URL(settings.redis?.url ?? "redis://127.0.0.1:6379");
  const variable = settings.redis?.passwordEnv ?? null;
  const password = variable ? env[variable] : undefined;
  if (variable && password === undefined) throw new QueuePasswordMissingError(variable);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    db: Number(url.pathname.slice(1) || 0),
    ...(password !== undefined ? { password } : {}),
    tls: url.protocol === "rediss:",
  };
}

/** Resolves when a TCP connection to host:port opens; rejects naming them otherwise. */
function probe(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new QueueBackendUnreachableError(host, port, reason));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs / 1000} s`));
    socket.once("error", (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.once("connect", () => {
      socket.end();
      resolve();
    });
  });
}

/**
 * Opens the backend `settings` names. `databaseUrl` is Bosun's own database (the PostgreSQL backend's
 * home). Fails with `QueueBackendUnreachableError` when Redis cannot be reached.
 *
 * @example
 * const backend = await openQueueBackend(instance.queues, instance.childEnv.BOSUN_DATABASE_URL);
 * const queue = await backend.queue("warehouse");
 */
export async function openQueueBackend(
  settings: QueueSettings,
  databaseUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<QueueBackend> {
  const queues = new Map<string, Promise<Queue>>();
  const workers: Worker[] = [];
  let base: { queue: QueueOptions; factory?: typeof createPostgresBackend };
  if (settings.backend === "redis") {
    const target = redisTarget(settings, env);
    await probe(target.host, target.port, 5_000);
    base = {
      queue: {
        prefix: REDIS_PREFIX,
        connection: {
          host: target.host,
          port: target.port,
          db: target.db,
          ...(target.password !== undefined ? { password: target.password } : {}),
          ...(target.tls ? { tls: {} } : {}),
          // Workers block on the connection; BullMQ requires unlimited retries for them.
          maxRetriesPerRequest: null,
        },
      },
    };
  } else {
    if (!databaseUrl)
      throw new Error("queues.backend is postgresql but this process has no Bosun database URL");
    base = {
      queue: {
        connection: { connectionString: databaseUrl, schema: QUEUE_SCHEMA, migrate: true, max: 4 } as never,
      },
      factory: createPostgresBackend,
    };
  }
  const definition = (name: string) => settings.definitions[name] ?? UNLISTED_QUEUE;
  const openQueue = async (name: string): Promise<Queue> => {
    // Both backends' classes have the same API; they differ only in their connection option types.
    const queue = base.factory
      ? (new Queue(name, base.queue as never, base.factory) as unknown as Queue)
      : new Queue(name, base.queue);
    queue.on("error", () => undefined);
    await queue.waitUntilReady();
    const { width, rateLimit } = definition(name);
    // Width and rate limit live in the backend, shared by every worker: an exact cap, whatever their number.
    if (width === null) await queue.removeGlobalConcurrency();
    else await queue.setGlobalConcurrency(width);
    if (rateLimit === null) await queue.removeGlobalRateLimit();
    else await queue.setGlobalRateLimit(rateLimit.max, rateLimit.perMs);
    return queue;
  };
  return {
    kind: settings.backend,
    definition,
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = openQueue(name);
        queues.set(name, queue);
      }
      return queue;
    },
    worker(name, processor, options) {
      const opts = { ...base.queue, ...options } as WorkerOptions;
      const worker = base.factory
        ? (new Worker(name, processor, opts as never, base.factory) as unknown as Worker)
        : new Worker(name, processor, opts);
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close().catch(() => undefined)));
      const opened = await Promise.all([...queues.values()].map((queue) => queue.catch(() => null)));
      await Promise.all(opened.map((queue) => queue?.close().catch(() => undefined)));
    },
  };
}
