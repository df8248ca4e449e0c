/**
 * The charts pass `helm lint --strict`, and their committed values.schema.json files are exactly
 * what the generator makes from Bosun's zod schemas today.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chartSchemaFiles } from "../schema/values-schema.ts";
import { BOSUN_CHART, CHARTS_DIR, helm, USER_DEPLOYMENTS_CHART } from "./support/render.ts";

describe("the charts", () => {
  it("pass helm lint --strict, the bosun chart with its subchart", async () => {
    const { stdout } = await helm(["lint", "--strict", "--with-subcharts", BOSUN_CHART]);
    expect(stdout).toContain("2 chart(s) linted, 0 chart(s) failed");
  });

  it("pass helm lint --strict, the bosun-user-deployments chart on its own", async () => {
    const { stdout } = await helm([
      "lint",
      "--strict",
      USER_DEPLOYMENTS_CHART,
      "--set",
      "deployments[0].name=sales,deployments[0].image.repository=acme/sales,deployments[0].codeServerArgs={-f,/a.ts}",
    ]);
    expect(stdout).toContain("1 chart(s) linted, 0 chart(s) failed");
  });
});

describe("values.schema.json", () => {
  it("is up to date with the zod schemas (run npm run generate:chart-schema)", async () => {
    for (const [relative, expected] of Object.entries(chartSchemaFiles())) {
      const committed = await readFile(path.join(CHARTS_DIR, relative), "utf8");
      expect(committed, `charts/${relative} is out of date: run npm run generate:chart-schema`).toBe(
        expected,
      );
    }
  });

  it("closes every object, so no key goes unchecked", async () => {
    const open: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) {
        node.forEach((item, index) => {
          walk(item, `${where}/${index}`);
        });
        return;
      }
      if (typeof node !== "object" || node === null) return;
      const schema = node as Record<string, unknown>;
      if (schema.properties !== undefined && schema.additionalProperties !== false) open.push(where);
      for (const [key, value] of Object.entries(schema)) walk(value, `${where}/${key}`);
    };
    for (const [relative, text] of Object.entries(chartSchemaFiles())) walk(JSON.parse(text), relative);
    expect(open).toEqual([]);
  });

  it("checks the run launcher's fields against the launcher's own schema, minus what the chart sets", async () => {
    const schema = JSON.parse(chartSchemaFiles()["bosun/values.schema.json"]!);
    const launcher = schema.properties.runLauncher.properties.config.properties.k8sRunLauncher;
    expect(Object.keys(launcher.properties)).toEqual(
      expect.arrayContaining([
        "image",
        "jobNamespace",
        "envConfigMaps",
        "envSecrets",
        "envVars",
        "runK8sConfig",
      ]),
    );
    expect(Object.keys(launcher.properties.runK8sConfig.properties)).toEqual(
      expect.arrayContaining([
        "containerConfig",
        "podSpecConfig",
        "podTemplateSpecMetadata",
        "jobSpecConfig",
        "jobMetadata",
      ]),
    );
    expect(launcher.properties.instanceConfigMap).toBeUndefined();
  });
});
