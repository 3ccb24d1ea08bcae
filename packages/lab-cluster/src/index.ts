/**
 * A loopback Kubernetes API server seeded with an on-prem GPU fleet, for
 * tests, benchmarks and local development. Production code never imports it.
 *
 * @packageDocumentation
 */
export { startLabFleet, kubeconfigYaml } from './fleet';
export type { LabFleet, LabFleetOptions, LabCluster } from './fleet';
export type { FaultControl, Faults } from './server/faults';
export type {
  FleetFixture,
  ClusterFixture,
  GeneratorSpec,
  FixturePatch,
} from './fixture/types';
export { DEFAULT_FIXTURE } from './fixture/load';
export type { ObjectStore } from './store/store';
export { parseQuantity, formatQuantity } from './util/quantity';
export { createLabClock } from './controllers/clock';
export type { LabClock } from './controllers/clock';
export { RUN_SECONDS_ANNOTATION } from './controllers/podLifecycle';
