import type { MetadataInput } from "./metadata.ts";

/**
 * Thrown by user code to fail a step on purpose. With `allowRetries: false` the retry policy is
 * ignored and the step fails at once.
 */
export class Failure extends Error {
  readonly allowRetries: boolean;
  readonly metadata: MetadataInput;
  constructor(
    message: string,
    options: { allowRetries?: boolean; metadata?: MetadataInput; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "Failure";
    this.allowRetries = options.allowRetries ?? true;
    this.metadata = options.metadata ?? {};
  }
}

/** Thrown by user code to ask for a retry even without a retry policy on the op. */
export class RetryRequested extends Error {
  readonly maxRetries: number;
  readonly delayMs: number;
  constructor(options: { maxRetries?: number; delayMs?: number; cause?: unknown } = {}) {
    super("retry requested by user code", { cause: options.cause });
    this.name = "RetryRequested";
    this.maxRetries = options.maxRetries ?? 1;
    this.delayMs = options.delayMs ?? 0;
  }
}
