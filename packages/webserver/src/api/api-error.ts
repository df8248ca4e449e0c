/**
 * Stable error codes of the HTTP API. Clients switch on `code`, people read `message`.
 * Each maps to one HTTP status (see `STATUS_BY_CODE`).
 */
export type ApiErrorCode =
  | "INVALID_INPUT"
  | "INVALID_RUN_CONFIG"
  | "INVALID_LAUNCH"
  | "INVALID_CURSOR"
  | "BODY_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "HEADERS_TOO_LARGE"
  | "HOST_NOT_ALLOWED"
  | "ORIGIN_NOT_ALLOWED"
  | "READ_ONLY"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "LOCATION_NOT_FOUND"
  | "JOB_NOT_FOUND"
  | "ASSET_NOT_FOUND"
  | "RUN_NOT_FOUND"
  | "STEP_NOT_FOUND"
  | "SCHEDULE_NOT_FOUND"
  | "SENSOR_NOT_FOUND"
  | "TOKEN_NOT_FOUND"
  | "DEPLOYMENT_NOT_FOUND"
  | "DEPLOYMENT_CLOSED"
  | "TOKEN_NAME_TAKEN"
  | "INVALID_DEPLOYMENT"
  | "INVALID_LOCATIONS"
  | "AGENT_NOT_REGISTERED"
  | "AGENT_REQUEST_NOT_FOUND"
  | "LEASE_LOST"
  | "RUN_ENDED"
  | "RUN_NOT_FINISHED"
  | "RUN_ALREADY_FINISHED"
  | "NOTHING_TO_REEXECUTE"
  | "CANNOT_TERMINATE"
  | "LOCATION_UNAVAILABLE"
  | "LOCATION_DEFINITIONS_INVALID"
  | "NOT_AVAILABLE"
  | "STORAGE_UNAVAILABLE"
  | "INTERNAL";

/** The HTTP status each API error code is sent with. */
export const STATUS_BY_CODE: Readonly<Record<ApiErrorCode, number>> = {
  INVALID_INPUT: 400,
  INVALID_RUN_CONFIG: 400,
  INVALID_LAUNCH: 400,
  INVALID_CURSOR: 400,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  // 421 Misdirected Request: this server is not the one the Host header names (DNS rebinding guard).
  HOST_NOT_ALLOWED: 421,
  ORIGIN_NOT_ALLOWED: 403,
  READ_ONLY: 403,
  // No credentials, or credentials that are not (or no longer) good: missing, malformed, unknown, expired, revoked, wrong kind.
  UNAUTHENTICATED: 401,
  // Good credentials whose grants lack the permission the route needs.
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  LOCATION_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  ASSET_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  STEP_NOT_FOUND: 404,
  SCHEDULE_NOT_FOUND: 404,
  SENSOR_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  DEPLOYMENT_NOT_FOUND: 404,
  // A closed deployment keeps its history read-only: a write conflicts with its state, not with a permission.
  DEPLOYMENT_CLOSED: 409,
  TOKEN_NAME_TAKEN: 409,
  INVALID_DEPLOYMENT: 400,
  // A locations file with problems: details.issues name each path and the nearest valid key.
  INVALID_LOCATIONS: 400,
  // An agent must register (under its id) before it polls or heartbeats.
  AGENT_NOT_REGISTERED: 404,
  AGENT_REQUEST_NOT_FOUND: 404,
  // The request's lease expired and went to another agent: this agent must drop it.
  LEASE_LOST: 409,
  // A run token of a run that has ended: its workers have nothing more to report.
  RUN_ENDED: 403,
  RUN_NOT_FINISHED: 409,
  RUN_ALREADY_FINISHED: 409,
  NOTHING_TO_REEXECUTE: 409,
  CANNOT_TERMINATE: 409,
  LOCATION_UNAVAILABLE: 503,
  // Not 503: the location's definitions are wrong (a DefinitionError), and asking again will not help.
  LOCATION_DEFINITIONS_INVALID: 422,
  NOT_AVAILABLE: 503,
  STORAGE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** One problem with a request field: `field` is `body.runConfig.ops.x`, `query.limit`, `params.id`... */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** The one error body of the API: `{ error: { code, message, details? } }`. */
export interface ApiErrorBody {
  readonly error: {
    readonly code: ApiErrorCode;
    readonly message: string;
    /** `issues` for bad input; other keys per code (e.g. `runId`). */
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

/** Thrown by route handlers; the error handler turns it into the API's error body and status. */
export class ApiError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: ApiErrorBody["error"]["details"],
  ) {
    super(message);
    this.name = "ApiError";
    this.statusCode = STATUS_BY_CODE[code];
  }

  toBody(): ApiErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

/** 400 naming the fields at fault. */
export function invalidInput(issues: readonly FieldIssue[]): ApiError {
  const message = issues.map((i) => `${i.field}: ${i.message}`).join("; ");
  return new ApiError("INVALID_INPUT", message, { issues });
}
