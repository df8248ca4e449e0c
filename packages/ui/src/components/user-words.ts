/**
 * Messages written by the engine and the webserver are shared with the command line, so some of them name
 * things a UI user never sees: the internal job an asset materialization runs as (`__asset_job`) and CLI
 * flags (`--partition <key>`). Everything the UI shows from the server goes through `userWords`, which
 * says the same in the words of the page.
 */

/** Names Bosun gives its own jobs start with two underscores; people's jobs never need to. */
export function isInternalJobName(name: string): boolean {
  return name.startsWith("__");
}

const INTERNAL_JOB = String.raw`job "__\w+"`;

/** In order: the specific phrasings first, then any other mention. */
const REWRITES: readonly [RegExp, string][] = [
  [new RegExp(`\\b${INTERNAL_JOB} is partitioned`, "g"), "these assets are partitioned"],
  [new RegExp(`\\b${INTERNAL_JOB} is not partitioned`, "g"), "these assets are not partitioned"],
  [new RegExp(`\\b${INTERNAL_JOB} selects assets`, "g"), "the selection has assets"],
  [new RegExp(`\\bof ${INTERNAL_JOB}`, "g"), "of the asset materialization"],
  [/\brun for "__\w+"/g, "run materializing the selected assets"],
  [new RegExp(`\\b${INTERNAL_JOB}`, "g"), "the asset materialization"],
  [/"__asset_job"|\b__asset_job\b/g, "the asset materialization"],
  // "(--partition <key>)", "(use --force)": how to do it on the command line, not here.
  [/\s*\((?:use |with |pass )?--[a-z][\w-]*(?: <[^>]*>)?\)/g, ""],
];

/** Bare flags left in a sentence: what each one is in the UI. */
const FLAG_WORDS: Readonly<Record<string, string>> = {
  partition: "a partition",
  tags: "tags",
  config: "the run config",
  "read-only": "read-only mode",
};

export function userWords(message: string): string {
  let text = message;
  for (const [pattern, replacement] of REWRITES) text = text.replace(pattern, replacement);
  return text.replace(
    /(^|\s)--([a-z][\w-]*)(?: <[^>]*>)?/g,
    (_, space: string, flag: string) =>
      `${space}${FLAG_WORDS[flag] ?? `the ${flag.replaceAll("-", " ")} option`}`,
  );
}
