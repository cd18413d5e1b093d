import { createAuthClient } from '@gatehouse/client';
import { rememberedMode } from './browserMode';
import { askToReauthenticate, stepUpAnswered } from './stepUpBridge';

const REAUTHENTICATE_PATH = '/api/auth/reauthenticate';

/** The page's fetch, telling the step-up prompt how its answer was taken. */
const fetchAndWatchStepUp: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url.endsWith(REAUTHENTICATE_PATH)) stepUpAnswered(response.ok);
  return response;
};

/**
 * The app's one auth client. It talks to the page's own origin and keeps the credential out
 * of this app's reach: an HttpOnly cookie, or in memory-token mode a token inside the client.
 * It starts in the mode the server used last time (see browserMode.ts). A sensitive action
 * refused for want of a recent password (or second factor) opens the step-up prompt (StepUpPrompt.tsx).
 */
export const auth = createAuthClient({
  mode: rememberedMode(),
  fetch: fetchAndWatchStepUp,
  onReauthenticationRequired: askToReauthenticate,
});
