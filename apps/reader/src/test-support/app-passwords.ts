import { feverApiKey } from '@gatehouse/core';
import type { TestBrowser } from '../../../../test-support/test-browser.js';

export interface CreatedAppPassword {
  id: string;
  password: string;
  feverLogin: string;
}

/**
 * An app password made the way the account page makes one. The browser must have signed up
 * or signed in a moment ago: that is the step-up creating one needs.
 */
export async function createAppPassword(browser: TestBrowser, name = 'Test app'): Promise<CreatedAppPassword> {
  const response = await browser.request('POST', '/api/auth/app-passwords', { json: { name } });
  if (response.status !== 201) {
    throw new Error(`creating an app password: ${String(response.status)} ${await response.text()}`);
  }
  const body = (await response.json()) as { appPassword: { id: string; feverLogin: string }; password: string };
  return { id: body.appPassword.id, password: body.password, feverLogin: body.appPassword.feverLogin };
}

/** What a Fever client sends as `api_key`. */
export function feverKey(login: string, password: string): string {
  return feverApiKey(login, password);
}
