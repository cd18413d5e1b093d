/*
 * The page the Chromium tests drive (bundled with esbuild at test time): one auth client,
 * a status line that says what the user would see, and a handle for the test to call.
 * The client is reachable from window; the token inside it is not.
 */
import { createAuthClient, type AuthMode } from '../index.js';

const params = new URLSearchParams(location.search);
const client = createAuthClient({
  baseUrl: params.get('api') ?? '',
  mode: (params.get('mode') ?? 'session') as AuthMode,
});

const status = document.getElementById('status');
function show(text: string): void {
  if (status !== null) status.textContent = text;
}

client.onSignedOut(({ reason }) => {
  show(`signed out: ${reason}`);
});

async function response(promise: Promise<Response>): Promise<{ status: number; body: unknown }> {
  const answer = await promise;
  const text = await answer.text();
  return { status: answer.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

const sdkTest = {
  async signUp(email: string, password: string) {
    const signedIn = await client.signUp({ email, password });
    show(`signed in as ${signedIn.user.email}`);
    return signedIn;
  },
  async signIn(email: string, password: string) {
    const signedIn = await client.signIn({ email, password });
    show(signedIn.mfaRequired ? 'second factor required' : `signed in as ${signedIn.user.email}`);
    return signedIn;
  },
  async me() {
    const signedIn = await client.me();
    show(signedIn === null ? 'signed out' : `signed in as ${signedIn.user.email}`);
    return signedIn;
  },
  whoami: () => response(client.fetch('/api/test/whoami')),
  changeSomething: () => response(client.fetch('/api/test/protected', { method: 'POST' })),
  signOut: () => client.signOut(),
  signOutEverywhere: () => client.signOutEverywhere(),
  sessions: () => client.sessions(),
  revokeSession: (id: string) => client.revokeSession(id),
  changePassword: (currentPassword: string, newPassword: string) =>
    client.changePassword({ currentPassword, newPassword }),
  mode: () => client.mode,
};

export type SdkTestHandle = typeof sdkTest;
Object.assign(window, { sdkTest });
show('ready');
