import { InvalidDeploymentNameError, resolveDeploymentName } from "@bosun/core";
import { ApiError } from "../api/api-error.ts";

/**
 * The deployment an API request names (a path parameter or a body field), through the one resolver
 * (`resolveDeploymentName`); a malformed name is a 400 naming the field.
 */
export function deploymentFromRequest(given: string | null | undefined, field: string): string {
  try {
    return resolveDeploymentName(given);
  } catch (error) {
    if (error instanceof InvalidDeploymentNameError)
      throw new ApiError("INVALID_DEPLOYMENT", error.message, {
        issues: [{ field, message: error.message }],
      });
    throw error;
  }
}
