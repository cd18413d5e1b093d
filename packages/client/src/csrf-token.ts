import { errorFromResponse } from './errors.js';

/**
 * The masked CSRF token for unsafe requests in the cookie modes. Fetched once and reused;
 * dropped whenever the sign-in changes, since the server's secret changes with it.
 */
export function createCsrfTokenCache(fetchImpl: typeof fetch, baseUrl: string) {
  let token: string | undefined;
  async function fresh(): Promise<string> {
    const response = await fetchImpl(`${baseUrl}/api/auth/csrf`, { credentials: 'include' });
    if (!response.ok) throw await errorFromResponse(response);
    const body = (await response.json()) as { csrfToken: string };
    token = body.csrfToken;
    return token;
  }
  return {
    current: (): Promise<string> => (token === undefined ? fresh() : Promise.resolve(token)),
    fresh,
    forget: (): void => {
      token = undefined;
    },
  };
}
