/** What the engine needs to know about an HTTP request; adapters build it. */
export interface AuthRequest {
  method: string;
  headers: Headers;
  /** The client address, already resolved through trusted proxies (see client-ip.ts). */
  ip: string;
}

export function userAgentOf(request: AuthRequest): string | null {
  const value = request.headers.get('user-agent');
  return value === null || value === '' ? null : value.slice(0, 512);
}
