import { describe, expect, it } from "vitest";
import { LocationsFileError, parseLocations, parseLocationsYaml } from "./locations-file.ts";

/** A stand-in `k8s` check that knows one key, so these tests need no Kubernetes schema. */
const checks = {
  k8s: async () => (value: unknown) =>
    Object.keys(value as object)
      .filter((key) => key !== "namespace")
      .map((key) => ({
        path: key,
        expected: "namespace",
        detail: `unknown field ${key}`,
        suggestion: "namespace",
      })),
};

async function issuesOf(document: unknown) {
  try {
    await parseLocations(document, checks);
  } catch (error) {
    if (error instanceof LocationsFileError) return error.issues;
    throw error;
  }
  throw new Error("expected a LocationsFileError");
}

describe("parseLocations", () => {
  it("accepts snake and camel case and returns snake case, the default queue filled in", async () => {
    const parsed = await parseLocations(
      {
        locations: [
          { location_name: "a", code_source: { file: "a.ts" }, working_directory: "/app" },
          {
            locationName: "b",
            codeSource: { module: "@acme/b" },
            agentQueue: "eu",
            containerContext: { k8s: { namespace: "b" } },
          },
        ],
      },
      checks,
    );
    expect(parsed).toEqual([
      {
        location_name: "a",
        code_source: { file: "a.ts" },
        working_directory: "/app",
        agent_queue: "default",
      },
      {
        location_name: "b",
        code_source: { module: "@acme/b" },
        agent_queue: "eu",
        container_context: { k8s: { namespace: "b" } },
      },
    ]);
  });

  it("names the path and nearest key of a misspelt key at every level", async () => {
    expect(
      await issuesOf({
        locations: [{ location_nmae: "a", code_source: { fiel: "a.ts" }, container_context: { k8z: {} } }],
      }),
    ).toEqual([
      expect.objectContaining({ path: "locations[0].location_nmae", suggestion: "location_name" }),
      expect.objectContaining({
        path: "locations[0].location_name",
        message: "missing; every location needs a name",
      }),
      expect.objectContaining({ path: "locations[0].code_source.fiel", suggestion: "file" }),
      expect.objectContaining({ path: "locations[0].container_context.k8z", suggestion: "k8s" }),
    ]);
    expect((await issuesOf({ locatoins: [] }))[0]).toMatchObject({
      path: "locatoins",
      suggestion: "locations",
    });
  });

  it("puts a section check's issues under the section's path", async () => {
    const [issue] = await issuesOf({
      locations: [
        { location_name: "a", code_source: { file: "a.ts" }, container_context: { k8s: { namespce: "x" } } },
      ],
    });
    expect(issue).toMatchObject({
      path: "locations[0].container_context.k8s.namespce",
      suggestion: "namespace",
    });
  });

  it("refuses a code source with both or neither of file and module, duplicate names and a key given twice", async () => {
    const issues = await issuesOf({
      locations: [
        { location_name: "a", code_source: { file: "a.ts", module: "a" } },
        { location_name: "b", code_source: {} },
        { location_name: "c", code_source: { file: "c.ts" } },
        { location_name: "c", code_source: { file: "c.ts" } },
        { location_name: "d", locationName: "d", code_source: { file: "d.ts" } },
      ],
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      "locations[0].code_source",
      "locations[1].code_source",
      "locations[3].location_name",
      "locations[4].locationName",
    ]);
  });

  it("reports YAML that does not parse, and a document that is not a mapping", async () => {
    await expect(parseLocationsYaml("locations: [", checks)).rejects.toThrow(/not valid YAML/);
    await expect(parseLocationsYaml("- a", checks)).rejects.toThrow(
      /expected a mapping with a locations list/,
    );
  });
});
