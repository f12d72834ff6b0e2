export interface Config {
  /** Configuration for the Mesh Readiness plugin. */
  meshReadiness?: {};
}
