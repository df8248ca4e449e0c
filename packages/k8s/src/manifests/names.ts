/**
 * Names of the Jobs Bosun creates. Every name is a valid RFC 1123 label (≤ 63 characters,
 * lowercase letters, digits and '-'), and the same inputs always give the same name, so the
 * launcher can find, check and delete a Job by recomputing its name.
 */
import { createHash } from "node:crypto";
import { isDns1123Label } from "../kube-model/object-names.ts";

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function attemptSuffix(what: string, attempt: number): string {
  if (!Number.isSafeInteger(attempt) || attempt < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${attempt}`);
  }
  return attempt === 0 ? "" : `-${attempt}`;
}

function checked(name: string): string {
  if (!isDns1123Label(name))
    throw new RangeError(`Job name ${name} is not a valid RFC 1123 label of at most 63 characters`);
  return name;
}

/**
 * `bosun-run-<run id>`, or `bosun-run-<run id>-<n>` for the n-th resumed attempt. A run id that
 * would not make a valid name (uppercase, too long, other characters) is replaced by a hash of it.
 *
 * @example
 * runJobName("c8f4e3c2-0915-4317-a168-bf8c86810fb2")    // "bosun-run-c8f4e3c2-0915-4317-a168-bf8c86810fb2"
 * runJobName("c8f4e3c2-0915-4317-a168-bf8c86810fb2", 1) // "bosun-run-c8f4e3c2-0915-4317-a168-bf8c86810fb2-1"
 */
export function runJobName(runId: string, resumeAttempt = 0): string {
  const suffix = attemptSuffix("resume attempt", resumeAttempt);
  const direct = `bosun-run-${runId}${suffix}`;
  if (isDns1123Label(direct)) return direct;
  return checked(`bosun-run-${sha256Hex(runId).slice(0, 32)}${suffix}`);
}

/**
 * `bosun-step-<hash of run id and step key>`, and `-<attempt>` for a retry (attempt ≥ 1).
 *
 * @example
 * stepJobName(runId, "total")     // "bosun-step-<32 hex>"
 * stepJobName(runId, "total", 2)  // "bosun-step-<32 hex>-2"
 */
export function stepJobName(runId: string, stepKey: string, attempt = 0): string {
  const suffix = attemptSuffix("step attempt", attempt);
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  return checked(`bosun-step-${sha256Hex(`${runId}\n${stepKey}`).slice(0, 32)}${suffix}`);
}
