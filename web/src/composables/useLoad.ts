import { ref, shallowRef } from 'vue'
import { ApiError } from '../api/problem'

// Every screen shows loading, error and empty states the same way: one place to get them right.
export function useLoad<T>(fetcher: () => Promise<T>) {
  const data = shallowRef<T | null>(null)
  const error = ref<ApiError | null>(null)
  const loading = ref(false)
  async function reload() {
    loading.value = true
    error.value = null
    try {
      data.value = await fetcher()
    } catch (caught) {
      error.value = caught instanceof ApiError ? caught : new ApiError({ status: 0, title: String(caught) })
    } finally {
      loading.value = false
    }
    return data.value
  }
  return { data, error, loading, reload }
}
