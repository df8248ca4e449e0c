/** Reasons mirror the `causes[].reason` values of a Kubernetes 422 Invalid status. */
export type ValidationReason =
  | "FieldValueUnknown"
  | "FieldValueTypeInvalid"
  | "FieldValueRequired"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueDuplicate"
  | "FieldValueTooLong"
  | "FieldValueForbidden"
  | "FieldValueNotFound";

/** One problem found in an object, naming the field path (`spec.template.spec.containers[0].image`). */
export interface ValidationIssue {
  readonly path: string;
  readonly reason: ValidationReason;
  readonly message: string;
}

/** `path: message`, one line per issue. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.path}: ${issue.message}`;
}

/** Thrown by `assertValidObject`; carries every issue found. */
export class InvalidObjectError extends Error {
  readonly issues: readonly ValidationIssue[];
  readonly kind: string;
  readonly objectName: string;

  constructor(kind: string, objectName: string, issues: readonly ValidationIssue[]) {
    const details = issues.map(formatIssue);
    super(
      `${kind} "${objectName}" is invalid: ${details.length === 1 ? details[0] : `[${details.join(", ")}]`}`,
    );
    this.name = "InvalidObjectError";
    this.issues = issues;
    this.kind = kind;
    this.objectName = objectName;
  }
}
