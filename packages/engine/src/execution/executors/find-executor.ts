import { type ExecutorFactory, type ExecutorLoaders, UnknownExecutorError } from "./executor-registry.ts";
import { inProcessExecutorFactory } from "./in-process-executor.ts";
import { multiprocessExecutorFactory } from "./multiprocess-executor.ts";

const BUILT_IN: ReadonlyMap<string, ExecutorFactory<any>> = new Map<string, ExecutorFactory<any>>([
  [inProcessExecutorFactory.name, inProcessExecutorFactory],
  [multiprocessExecutorFactory.name, multiprocessExecutorFactory],
]);

/** The executor a job names: a built-in one, or one of `loaders` (loaded now). */
export async function findExecutor(
  name: string,
  loaders: ExecutorLoaders = {},
): Promise<ExecutorFactory<unknown>> {
  const builtIn = BUILT_IN.get(name);
  if (builtIn) return builtIn;
  const load = loaders[name];
  if (!load) throw new UnknownExecutorError(name, [...BUILT_IN.keys(), ...Object.keys(loaders)]);
  return load();
}
