import type { NewAuditEntry } from "@bosun/storage";
import type { Principal } from "./principal.ts";

/** Longest object description kept: params and bodies are attacker-sized until validated. */
const MAX_OBJECT_LENGTH = 300;

function text(source: unknown, key: string): string | null {
  if (typeof source !== "object" || source === null) return null;
  const value = (source as Record<string, unknown>)[key];
  return typeof value === "string" ? value : null;
}

/**
 * What a mutating call acted on, in words: `run <id>`, `schedule finance/hourly`, `location finance`,
 * `job finance/daily_totals`, `token ci`. Taken from the request as sent (also when it was refused).
 */
export function describeObject(url: string, params: unknown, body: unknown): string | null {
  const id = text(params, "id");
  const location = text(params, "location");
  const name = text(params, "name");
  const bodyLocation = text(body, "location");
  const job = text(body, "job");
  let object: string | null = null;
  const subject = text(params, "subject");
  if (subject !== null) object = `user ${subject}`;
  else if (url.startsWith("/api/tokens")) {
    const tokenName = text(body, "name");
    object = id !== null ? `token ${id}` : tokenName !== null ? `token ${tokenName}` : null;
  } else if (id !== null) object = `run ${id}`;
  else if (location !== null && name !== null) {
    const kind = url.startsWith("/api/sensors/") ? "sensor" : "schedule";
    object = `${kind} ${location}/${name}`;
  } else if (name !== null) object = `location ${name}`;
  else if (bodyLocation !== null)
    object = job !== null ? `job ${bodyLocation}/${job}` : `location ${bodyLocation}`;
  return object === null || object.length <= MAX_OBJECT_LENGTH
    ? object
    : `${object.slice(0, MAX_OBJECT_LENGTH)}…`;
}

/** One audit entry for a finished mutating call. */
export function auditEntry(call: {
  readonly at: Date;
  readonly principal: Principal | null;
  readonly method: string;
  readonly url: string;
  readonly permission: string | null;
  readonly params: unknown;
  readonly body: unknown;
  readonly address: string | null;
  readonly statusCode: number;
  /** Set when the call was refused before its handler ran (no or bad credentials, missing permission, guards). */
  readonly refusal: string | null;
}): NewAuditEntry {
  return {
    at: call.at,
    actor: call.principal?.name ?? "anonymous",
    actorKind: call.principal?.kind ?? "anonymous",
    action: `${call.method} ${call.url}`,
    permission: call.permission,
    object: describeObject(call.url, call.params, call.body),
    address: call.address,
    decision: call.refusal === null ? "allowed" : "denied",
    statusCode: call.statusCode,
    reason: call.refusal,
  };
}
