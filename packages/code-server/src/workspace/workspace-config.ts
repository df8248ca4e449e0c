import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { didYouMean, nearest } from "@bosun/core";
import YAML from "yaml";
import { z } from "zod";

/**
 * `workspace.yaml`: the code locations the webserver and daemon serve.
 *
 * ```yaml
 * load_from:
 *   - typescript_file:            # started as a local code server process
 *       path: sales/definitions.ts
 *       location_name: sales
 *   - module:                     # an installed package, also started locally
 *       module_name: "@acme/pipelines"
 *       location_name: pipelines
 *   - grpc_server:                # a code server someone else runs (e.g. a Kubernetes Deployment)
 *       host: pipelines.data.svc
 *       port: 4000
 *       location_name: remote
 * ```
 */
export type WorkspaceLocationConfig =
  | {
      readonly kind: "typescript_file";
      readonly name: string;
      /** Absolute path of the code location file. */
      readonly file: string;
      /** Absolute working directory of its code server process. */
      readonly workingDirectory: string;
    }
  | {
      readonly kind: "module";
      readonly name: string;
      readonly module: string;
      readonly workingDirectory: string;
    }
  | { readonly kind: "grpc_server"; readonly name: string; readonly host: string; readonly port: number };

/** A workspace: the code locations to serve, parsed from `workspace.yaml` or built from a single file. */
export interface WorkspaceConfig {
  /** Absolute path of the workspace file, or null when the workspace was built from a single file. */
  readonly file: string | null;
  readonly locations: readonly WorkspaceLocationConfig[];
}

/** One problem of a workspace file, with the field path it is about. */
export interface WorkspaceConfigIssue {
  /** e.g. `load_from[1].grpc_server.port`. */
  readonly path: string;
  readonly message: string;
}

/** A workspace file that cannot be used: names the file and every problem's field path. */
export class WorkspaceConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly WorkspaceConfigIssue[],
  ) {
    super(
      issues.length === 1
        ? `workspace file ${file}: ${describeIssue(issues[0]!)}`
        : `workspace file ${file} has ${issues.length} problems:\n${issues.map((issue) => `  ${describeIssue(issue)}`).join("\n")}`,
    );
    this.name = "WorkspaceConfigError";
  }
}

function describeIssue(issue: WorkspaceConfigIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

const LOCATION_NAME = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
    'expected letters, digits, "_", "-" or "." (the name appears in URLs and run tags)',
  );

const typescriptFileSchema = z.strictObject({
  /** The code location file, relative to the workspace file's directory. */
  path: z.string().min(1, "expected a file path"),
  /** Defaults to the file's name without its extension. */
  location_name: LOCATION_NAME.optional(),
  /** Working directory of the code server process, relative to the workspace file's directory; default: that directory. */
  working_directory: z.string().min(1).optional(),
});

const moduleSchema = z.strictObject({
  /** An importable module (an installed package name) whose default export is the definitions. */
  module_name: z.string().min(1, "expected a module name"),
  /** Defaults to the module name. */
  location_name: LOCATION_NAME.optional(),
  /** Working directory of the code server process (module resolution starts there). */
  working_directory: z.string().min(1).optional(),
});

const grpcServerSchema = z.strictObject({
  /** Host name or IP address of a running code server (`bosun api grpc`). */
  host: z.string().min(1, "expected a host name or IP address"),
  /** Its port. */
  port: z
    .number()
    .int("expected an integer port")
    .min(1, "expected a port from 1 to 65535")
    .max(65535, "expected a port from 1 to 65535"),
  /** Required: nothing on this side knows the code well enough to name it. */
  location_name: LOCATION_NAME,
});

/** Each `load_from` entry has exactly one of these keys. */
const ENTRY_SCHEMAS = {
  typescript_file: typescriptFileSchema,
  module: moduleSchema,
  grpc_server: grpcServerSchema,
} as const;
type EntryKind = keyof typeof ENTRY_SCHEMAS;
const ENTRY_KINDS = Object.keys(ENTRY_SCHEMAS) as EntryKind[];

