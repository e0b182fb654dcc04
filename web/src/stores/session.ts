import { defineStore } from 'pinia'
import { api, must, setAccessToken, getAccessToken, handleUnauthorized } from '../api/client'
import { takeEarly, type Me, type Tokens } from './early'

// Refresh this long before the access token runs out, so a click never meets an expired token.
export const REFRESH_MARGIN_SECONDS = 60

export function refreshDelayMs(expiresIn: number): number {
  return Math.max(5, expiresIn - Math.min(REFRESH_MARGIN_SECONDS, expiresIn / 5)) * 1000
}

let timer: ReturnType<typeof setTimeout> | undefined
let pending: Promise<boolean> | null = null

export const useSession = defineStore('session', {
  state: () => ({ me: null as Me | null, signedIn: false }),
  getters: {
    permissions: (state) => new Set(state.me?.permissions ?? []),
  },
  actions: {
    can(permission: string) {
      return this.permissions.has(permission)
    },
    async login(username: string, password: string) {
      const tokens = await must<Tokens>(
        api.POST('/api/v1/auth/login', { body: { username, password, cookie: true } }) as never,
      )
      await this.begin(tokens)
    },
    async begin(tokens: Tokens, me?: Promise<Me>) {
      setAccessToken(tokens.access_token)
      clearTimeout(timer)
      timer = setTimeout(() => void this.refresh(), refreshDelayMs(tokens.expires_in))
      this.me = await (me ?? must<Me>(api.GET('/api/v1/me') as never))
      this.signedIn = true
    },
    // One refresh at a time: parallel 401s share it (the cookie rotates, a second use would be theft).
    refresh(): Promise<boolean> {
      pending ??= (async () => {
        try {
          // the page load's first refresh may already be on its way (main.ts)
          const early = takeEarly()
          const tokens = await (early?.tokens ?? must<Tokens>(api.POST('/api/v1/auth/refresh', { body: {} }) as never))
          await this.begin(tokens, early?.me)
          return true
        } catch {
          this.forget()
          return false
        } finally {
          pending = null
        }
      })()
      return pending
    },
    async logout() {
      if (getAccessToken()) {
        await api.POST('/api/v1/auth/logout', { body: {} }).catch(() => undefined)
      }
      this.forget()
    },
    forget() {
      clearTimeout(timer)
      setAccessToken(null)
      this.me = null
      this.signedIn = false
    },
  },
})

export function installSessionRecovery(onLost: () => void) {
  handleUnauthorized(async () => {
    const ok = await useSession().refresh()
    if (!ok) onLost()
    return ok
  })
}
