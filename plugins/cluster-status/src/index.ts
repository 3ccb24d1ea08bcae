/**
 * Cluster status frontend. The default export is the plugin
 * (frontend system 1.0).
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export { clusterStatusApiRef, type ClusterStatusApi } from './api/ClusterStatusApi';
export { ClusterStatusClient } from './api/ClusterStatusClient';
export { clusterStatusTranslationRef } from './translation';