const TOP_LEVEL_KEYS = ["load_from"];

/** Reads and validates a workspace file. Relative paths in it resolve against its directory. */
export function loadWorkspaceConfig(file: string): WorkspaceConfig {
  const absolute = path.resolve(file);
  if (!existsSync(absolute))
    throw new WorkspaceConfigError(absolute, [{ path: "", message: "no such file" }]);
  return parseWorkspaceConfig(readFileSync(absolute, "utf8"), absolute);
}

/** Validates workspace file text; `file` names it in errors and anchors its relative paths. */
export function parseWorkspaceConfig(text: string, file: string): WorkspaceConfig {
  const directory = path.dirname(file);
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (error) {
    throw new WorkspaceConfigError(file, [
      { path: "", message: `not valid YAML: ${(error as Error).message}` },
    ]);
  }
  const issues: WorkspaceConfigIssue[] = [];
  if (!isRecord(document)) {
    throw new WorkspaceConfigError(file, [
      { path: "", message: `expected a mapping with a load_from list, got ${kindOf(document)}` },
    ]);
  }
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      issues.push({
        path: key,
        message: `unknown key${didYouMean(key, TOP_LEVEL_KEYS)} (expected load_from)`,
      });
    }
  }
  const entries = document.load_from;
  if (entries === undefined || entries === null) {
    issues.push({ path: "load_from", message: "missing; expected a list of code locations" });
    throw new WorkspaceConfigError(file, issues);
  }
  if (!Array.isArray(entries) || entries.length === 0) {
    issues.push({
      path: "load_from",
      message: `expected a non-empty list of code locations, got ${Array.isArray(entries) ? "an empty list" : kindOf(entries)}`,
    });
    throw new WorkspaceConfigError(file, issues);
  }

  const locations: WorkspaceLocationConfig[] = [];
  const namedAt = new Map<string, string>();
  entries.forEach((entry: unknown, index: number) => {
    const entryPath = `load_from[${index}]`;
    const location = parseEntry(entry, entryPath, directory, issues);
    if (!location) return;
    const namePath = `${entryPath}.${location.kind}.location_name`;
    const previous = namedAt.get(location.name);
    if (previous !== undefined) {
      issues.push({
        path: namePath,
        message: `location name "${location.name}" is already used by ${previous}; each location needs its own name`,
      });
      return;
    }
    namedAt.set(location.name, entryPath);
    locations.push(location);
  });
  if (issues.length > 0) throw new WorkspaceConfigError(file, issues);
  return { file, locations };
}

