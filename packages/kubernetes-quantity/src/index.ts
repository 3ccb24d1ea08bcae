/**
 * Kubernetes resource quantities, one module for backend and frontend.
 *
 * @packageDocumentation
 */

export * from './quantity';
