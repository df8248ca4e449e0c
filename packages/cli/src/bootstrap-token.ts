import { type AuthStorage, isTokenSecretShaped } from "@bosun/storage";
import { CliError } from "./cli-error.ts";

/** The name of the admin token `bosun auth bootstrap` creates, and that `BOSUN_BOOTSTRAP_TOKEN` is stored under. */
export const BOOTSTRAP_TOKEN_NAME = "bootstrap-admin";

/**
 * The environment variable that gives `bosun webserver` an admin token chosen outside Bosun (the Helm
 * chart's, from a Kubernetes Secret), so the first sign-in needs no `bosun auth bootstrap` in a pod.
 */
export const BOOTSTRAP_TOKEN_ENV = "BOSUN_BOOTSTRAP_TOKEN";

/**
 * Stores the secret in `BOSUN_BOOTSTRAP_TOKEN` (only its hash) as the instance-wide admin token
 * `bootstrap-admin`, when the variable is set. Idempotent, so every webserver replica does it at every
 * start: a secret stored already is left as it is, a new one (a rotated Secret) replaces the old token,
 * and a token an admin revoked stays revoked. Returns the line to print, or null when the variable is unset.
 */
export async function adoptBootstrapToken(
  auth: AuthStorage,
  env: Readonly<Record<string, string | undefined>>,
  now: Date,
): Promise<string | null> {
  const secret = env[BOOTSTRAP_TOKEN_ENV]?.trim();
  if (!secret) return null;
  if (!isTokenSecretShaped(secret) || !secret.startsWith("bosun_user_"))
    throw new CliError(
      `${BOOTSTRAP_TOKEN_ENV}: expected a user token, bosun_user_ followed by 43 letters, digits, "-" or "_" (as \`bosun auth bootstrap\` prints); the value is not shown`,
    );
  const { outcome } = await auth.adoptTokenSecret(
    secret,
    { name: BOOTSTRAP_TOKEN_NAME, kind: "user", role: "admin", createdBy: BOOTSTRAP_TOKEN_ENV },
    now,
  );
  switch (outcome) {
    case "created":
      return `admin token "${BOOTSTRAP_TOKEN_NAME}" stored from ${BOOTSTRAP_TOKEN_ENV}`;
    case "replaced":
      return `admin token "${BOOTSTRAP_TOKEN_NAME}" replaced by the new secret in ${BOOTSTRAP_TOKEN_ENV}`;
    case "kept":
      return null;
    case "revoked":
      return `the token in ${BOOTSTRAP_TOKEN_ENV} was revoked; it stays revoked (put a new secret in the variable to replace it)`;
  }
}
