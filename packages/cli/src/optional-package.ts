import { CliError } from "./cli-error.ts";

/**
 * Imports a Bosun package that builds on this one (the webserver, the Kubernetes package). They depend on
 * `bosun`, so the CLI loads them only when a command needs them.
 */
export async function importOptionalPackage<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" &&
      String((error as Error).message).includes(name)
    ) {
      throw new CliError(`this command needs the package ${name}: npm install ${name}`);
    }
    throw error;
  }
}
