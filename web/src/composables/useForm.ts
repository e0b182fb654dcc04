import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError, fieldErrors } from '../api/problem'
import { t } from '../i18n'

// Runs a save; a 422's `errors` land beside the fields they name, anything else in a message.
export function useForm() {
  const errors = ref<Record<string, string>>({})
  const busy = ref(false)
  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    busy.value = true
    errors.value = {}
    try {
      return await action()
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 422 && caught.problem.errors) {
        errors.value = fieldErrors(caught.problem)
        ElMessage.error(t('fieldErrors'))
      } else {
        ElMessage.error(describe(caught))
      }
      return undefined
    } finally {
      busy.value = false
    }
  }
  return { errors, busy, run }
}

export function describe(caught: unknown): string {
  if (caught instanceof ApiError) {
    if (caught.status === 404) return t('notFound')
    if (caught.status === 412) return t('stale')
    return caught.problem.detail || caught.problem.title
  }
  return String(caught)
}
