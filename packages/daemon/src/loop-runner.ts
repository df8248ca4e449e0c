import { type SerializableFailure, toSerializableFailure } from "@bosun/core";
import type { DaemonLoop, PassTrigger } from "./daemon-loop.ts";
import type { DaemonResources } from "./daemon-resources.ts";

/** Errors kept in a heartbeat: enough to show what is wrong, small enough to write every pass. */
const MAX_HEARTBEAT_ERRORS = 10;
/**
 * Longest time between two heartbeats of a live loop. A loop that sleeps longer between passes (the
 * retention loop's hour) still says it is alive this often, well within the webserver's 60 s tolerance.
 */
export const HEARTBEAT_EVERY_MS = 20_000;

/**
 * Drives one loop: pass, heartbeat, sleep, until stopped. Passes never overlap (`runOnce` from a test and
 * the loop's own passes queue behind each other); a pass that throws counts as one error and the loop
 * goes on. A long sleep is cut into slices with a heartbeat (carrying the last pass's errors) after each.
 */
export class LoopRunner {
  private readonly stopping = new AbortController();
  private sleepAbort: AbortController | null = null;
  private wakeRequested = false;
  private running: Promise<void> = Promise.resolve();
  private main: Promise<void> | null = null;
  private passes = 0;
  /** Errors of the last pass, as written to the heartbeat. */
  lastErrors: readonly SerializableFailure[] = [];

  constructor(
    readonly loop: DaemonLoop,
    private readonly resources: DaemonResources,
  ) {}

  async start(): Promise<void> {
    await this.loop.start?.(() => this.wake());
    this.main = this.run();
  }

  /** Ends the sleep in progress, or makes the next one end at once. */
  wake(): void {
    this.wakeRequested = true;
    this.sleepAbort?.abort();
  }

  /** One pass now (after any pass in progress), with its heartbeat. */
  runOnce(trigger: PassTrigger = "requested"): Promise<void> {
    const pass = this.running.then(() => this.pass(trigger));
    this.running = pass.catch(() => undefined);
    return pass;
  }

  /** Completed passes, for tests and logs. */
  get passCount(): number {
    return this.passes;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.sleepAbort?.abort();
    await this.main;
    await this.running;
    await this.loop.stop?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await this.runOnce("scheduled");
      if (this.stopping.signal.aborted) break;
      if (this.wakeRequested) {
        this.wakeRequested = false;
        continue;
      }
      this.sleepAbort = new AbortController();
      const abortSleep = () => this.sleepAbort?.abort();
      this.stopping.signal.addEventListener("abort", abortSleep, { once: true });
      await this.sleepWithHeartbeats(this.loop.nextDelayMs(), this.sleepAbort.signal);
      this.stopping.signal.removeEventListener("abort", abortSleep);
      this.sleepAbort = null;
      this.wakeRequested = false;
    }
  }

  private async sleepWithHeartbeats(ms: number, signal: AbortSignal): Promise<void> {
    const { clock } = this.resources;
    const until = clock.now() + ms;
    for (;;) {
      const left = until - clock.now();
      if (left <= 0 || signal.aborted) return;
      await clock.sleep(Math.min(left, HEARTBEAT_EVERY_MS), signal);
      if (signal.aborted || until - clock.now() <= 0) return;
      await this.writeHeartbeat();
    }
  }

  private async pass(trigger: PassTrigger): Promise<void> {
    const { log } = this.resources;
    let errors: unknown[];
    try {
      errors = [...(await this.loop.iterate(trigger)).errors];
    } catch (error) {
      errors = [error];
    }
    for (const error of errors)
      log("error", `${this.loop.type}: ${(error as Error)?.message ?? String(error)}`);
    this.lastErrors = errors.slice(0, MAX_HEARTBEAT_ERRORS).map((error) => toSerializableFailure(error));
    await this.writeHeartbeat();
    this.passes++;
  }

  private async writeHeartbeat(): Promise<void> {
    const { log, storage, clock, daemonId } = this.resources;
    try {
      await storage.heartbeats.writeHeartbeat({
        daemonType: this.loop.type,
        daemonId,
        timestamp: new Date(clock.now()),
        errors: this.lastErrors,
      });
    } catch (error) {
      log(
        "warning",
        `${this.loop.type}: could not write the heartbeat: ${(error as Error)?.message ?? String(error)}`,
      );
    }
  }
}
