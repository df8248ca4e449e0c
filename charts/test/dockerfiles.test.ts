/**
 * The Dockerfiles cannot be built here (no container runtime), so this checks what can be checked
 * without one: every file they copy from the repository exists, they end as a non-root user, and
 * the images the chart names by default are the ones they build.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { BOSUN_CHART, CHARTS_DIR } from "./support/render.ts";

const REPO = path.resolve(CHARTS_DIR, "..");
const DOCKERFILES = ["docker/bosun.Dockerfile", "docker/example-code.Dockerfile"];

function instructions(file: string): string[] {
  return readFileSync(path.join(REPO, file), "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));
}

describe("the Dockerfiles", () => {
  for (const file of DOCKERFILES) {
    it(`copy only repository files that exist: ${file}`, () => {
      const sources = instructions(file)
        .filter((line) => /^COPY\s/.test(line) && !line.includes("--from="))
        .flatMap((line) =>
          line
            .split(/\s+/)
            .slice(1, -1)
            .filter((word) => !word.startsWith("--")),
        );
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources) expect(existsSync(path.join(REPO, source)), source).toBe(true);
    });

    it(`run as the non-root user 10001: ${file}`, () => {
      const users = instructions(file).filter((line) => line.startsWith("USER "));
      expect(users.at(-1)).toBe("USER 10001:10001");
    });
  }

  it("build the images the chart uses by default, running the bosun CLI", () => {
    const values = YAML.parse(readFileSync(path.join(BOSUN_CHART, "values.yaml"), "utf8"));
    const bosun = readFileSync(path.join(REPO, "docker/bosun.Dockerfile"), "utf8");
    const example = readFileSync(path.join(REPO, "docker/example-code.Dockerfile"), "utf8");
    expect(bosun).toContain(`-t ${values.webserver.image.repository}:`);
    expect(values.daemon.image.repository).toBe(values.webserver.image.repository);
    expect(bosun).toContain('ENTRYPOINT ["bosun"]');
    const deployment = values["bosun-user-deployments"].deployments[0];
    expect(example).toContain(`-t ${deployment.image.repository}:`);
    expect(example).toContain(
      `COPY --chown=root:root examples/quickstart ${path.dirname(deployment.codeServerArgs[1])}`,
    );
  });
});
