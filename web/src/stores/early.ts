import { api, must, setAccessToken } from '../api/client'
import type { components } from '../api/schema'
import { startDesk } from '../views/deskData'

export type Me = components['schemas']['gateway.MeOut']
export interface Tokens {
  access_token: string
  expires_in: number
}
export interface Early {
  tokens: Promise<Tokens>
  me: Promise<Me>
}

let early: Early | null = null

// The first refresh of a page load, started by main.ts before the app is evaluated; the session
// store's first refresh() takes it over (one refresh at a time: the cookie rotates).
export function restoreEarly() {
  // sent at once (api/client.ts sends in the same task): queued before the app's scripts, which
  // then take the browser's six connections to the host
  const tokens = must<Tokens>(api.POST('/api/v1/auth/refresh', { body: {} }) as never)
  const me = tokens.then((answer) => {
    setAccessToken(answer.access_token)
    return must<Me>(api.GET('/api/v1/me') as never)
  })
  me.then((answer) => {
    if (location.pathname === '/') startDesk(answer)
  }, () => undefined)
  early = { tokens, me }
}

export function takeEarly(): Early | null {
  const taken = early
  early = null
  return taken
}
