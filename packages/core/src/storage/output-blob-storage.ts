/** Step outputs that must cross machines (the PostgreSQL IO manager's backing store). */
export interface OutputBlobStorage {
  put(runId: string, stepKey: string, outputName: string, bytes: Uint8Array): Promise<void>;
  /** Null when no such output was stored. */
  get(runId: string, stepKey: string, outputName: string): Promise<Uint8Array | null>;
}
