import { ref } from 'vue'
import { api, must } from '../../api/client'
import { perBranch } from '../../api/reports'

export type Category = { id?: string | null; name?: string | null; path?: string | null }

// One kind's category tree (业务分类 for calls and work orders, 文档分类 for documents), flat in
// path order; a head-office caller's per-branch answers are joined.
export function useCategories(kind: 'business' | 'document' | 'article') {
  const items = ref<Category[]>([])
  async function load() {
    const answer = await must(api.GET('/api/v1/categories', { params: { query: { kind } } }))
    items.value = perBranch<{ items?: Category[] } | Category[]>(answer)
      .flatMap(([, a]) => (Array.isArray(a) ? a : a.items ?? []))
  }
  async function add(name: string) {
    const made = await must(api.POST('/api/v1/categories', { body: { kind, name } }))
    await load()
    return made
  }
  const nameOf = (id?: string | null) => items.value.find((c) => c.id === id)?.name ?? '—'
  return { items, load, add, nameOf }
}
