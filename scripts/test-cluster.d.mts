/** A running test cluster (see test-cluster.mjs). */
export interface TestCluster {
  /** Admin URL: a user allowed to CREATE DATABASE. */
  url: string;
  /** True when the URL came from the environment. */
  external: boolean;
  stop(): Promise<void>;
}
export function startTestCluster(): Promise<TestCluster>;
