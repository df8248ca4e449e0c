/** One schema change. Versions are consecutive integers; a migration never changes once released. */
export interface Migration {
  readonly version: number;
  /** Kebab-case, for `schema_migrations.name` and messages. */
  readonly name: string;
  /** Runs in one transaction together with its `schema_migrations` row. */
  readonly sql: string;
  /**
   * `instance`: instance-wide tables (API tokens, sessions, the deployments registry) that exist once,
   * in the instance's schema; a branch deployment's schema records the migration without running it.
   * Default: per deployment.
   */
  readonly scope?: "instance";
}
