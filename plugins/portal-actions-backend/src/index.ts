/**
 * The portal's capabilities as actions in Backstage's actions registry, for
 * AI agents over MCP: each call runs as the calling user and is audited.
 *
 * @packageDocumentation
 */
export { portalActionsPlugin as default } from './plugin';
