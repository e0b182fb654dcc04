import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'
import { ApiError, toProblem } from './problem'

// The access token lives only in this module's memory: page scripts cannot find it in storage,
// and the refresh token is an HttpOnly cookie the browser sends to /api/v1/auth only.
let accessToken: string | null = null
let onUnauthorized: () => Promise<boolean> = async () => false

export function setAccessToken(token: string | null) {
  accessToken = token
}
export function getAccessToken() {
  return accessToken
}
// The session store decides what a 401 means (try the cookie once, else back to 登录).
export function handleUnauthorized(handler: () => Promise<boolean>) {
  onUnauthorized = handler
}

// A request's body is read once by fetch: keep a copy to send again after a silent refresh.
const copies = new WeakMap<Request, Request>()

const auth: Middleware = {
  async onRequest({ request }) {
    if (accessToken && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${accessToken}`)
    }
    copies.set(request, request.clone())
    return request
  },
  async onResponse({ request, response }) {
    const copy = copies.get(request)
    if (response.status === 401 && copy && !request.url.includes('/api/v1/auth/') && (await onUnauthorized())) {
      copy.headers.set('Authorization', `Bearer ${accessToken}`)
      return fetch(copy)
    }
    return response
  },
}

// fetch looked up per call, not captured at start: unit tests put a stand-in server there
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin', fetch: (request) => fetch(request) })
api.use(auth)

// openapi-fetch answers {data, error, response}; screens want the data or an ApiError to show.
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result
  try {
    result = await call
  } catch {
    throw new ApiError({ status: 0, title: 'Network error' })
  }
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(toProblem(result.response.status, result.error))
  }
  return result.data as T
}
