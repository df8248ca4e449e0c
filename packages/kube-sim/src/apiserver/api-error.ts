import type { ValidationIssue } from "../validation/issue.ts";
import { formatIssue } from "../validation/issue.ts";

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason: string; message: string; field?: string }[];
  retryAfterSeconds?: number;
}

/** A `metav1.Status` failure body. */
export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** An error the API server answers with a real `Status` body and HTTP code. */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) body.details = this.details;
    return body;
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, "BadRequest", message);
  }

  static notFound(group: string, plural: string, name: string): ApiError {
    const resource = group ? `${plural}.${group}` : plural;
    return new ApiError(404, "NotFound", `${resource} "${name}" not found`, { name, group, kind: plural });
  }

  static alreadyExists(group: string, plural: string, name: string): ApiError {
    const resource = group ? `${plural}.${group}` : plural;
    return new ApiError(409, "AlreadyExists", `${resource} "${name}" already exists`, {
      name,
      group,
      kind: plural,
    });
  }

  static conflict(group: string, plural: string, name: string, why: string): ApiError {
    const resource = group ? `${plural}.${group}` : plural;
    return new ApiError(409, "Conflict", `Operation cannot be fulfilled on ${resource} "${name}": ${why}`, {
      name,
      group,
      kind: plural,
    });
  }

  static invalid(group: string, kind: string, name: string, issues: readonly ValidationIssue[]): ApiError {
    const lines = issues.map(formatIssue);
    const message = `${kind} "${name}" is invalid: ${lines.length === 1 ? lines[0] : `[${lines.join(", ")}]`}`;
    return new ApiError(422, "Invalid", message, {
      name,
      group,
      kind,
      causes: issues.map((i) => ({ reason: i.reason, message: i.message, field: i.path })),
    });
  }

  static unprocessable(message: string): ApiError {
    return new ApiError(422, "Invalid", message);
  }

  static forbidden(message: string): ApiError {
    return new ApiError(403, "Forbidden", message);
  }

  static gone(message: string): ApiError {
    return new ApiError(410, "Expired", message);
  }

  static methodNotAllowed(message: string): ApiError {
    return new ApiError(405, "MethodNotAllowed", message);
  }

  static unsupportedMediaType(contentType: string): ApiError {
    return new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType})`,
    );
  }
}
