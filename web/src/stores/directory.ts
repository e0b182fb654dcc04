import { defineStore } from 'pinia'
import { api } from '../api/client'

interface Person {
  id: string
  name: string
}

// Names for user ids, from the directory every signed-in user may read (one organisation-sized
// page, loaded once). Until the directory is deployed, names fall back to the caller's own.
export const useDirectory = defineStore('directory', {
  state: () => ({ names: {} as Record<string, string>, loaded: null as Promise<void> | null }),
  actions: {
    load() {
      this.loaded ??= (async () => {
        const { data } = await api.GET('/api/v1/directory/users' as never, { params: { query: { limit: 200 } } } as never)
        for (const person of ((data as { items?: Person[] } | undefined)?.items ?? [])) this.names[person.id] = person.name
      })().catch(() => undefined)
      return this.loaded
    },
    async nameOf(id: string | null | undefined, me?: { id?: string | null; name?: string | null } | null) {
      if (!id) return null
      if (me?.id === id && me.name) return me.name
      await this.load()
      return this.names[id] ?? null
    },
  },
})
