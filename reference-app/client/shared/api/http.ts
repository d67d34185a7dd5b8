import { connectionStore } from '../network/connection-store.ts';

/** An error answer from the API (`{ error: { code, message } }`), or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** Calls the same-origin API with the session cookie and returns the parsed JSON body. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    connectionStore.reportUnreachable();
    throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached. Check your connection.');
  }
  trackConnection(response);
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

function trackConnection(response: Response): void {
  if (response.headers.get('x-sw-fallback') === '1') {
    const date = Date.parse(response.headers.get('date') ?? '');
    connectionStore.reportCacheFallback(Number.isNaN(date) ? null : date);
  } else {
    connectionStore.reportNetwork();
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === 'string' ? body.error.code : 'HTTP_' + response.status;
    const message = typeof body.error?.message === 'string' ? body.error.message : response.statusText;
    return new ApiError(response.status, code, message);
  } catch {
    return new ApiError(response.status, 'HTTP_' + response.status, response.statusText || 'Request failed');
  }
}
