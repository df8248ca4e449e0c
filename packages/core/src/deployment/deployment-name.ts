/**
 * Deployment names. A deployment is a named namespace of one control plane (`prod`, a branch
 * deployment); everything this module's callers store or request per deployment carries its name.
 *
 * This is the one place a name given by a caller (absent, or typed by a person) becomes the
 * deployment it means. Today every well-formed name is accepted as is; when deployments become
 * records of their own, the lookup (does it exist, is it closed) joins here and nowhere else.
 */

/** The full deployment every instance has, and the one meant when a caller names none. */
export const DEFAULT_DEPLOYMENT = "prod";

/**
 * Lowercase letters, digits and dashes, starting with a letter or digit, at most 40 characters: a name
 * that is safe in a PostgreSQL schema name (each branch deployment has one), a URL segment and a
 * Kubernetes label value.
 */
export const DEPLOYMENT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A deployment name that cannot be one: says what was given and what is expected. */
export class InvalidDeploymentNameError extends Error {
  constructor(readonly given: string) {
    super(
      `"${given}" is not a deployment name: expected lowercase letters, digits and "-" (starting with a letter or digit, at most 40 characters)`,
    );
    this.name = "InvalidDeploymentNameError";
  }
}

/**
 * The deployment a caller means: the default (`prod`) when none is given, else the name itself once
 * checked. Throws `InvalidDeploymentNameError` for a malformed name.
 *
 * @example
 * resolveDeploymentName(undefined); // "prod"
 * resolveDeploymentName("feature-x"); // "feature-x"
 */
export function resolveDeploymentName(given: string | null | undefined): string {
  if (given === undefined || given === null || given === "") return DEFAULT_DEPLOYMENT;
  if (!DEPLOYMENT_NAME_PATTERN.test(given)) throw new InvalidDeploymentNameError(given);
  return given;
}