function parseEntry(
  entry: unknown,
  entryPath: string,
  directory: string,
  issues: WorkspaceConfigIssue[],
): WorkspaceLocationConfig | null {
  const expected = `expected a mapping with one of ${ENTRY_KINDS.join(", ")}`;
  if (!isRecord(entry)) {
    issues.push({ path: entryPath, message: `${expected}, got ${kindOf(entry)}` });
    return null;
  }
  const keys = Object.keys(entry);
  if (keys.length !== 1) {
    issues.push({
      path: entryPath,
      message: `${expected}, got ${keys.length === 0 ? "an empty mapping" : `several keys (${keys.join(", ")}); write one list entry per location`}`,
    });
    return null;
  }
  const kind = keys[0]!;
  if (!(ENTRY_KINDS as string[]).includes(kind)) {
    issues.push({
      path: `${entryPath}.${kind}`,
      message: `unknown kind of location${didYouMean(kind, ENTRY_KINDS)} (expected one of ${ENTRY_KINDS.join(", ")})`,
    });
    return null;
  }
  const fieldsPath = `${entryPath}.${kind}`;
  const schema = ENTRY_SCHEMAS[kind as EntryKind];
  const raw = entry[kind];
  const result = schema.safeParse(raw);
  if (!result.success) {
    const known = Object.keys(schema.shape);
    const found = result.error.issues.flatMap((issue) => describeZodIssue(issue, fieldsPath, raw, known));
    // "prot: unknown key; did you mean port?" already says what "port: missing" would.
    const suggested = new Set(
      found.flatMap((issue) => (issue.suggestion ? [`${fieldsPath}.${issue.suggestion}`] : [])),
    );
    for (const issue of found) {
      if (!(issue.missing && suggested.has(issue.path)))
        issues.push({ path: issue.path, message: issue.message });
    }
    return null;
  }
  const resolve = (p: string) => path.resolve(directory, p);
  switch (kind as EntryKind) {
    case "typescript_file": {
      const fields = result.data as z.output<typeof typescriptFileSchema>;
      const file = resolve(fields.path);
      return {
        kind: "typescript_file",
        name: fields.location_name ?? locationNameFromFile(file),
        file,
        workingDirectory: fields.working_directory ? resolve(fields.working_directory) : directory,
      };
    }
    case "module": {
      const fields = result.data as z.output<typeof moduleSchema>;
      return {
        kind: "module",
        name: fields.location_name ?? locationNameFromModule(fields.module_name),
        module: fields.module_name,
        workingDirectory: fields.working_directory ? resolve(fields.working_directory) : directory,
      };
    }
    case "grpc_server": {
      const fields = result.data as z.output<typeof grpcServerSchema>;
      return { kind: "grpc_server", name: fields.location_name, host: fields.host, port: fields.port };
    }
  }
}

interface DescribedIssue extends WorkspaceConfigIssue {
  /** For an unknown key: the valid key it most likely meant. */
  readonly suggestion?: string;
  /** The field is absent. */
  readonly missing?: boolean;
}

function describeZodIssue(
  issue: z.core.$ZodIssue,
  basePath: string,
  raw: unknown,
  known: readonly string[],
): DescribedIssue[] {
  const at = (parts: readonly PropertyKey[]) =>
    [basePath, ...parts.map(String)].filter((part) => part !== "").join(".");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: at([...issue.path, key]),
      message: `unknown key${didYouMean(key, known)} (expected one of ${known.join(", ")})`,
      suggestion: nearest(key, known),
    }));
  }
  if (issue.code === "invalid_type") {
    const value = valueAt(raw, issue.path);
    if (issue.path.length === 0) {
      return [
        { path: basePath, message: `expected a mapping with ${known.join(", ")}, got ${kindOf(value)}` },
      ];
    }
    return [
      {
        path: at(issue.path),
        message:
          value === undefined
            ? `missing; expected ${article(issue.expected)}`
            : `expected ${article(issue.expected)}, got ${kindOf(value)}`,
        missing: value === undefined,
      },
    ];
  }
  return [{ path: at(issue.path), message: issue.message }];
}

/** `examples/quickstart/definitions.ts` is "quickstart": generic file names take their folder's name. */
const GENERIC_FILE_NAMES = new Set(["definitions", "defs", "index", "main"]);

/** The default name of a file's location: its name without extension, made URL-safe. */
export function locationNameFromFile(file: string): string {
  let base = path.basename(file).replace(/\.[cm]?[jt]sx?$/, "");
  if (GENERIC_FILE_NAMES.has(base)) base = path.basename(path.dirname(path.resolve(file))) || base;
  return base.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^[.-]/, "_") || "location";
}

/** The default name of a module's location: the package name without `@`, made URL-safe. */
export function locationNameFromModule(module: string): string {
  return module.replace(/^@/, "").replace(/[^A-Za-z0-9_.-]/g, "_") || "location";
}

function valueAt(raw: unknown, parts: readonly PropertyKey[]): unknown {
  let current = raw;
  for (const part of parts) {
    if (!isRecord(current)) return undefined;
    current = current[String(part)];
  }
  return current;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${article(typeof value)} (${JSON.stringify(value)})`;
}
