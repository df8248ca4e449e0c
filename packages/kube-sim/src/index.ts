export {
  assertValidObject,
  formatIssue,
  InvalidObjectError,
  parseQuantity,
  type ValidationIssue,
  type ValidationReason,
  validateObject,
} from "./validation/index.ts";
