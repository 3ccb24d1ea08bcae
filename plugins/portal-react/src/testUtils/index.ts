/**
 * Test helpers of the portal's frontend packages.
 *
 * @packageDocumentation
 */
export { TestSignalApi } from './TestSignalApi';
