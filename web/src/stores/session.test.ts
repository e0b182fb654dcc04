import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { getAccessToken } from '../api/client'
import { refreshDelayMs, useSession } from './session'

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

describe('refreshDelayMs', () => {
  it('refreshes a minute before a 15-minute token runs out', () => {
    expect(refreshDelayMs(900)).toBe(840_000)
  })
  it('keeps a fifth of a short token as margin, and never less than 5 s', () => {
    expect(refreshDelayMs(100)).toBe(80_000)
    expect(refreshDelayMs(2)).toBe(5_000)
  })
})

describe('session', () => {
  const calls: string[] = []
  beforeEach(() => {
    setActivePinia(createPinia())
    calls.length = 0
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('shares one refresh between parallel callers: a rotated cookie must not be sent twice', async () => {
    vi.stubGlobal('fetch', vi.fn(async (request: Request) => {
      calls.push(new URL(request.url).pathname)
      if (request.url.endsWith('/auth/refresh')) return json({ access_token: 'tok-2', token_type: 'Bearer', expires_in: 900 })
      return json({ id: 'u1', name: '张三', permissions: ['customers.read'] })
    }))
    const session = useSession()
    const [a, b] = await Promise.all([session.refresh(), session.refresh()])
    expect([a, b]).toEqual([true, true])
    expect(calls.filter((path) => path.endsWith('/auth/refresh'))).toHaveLength(1)
    expect(getAccessToken()).toBe('tok-2')
    expect(session.can('customers.read')).toBe(true)
    expect(session.can('customers.delete')).toBe(false)
  })

  it('forgets the token and the user when the cookie is refused', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json({ title: 'Unauthorized', status: 401 }, 401)))
    const session = useSession()
    expect(await session.refresh()).toBe(false)
    expect(getAccessToken()).toBeNull()
    expect(session.signedIn).toBe(false)
  })

  it('asks for the cookie at login and keeps the refresh token out of reach of scripts', async () => {
    const bodies: unknown[] = []
    vi.stubGlobal('fetch', vi.fn(async (request: Request) => {
      if (request.method === 'POST') bodies.push(await request.clone().json())
      return request.url.endsWith('/auth/login')
        ? json({ access_token: 'tok-1', token_type: 'Bearer', expires_in: 900 })
        : json({ id: 'u1', name: '张三', permissions: [] })
    }))
    await useSession().login('zhangsan', 'secret-password')
    expect(bodies).toEqual([{ username: 'zhangsan', password: 'secret-password', cookie: true }])
    expect(JSON.stringify(localStorage)).not.toContain('tok-1')
  })
})
