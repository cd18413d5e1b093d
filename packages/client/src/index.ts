export {
  createAuthClient,
  type AuthClient,
  type AuthClientOptions,
  type Session,
  type SignedIn,
  type User,
} from './auth-client.js';
export { AuthClientError } from './errors.js';
