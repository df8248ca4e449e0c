/** For unit tests of `bosun.yaml` sections: the problems a refused config is reported with. */

/** A config error class: every one lists its problems, one line each. */
type ConfigErrorClass = abstract new (...args: never[]) => { readonly problems: readonly string[] };

/** The problems of the `ErrorClass` error that `parse` throws; any other outcome fails the test. */
export function configProblems(ErrorClass: ConfigErrorClass, parse: () => unknown): readonly string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ErrorClass) return error.problems;
    throw error;
  }
  throw new Error("expected the config to be refused");
}
