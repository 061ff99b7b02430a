// The admin token and the calls that carry it. The token is entered once and kept in
// sessionStorage (gone with the browser) or, when asked, localStorage; "forget" clears both.
import { ErrorBodySchema } from '../../../../shared/schemas.js';

const KEY = 'shortline.adminToken';

export function savedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string, remember: boolean): void {
  try {
    forgetToken();
    (remember ? localStorage : sessionStorage).setItem(KEY, token);
  } catch {
    /* storage blocked: the token lives for this page view only */
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(KEY);
    localStorage.removeItem(KEY);
  } catch {
    /* nothing to clear */
  }
}

export interface ApiIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
}

export class AdminApi {
  /** Called on a 401, so the page can ask for the token again. */
  onUnauthorized: () => void = () => {};

  constructor(private readonly token: string) {}

  async call<R = unknown>(method: string, path: string, body?: unknown): Promise<R> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'offline', 'network');
    }
    if (res.status === 204) return undefined as R;
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const err = ErrorBodySchema.safeParse(json);
      const e = new ApiError(
        res.status,
        err.success ? err.data.error : 'http_error',
        err.success ? err.data.message : `HTTP ${res.status}`,
        err.success ? (err.data.issues ?? []).map((i) => ({ path: String(i.path), message: i.message })) : [],
      );
      if (res.status === 401) this.onUnauthorized();
      throw e;
    }
    return json as R;
  }
}
