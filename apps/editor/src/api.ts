/** The signed-in identity, as `GET /api/session` returns it. */
export interface Session {
  kind: 'member' | 'admin_token';
  workspaceId: string;
  email?: string;
  role?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The whole error body (`issues` of a 4xx name the fields and lines). */
    readonly body: unknown = undefined,
  ) {
    super(message);
  }
}

/** One JSON call to the admin API with the session cookie; a non-2xx answer throws `ApiError`. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) throw new ApiError(response.status, data.message ?? response.statusText, data);
  return data as T;
}

export const api = {
  session: () => request<Session>('GET', '/api/session'),
  signIn: (email: string, password: string) => request<Session>('POST', '/api/session', { email, password }),
  signOut: () => request<void>('DELETE', '/api/session'),
};
