export { createAuthClient, type AuthClient, type AuthClientOptions } from './auth-client.js';
export { AuthClientError, errorFromResponse } from './errors.js';
export type { AuthMode, Session, SignedIn, SignedOutEvent, SignedOutReason, User } from './types.js';
