/**
 * Cluster status frontend. The plugin itself is exported from `./alpha`
 * (new frontend system).
 *
 * @packageDocumentation
 */
export { clusterStatusApiRef, type ClusterStatusApi } from './api/ClusterStatusApi';
export { ClusterStatusClient } from './api/ClusterStatusClient';
export { clusterStatusTranslationRef } from './translation';
