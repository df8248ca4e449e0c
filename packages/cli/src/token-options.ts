import { didYouMean, isRole, ROLES, type Role } from "@bosun/core";
import { TOKEN_KINDS, TOKEN_NAME_PATTERN, type TokenKind } from "@bosun/storage";
import { CliError } from "./cli-error.ts";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `--role`: one of the roles, with a suggestion for a near miss. */
export function parseRoleOption(value: string): Role {
  const role = value.trim().toLowerCase();
  if (!isRole(role))
    throw new CliError(
      `--role ${JSON.stringify(value)} is not a role${didYouMean(role, ROLES)} (one of ${ROLES.join(", ")})`,
      2,
    );
  return role;
}

/** `--kind`: user (default) or agent; run tokens are issued by Bosun for one run, not by hand. */
export function parseKindOption(value: string): TokenKind {
  const kinds = TOKEN_KINDS.filter((kind) => kind !== "run");
  const kind = value.trim().toLowerCase();
  if (!(kinds as readonly string[]).includes(kind))
    throw new CliError(
      `--kind ${JSON.stringify(value)} is not a token kind you can create${didYouMean(kind, kinds)} (one of ${kinds.join(", ")})`,
      2,
    );
  return kind as TokenKind;
}

/**
 * `--expires 90d`: a lifetime of a whole number of minutes (m), hours (h), days (d) or weeks (w), or
 * `never`; the expiry time is `now` plus it.
 *
 * @example
 * parseExpiresOption("90d", new Date("2026-01-01T00:00:00Z")); // 2026-04-01T00:00:00Z
 */
export function parseExpiresOption(value: string, now: Date): Date | null {
  if (value.trim() === "never") return null;
  const match = /^(\d{1,6})([mhdw])$/.exec(value.trim());
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount <= 0)
    throw new CliError(
      `--expires ${JSON.stringify(value)} is not a lifetime: give a whole number and a unit, m (minutes), h (hours), d (days) or w (weeks), e.g. 90d, or never`,
      2,
    );
  return new Date(now.getTime() + amount * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/** `--name`: what people list and revoke the token by. */
export function parseTokenNameOption(value: string): string {
  if (!TOKEN_NAME_PATTERN.test(value))
    throw new CliError(
      `--name ${JSON.stringify(value)} is not a token name: 1 to 100 letters, digits, ".", "_", "@" or "-", starting with a letter or digit`,
      2,
    );
  return value;
}
