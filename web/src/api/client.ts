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

// The token is set where the request is sent, not in a middleware's onRequest: openapi-fetch
// awaits onRequest, so the request would leave only after the microtasks queued before it —
// a screen's whole first render, when the screen asks for its data in setup.
function send(request: Request): Promise<Response> {
  if (accessToken && !request.headers.has('Authorization')) {
    request.headers.set('Authorization', `Bearer ${accessToken}`)
  }
  copies.set(request, request.clone())
  // fetch looked up per call, not captured at start: unit tests put a stand-in server there
  return fetch(request)
}

const auth: Middleware = {
  async onResponse({ request, response }) {
    const copy = copies.get(request)
    if (response.status === 401 && copy && !request.url.includes('/api/v1/auth/') && (await onUnauthorized())) {
      copy.headers.set('Authorization', `Bearer ${accessToken}`)
      return fetch(copy)
    }
    return response
  },
}

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin', fetch: send })
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
