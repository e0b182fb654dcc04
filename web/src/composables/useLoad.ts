import { ref, shallowRef } from 'vue'
import { ApiError } from '../api/problem'

// Every screen shows loading, error and empty states the same way: one place to get them right.
// `first` answers the first load instead of `fetcher` (views/firstPages.ts: a list's first page,
// asked for by the click that opened the screen).
export function useLoad<T>(fetcher: () => Promise<T>, first?: () => Promise<T>) {
  const data = shallowRef<T | null>(null)
  const error = ref<ApiError | null>(null)
  const loading = ref(false)
  async function reload() {
    loading.value = true
    error.value = null
    try {
      const load = first ?? fetcher
      first = undefined
      data.value = await load()
    } catch (caught) {
      error.value = caught instanceof ApiError ? caught : new ApiError({ status: 0, title: String(caught) })
    } finally {
      loading.value = false
    }
    return data.value
  }
  return { data, error, loading, reload }
}
