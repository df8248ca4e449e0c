import { didYouMean } from "@bosun/core";
import { openInstance } from "@bosun/instance";
import { type ApiTokenRecord, TokenNameTakenError } from "@bosun/storage";
import type { Command } from "commander";
import { BOOTSTRAP_TOKEN_NAME } from "../bootstrap-token.ts";
import { CliError } from "../cli-error.ts";
import {
  parseExpiresOption,
  parseKindOption,
  parseRoleOption,
  parseTokenNameOption,
} from "../token-options.ts";

/** What `token list --json` and `token create --json` show of a token: never its secret, which is not stored. */
function tokenView(token: ApiTokenRecord) {
  return {
    id: token.id,
    name: token.name,
    kind: token.kind,
    role: token.role,
    location: token.location,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}

function printSecretOnce(secret: string, token: ApiTokenRecord): void {
  process.stdout.write(`${secret}\n`);
  process.stderr.write(
    `token "${token.name}" (${token.kind}, ${token.role}${token.location ? ` on location ${token.location}` : ""}${
      token.expiresAt ? `, expires ${token.expiresAt.toISOString()}` : ", never expires"
    }) created; this is the only time it is shown: store it now and send it as "Authorization: Bearer <token>"\n`,
  );
}

/**
 * `bosun auth bootstrap` and `bosun token create|list|revoke`: API tokens, managed on the instance's
 * database directly (as an operator with access to it), like other instance commands.
 */
export function registerAuthCommands(program: Command): void {
  program
    .command("auth")
    .description("Set up auth on the instance")
    .command("bootstrap")
    .description(
      `Create the first admin token ("${BOOTSTRAP_TOKEN_NAME}") and print it once; refused when an admin token exists`,
    )
    .option("--force", `revoke an existing "${BOOTSTRAP_TOKEN_NAME}" token and create a new one`)
    .action(async (options) => {
      const instance = await openInstance();
      try {
        const admins = (await instance.storage.auth.listTokens()).filter(
          (token) => token.role === "admin" && token.location === null && token.kind === "user",
        );
        if (admins.length > 0 && !options.force)
          throw new CliError(
            `the instance already has admin tokens (${admins.map((t) => t.name).join(", ")}); create more with \`bosun token create --role admin\`, or pass --force to replace "${BOOTSTRAP_TOKEN_NAME}"`,
          );
        if (options.force) await instance.storage.auth.revokeToken(BOOTSTRAP_TOKEN_NAME, new Date());
        const { token, secret } = await instance.storage.auth.createToken({
          name: BOOTSTRAP_TOKEN_NAME,
          kind: "user",
          role: "admin",
          createdBy: "bootstrap",
        });
        printSecretOnce(secret, token);
        if (!instance.auth.enabled)
          process.stderr.write(
            "note: auth is not enabled in bosun.yaml (auth: { enabled: true }); tokens are not asked for yet\n",
          );
      } finally {
        await instance.close();
      }
    });

  const token = program.command("token").description("Create, list and revoke API tokens");

  token
    .command("create")
    .description("Create an API token and print it once (it is stored hashed and cannot be shown again)")
    .requiredOption("--name <name>", "what the token is listed and revoked by, e.g. ci", parseTokenNameOption)
    .requiredOption("--role <role>", "viewer, launcher, editor or admin", parseRoleOption)
    .option("--location <name>", "give the role on this code location only (default: the whole instance)")
    .option("--expires <lifetime>", "lifetime: 30m, 12h, 90d, 4w, or never", "never")
    .option("--kind <kind>", "user (scripts, CI) or agent (the hybrid agent)", parseKindOption, "user")
    .option("--json", "print JSON only (the token's record and its secret)")
    .action(async (options) => {
      const expiresAt = parseExpiresOption(options.expires, new Date());
      const instance = await openInstance();
      try {
        const { token: created, secret } = await instance.storage.auth
          .createToken({
            name: options.name,
            kind: options.kind,
            role: options.role,
            location: options.location ?? null,
            expiresAt,
            createdBy: "cli",
          })
          .catch((error: unknown) => {
            if (error instanceof TokenNameTakenError) throw new CliError(error.message);
            throw error;
          });
        if (options.json)
          process.stdout.write(`${JSON.stringify({ token: tokenView(created), secret }, null, 2)}\n`);
        else printSecretOnce(secret, created);
      } finally {
        await instance.close();
      }
    });

  token
    .command("list")
    .description("List API tokens in force (never their secrets)")
    .option("--all", "include revoked tokens")
    .option("--json", "print JSON only")
    .action(async (options) => {
      const instance = await openInstance();
      try {
        const tokens = await instance.storage.auth.listTokens({ includeRevoked: Boolean(options.all) });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(tokens.map(tokenView), null, 2)}\n`);
          return;
        }
        if (tokens.length === 0) process.stdout.write("no tokens (create one with `bosun token create`)\n");
        for (const t of tokens) {
          const scope = t.location ? `location ${t.location}` : "instance";
          const expires = t.expiresAt ? `expires ${t.expiresAt.toISOString()}` : "never expires";
          const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : expires;
          process.stdout.write(
            `${t.id}  ${t.name.padEnd(20)} ${t.kind.padEnd(6)} ${t.role.padEnd(9)} ${scope.padEnd(20)} ${state}\n`,
          );
        }
      } finally {
        await instance.close();
      }
    });

  token
    .command("revoke")
    .description("Revoke an API token by name or id; it stops working at once")
    .argument("<token>", "the token's name or id")
    .action(async (nameOrId: string) => {
      const instance = await openInstance();
      try {
        const revoked = await instance.storage.auth.revokeToken(nameOrId, new Date());
        if (!revoked) {
          const names = (await instance.storage.auth.listTokens()).map((t) => t.name);
          throw new CliError(
            `no token in force named or with id "${nameOrId}"${didYouMean(nameOrId, names)}`,
          );
        }
        process.stdout.write(`revoked token "${revoked.name}" (${revoked.id})\n`);
      } finally {
        await instance.close();
      }
    });
}
