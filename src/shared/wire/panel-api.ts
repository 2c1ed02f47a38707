/**
 * Wire shapes of the panel API (`/api/*`), one TypeBox schema per shape: the routes validate and
 * serialise with them, the OpenAPI document is built from them, and the web UI imports their
 * static types (type-only: no TypeBox in the bundle). The files under ./panel/ hold them by
 * area; ./panel/routes.ts maps each action to its method, query, body and answer.
 */
export * from './panel/common.js';
export * from './panel/auth.js';
export * from './panel/nodes.js';
export * from './panel/configurations.js';
export * from './panel/peer-json.js';
export * from './panel/peers.js';
export * from './panel/peers-info.js';
export * from './panel/usage.js';
export * from './panel/events-settings.js';
export * from './panel/notifications.js';
export * from './panel/subscribers.js';
export * from './panel/audit.js';
export * from './panel/share-links.js';
export * from './panel/users.js';
export * from './panel/routes.js';
