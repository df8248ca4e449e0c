import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadWorkspaceConfig, parseWorkspaceConfig, WorkspaceConfigError } from "./workspace-config.ts";

const FILE = "/srv/project/workspace.yaml";

function errorOf(text: string): WorkspaceConfigError {
  try {
    parseWorkspaceConfig(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkspaceConfigError);
    return error as WorkspaceConfigError;
  }
  throw new Error("expected the workspace file to be rejected");
}

describe("parseWorkspaceConfig", () => {
  it("reads every kind of location, resolving paths against the workspace file's directory", () => {
    const config = parseWorkspaceConfig(
      [
        "load_from:",
        "  - typescript_file:",
        "      path: sales/definitions.ts",
        "  - typescript_file:",
        "      path: /abs/ops.ts",
        "      location_name: ops",
        "      working_directory: ../run",
        "  - module:",
        '      module_name: "@acme/pipelines"',
        "  - grpc_server:",
        "      host: pipelines.data.svc",
        "      port: 4000",
        "      location_name: remote",
      ].join("\n"),
      FILE,
    );
    expect(config).toEqual({
      file: FILE,
      locations: [
        {
          kind: "typescript_file",
          name: "sales",
          file: "/srv/project/sales/definitions.ts",
          workingDirectory: "/srv/project",
        },
        { kind: "typescript_file", name: "ops", file: "/abs/ops.ts", workingDirectory: "/srv/run" },
        {
          kind: "module",
          name: "acme_pipelines",
          module: "@acme/pipelines",
          workingDirectory: "/srv/project",
        },
        { kind: "grpc_server", name: "remote", host: "pipelines.data.svc", port: 4000 },
      ],
    });
  });

  it("names the file and field of a misspelt key, with the nearest valid key", () => {
    expect(errorOf("load_from:\n  - grpc_server: {host: a, prot: 4000, location_name: x}\n").message).toBe(
      `workspace file ${FILE}: load_from[0].grpc_server.prot: unknown key; did you mean "port"? (expected one of host, port, location_name)`,
    );
    expect(errorOf("load_from:\n  - typescript_fil: {path: a.ts}\n").message).toBe(
      `workspace file ${FILE}: load_from[0].typescript_fil: unknown kind of location; did you mean "typescript_file"? (expected one of typescript_file, module, grpc_server)`,
    );
    expect(errorOf("load_frm:\n  - typescript_file: {path: a.ts}\n").message).toBe(
      `workspace file ${FILE} has 2 problems:\n` +
        '  load_frm: unknown key; did you mean "load_from"? (expected load_from)\n' +
        "  load_from: missing; expected a list of code locations",
    );
  });

  it("names a missing field and a field of the wrong type", () => {
    expect(errorOf("load_from:\n  - grpc_server: {host: a, port: 4000}\n").message).toBe(
      `workspace file ${FILE}: load_from[0].grpc_server.location_name: missing; expected a string`,
    );
    expect(errorOf('load_from:\n  - grpc_server: {host: a, port: "4000", location_name: x}\n').message).toBe(
      `workspace file ${FILE}: load_from[0].grpc_server.port: expected a number, got a string ("4000")`,
    );
    expect(errorOf("load_from:\n  - grpc_server: {host: a, port: 70000, location_name: x}\n").message).toBe(
      `workspace file ${FILE}: load_from[0].grpc_server.port: expected a port from 1 to 65535`,
    );
    expect(errorOf("load_from:\n  - typescript_file:\n").message).toBe(
      `workspace file ${FILE}: load_from[0].typescript_file: expected a mapping with path, location_name, working_directory, got null`,
    );
  });

  it("rejects two locations with the same name, naming both entries", () => {
    expect(
      errorOf(
        "load_from:\n  - typescript_file: {path: a/sales.ts}\n  - typescript_file: {path: b/sales.ts}\n",
      ).message,
    ).toBe(
      `workspace file ${FILE}: load_from[1].typescript_file.location_name: location name "sales" is already used by load_from[0]; each location needs its own name`,
    );
  });

  it("rejects entries with no kind or several, an empty list, bad names and YAML that does not parse", () => {
    expect(
      errorOf("load_from:\n  - {typescript_file: {path: a.ts}, module: {module_name: m}}\n").message,
    ).toBe(
      `workspace file ${FILE}: load_from[0]: expected a mapping with one of typescript_file, module, grpc_server, got several keys (typescript_file, module); write one list entry per location`,
    );
    expect(errorOf("load_from: []\n").message).toBe(
      `workspace file ${FILE}: load_from: expected a non-empty list of code locations, got an empty list`,
    );
    expect(
      errorOf("load_from:\n  - typescript_file: {path: a.ts, location_name: 'my location'}\n").message,
    ).toBe(
      `workspace file ${FILE}: load_from[0].typescript_file.location_name: expected letters, digits, "_", "-" or "." (the name appears in URLs and run tags)`,
    );
    expect(errorOf("load_from: [\n").message).toMatch(
      new RegExp(`^workspace file ${FILE}: not valid YAML: `),
    );
  });
});

describe("loadWorkspaceConfig", () => {
  const directories: string[] = [];
  afterAll(async () => {
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  it("reads the file and names it when it does not exist", async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), "bosun-workspace-config-"));
    directories.push(directory);
    const file = path.join(directory, "workspace.yaml");
    await writeFile(file, "load_from:\n  - typescript_file: {path: defs.ts, location_name: main}\n");
    expect(loadWorkspaceConfig(file).locations).toEqual([
      {
        kind: "typescript_file",
        name: "main",
        file: path.join(directory, "defs.ts"),
        workingDirectory: directory,
      },
    ]);
    const missing = path.join(directory, "nope.yaml");
    expect(() => loadWorkspaceConfig(missing)).toThrow(`workspace file ${missing}: no such file`);
  });
});
