/**
 * A stack trace split into the parts a reader needs: the user's own frames, and runs of frames that belong
 * to Bosun or the runtime (Bosun's packages, anything under node_modules, Node's internals), which are
 * folded. A stack with no frame of the user's keeps every frame in view: then Bosun's frames are the story.
 */
export type StackPart =
  | { readonly kind: "text"; readonly lines: readonly string[] }
  | { readonly kind: "user"; readonly lines: readonly string[] }
  | { readonly kind: "engine"; readonly lines: readonly string[] };

/** Where a frame comes from when it is not the user's code. */
const ENGINE_LOCATIONS: readonly RegExp[] = [
  /\bnode:/, // node:internal/..., node:events
  /[\\/]node_modules[\\/]/,
  /[\\/]packages[\\/](bosun|webserver|k8s)[^\\/]*[\\/]/, // Bosun's own packages in its repository
  /\(<anonymous>\)$|^at <anonymous>$|\(index \d+\)$/, // the runtime's frames without a file (Promise.all)
];

const FRAME = /^\s*at\s/;

export function isEngineFrame(line: string): boolean {
  const trimmed = line.trim();
  return FRAME.test(line) && ENGINE_LOCATIONS.some((pattern) => pattern.test(trimmed));
}

export function splitStack(stack: string): StackPart[] {
  const lines = stack.replace(/\n+$/, "").split("\n");
  const hasUserFrame = lines.some((line) => FRAME.test(line) && !isEngineFrame(line));
  const parts: { kind: StackPart["kind"]; lines: string[] }[] = [];
  for (const line of lines) {
    const kind = !FRAME.test(line) ? "text" : hasUserFrame && isEngineFrame(line) ? "engine" : "user";
    const last = parts.at(-1);
    if (last?.kind === kind) last.lines.push(line);
    else parts.push({ kind, lines: [line] });
  }
  return parts;
}
