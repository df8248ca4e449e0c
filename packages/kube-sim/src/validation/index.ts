export { formatIssue, InvalidObjectError, type ValidationIssue, type ValidationReason } from "./issue.ts";
export { parseQuantity } from "./names.ts";
export { assertValidObject, validateObject } from "./validate.ts";
