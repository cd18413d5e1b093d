import { createAuthClient } from '@gatehouse/client';
import { rememberedMode } from './browserMode';

/**
 * The app's one auth client. It talks to the page's own origin and keeps the credential out
 * of this app's reach: an HttpOnly cookie, or in memory-token mode a token inside the client.
 * It starts in the mode the server used last time (see browserMode.ts).
 */
export const auth = createAuthClient({ mode: rememberedMode() });
