import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { K8sConfigError, K8sConfigFileError } from "../errors.ts";
import { mergeConfigFiles } from "./merge-config-files.ts";

const dir = mkdtempSync(join(tmpdir(), "bosun-k8s-merge-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function file(name: string, text: string): string {
  counter += 1;
  const path = join(dir, `${counter}-${name}`);
  writeFileSync(path, text);
  return path;
}

const helm = () =>
  file(
    "helm.yaml",
    `podSpecConfig:
  nodeSelector:
    disktype: ssd
  dnsPolicy: ClusterFirst
  imagePullSecrets:
    - name: my-secret
`,
  );

describe("mergeConfigFiles", () => {
  it("merges the seed's DEEP example (YAML then JSON) into snake_case sections with canonical fields", () => {
    const job = file(
      "job.json",
      JSON.stringify({
        pod_spec_config: {
          node_selector: { region: "east" },
          dns_policy: "Default",
          image_pull_secrets: [{ name: "another-secret" }],
        },
      }),
    );
    expect(JSON.parse(mergeConfigFiles([helm(), job]))).toEqual({
      pod_spec_config: {
        node_selector: { disktype: "ssd", region: "east" },
        dns_policy: "Default",
        image_pull_secrets: [{ name: "my-secret" }, { name: "another-secret" }],
      },
    });
  });

  it("merges the seed's SHALLOW example", () => {
    const job = file(
      "job.yaml",
      `pod_spec_config:
  node_selector: { region: east }
  image_pull_secrets: [{ name: another-secret }]
merge_behavior: SHALLOW
`,
    );
    expect(JSON.parse(mergeConfigFiles([helm(), job]))).toEqual({
      pod_spec_config: {
        node_selector: { region: "east" },
        dns_policy: "ClusterFirst",
        image_pull_secrets: [{ name: "another-secret" }],
      },
    });
  });

  it("omits empty sections and prints JSON ending in a newline", () => {
    const output = mergeConfigFiles([
      file("a.yaml", "container_config: {}\njob_spec_config:\n  backoff_limit: 2\n"),
    ]);
    expect(output).toBe('{\n  "job_spec_config": {\n    "backoff_limit": 2\n  }\n}\n');
  });

  it("treats each YAML document of a file as its own layer", () => {
    const both = file(
      "both.yaml",
      "job_spec_config: { backoffLimit: 1 }\n---\njob_spec_config: { backoffLimit: 2 }\n",
    );
    expect(JSON.parse(mergeConfigFiles([both]))).toEqual({ job_spec_config: { backoff_limit: 2 } });
    expect(mergeConfigFiles([both], { explain: true })).toBe(
      `{\n  "job_spec_config": {\n    "backoff_limit": 2\n  }\n}\n\njob_spec_config.backoffLimit = 2  ← ${both}#2\n`,
    );
  });

  it("explains which file set each field", () => {
    const base = helm();
    const job = file(
      "job.yaml",
      "pod_spec_config:\n  dns_policy: Default\n  node_selector: { region: east }\n",
    );
    const [merged, explanation] = mergeConfigFiles([base, job], { explain: true }).split("\n\n");
    expect(JSON.parse(merged!).pod_spec_config.dns_policy).toBe("Default");
    const output = explanation!;
    const rows = output
      .trimEnd()
      .split("\n")
      .map((line) => line.split(/ +← /));
    expect(rows).toEqual([
      ['pod_spec_config.nodeSelector.disktype = "ssd"', base],
      ['pod_spec_config.nodeSelector.region = "east"', job],
      ['pod_spec_config.dnsPolicy = "Default"', job],
      ['pod_spec_config.imagePullSecrets[0] = {"name":"my-secret"}', base],
    ]);
    // The arrows line up.
    const arrows = output
      .trimEnd()
      .split("\n")
      .map((line) => line.indexOf("←"));
    expect(new Set(arrows).size).toBe(1);
  });

  it("names the file and the field path of a bad document", () => {
    const bad = file("bad.yaml", "pod_spec_config:\n  node_selectr:\n    disktype: ssd\n");
    const attempt = () => mergeConfigFiles([helm(), bad]);
    expect(attempt).toThrow(K8sConfigError);
    expect(attempt).toThrow(
      `${bad}: \`pod_spec_config.node_selectr\`: unknown field; did you mean \`node_selector\`?`,
    );
  });

  it("rejects a document that is not a map", () => {
    const list = file("list.yaml", "- a\n- b\n");
    expect(() => mergeConfigFiles([list])).toThrow(`${list}: \`(document)\`: expected a map, got a list`);
  });

  it("fails with K8sConfigFileError for a missing file or invalid YAML", () => {
    expect(() => mergeConfigFiles([join(dir, "missing.yaml")])).toThrow(K8sConfigFileError);
    expect(() => mergeConfigFiles([join(dir, "missing.yaml")])).toThrow("no such file");
    const broken = file("broken.yaml", "pod_spec_config: {\n");
    expect(() => mergeConfigFiles([broken])).toThrow(K8sConfigFileError);
    const duplicate = file("dup.yaml", "pod_spec_config: {}\npod_spec_config: {}\n");
    expect(() => mergeConfigFiles([duplicate])).toThrow(K8sConfigFileError);
  });

  it("accepts an empty file as a layer that changes nothing", () => {
    expect(JSON.parse(mergeConfigFiles([helm(), file("empty.yaml", "")]))).toEqual({
      pod_spec_config: {
        node_selector: { disktype: "ssd" },
        dns_policy: "ClusterFirst",
        image_pull_secrets: [{ name: "my-secret" }],
      },
    });
  });
});
