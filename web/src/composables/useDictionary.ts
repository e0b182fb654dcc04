import { ref, type Ref } from 'vue'
import { api } from '../api/client'
import { locale } from '../i18n'

type Entry = { code: string; label: string }
const cache = new Map<string, Ref<Entry[]>>()

// A pick list of the data dictionary (数据字典), loaded once per kind. The labels carry both
// languages ("制造业 Manufacturing"); the console shows the half of the current locale.
export function useDictionary(kind: string): Ref<Entry[]> {
  let entries = cache.get(kind)
  if (!entries) {
    const loaded = ref<Entry[]>([])
    entries = loaded
    cache.set(kind, loaded)
    void api.GET('/api/v1/dictionaries/{kind}', { params: { path: { kind } } }).then(({ data }) => {
      loaded.value = (data?.items ?? []).map((e) => ({ code: e.code!, label: e.label! }))
    })
  }
  return entries
}

// "制造业 Manufacturing" → 制造业 / Manufacturing; a leading code stays with either half:
// "A 重点客户 Key" → A 重点客户 / A Key (the first space alone would leave "A").
const CHINESE = /[^\u0000-\u007f]/
export function entryLabel(label: string): string {
  const words = label.split(' ')
  const first = words.findIndex((w) => CHINESE.test(w))
  if (first < 0) return label
  let last = first
  while (last + 1 < words.length && CHINESE.test(words[last + 1])) last++
  const english = words.slice(last + 1)
  if (!english.length) return label
  return [...words.slice(0, first), ...(locale.value === 'en' ? english : words.slice(first, last + 1))].join(' ')
}

// code → label of the current locale; codes the dictionary does not know show as they are.
export function useLabels(kind: string) {
  const entries = useDictionary(kind)
  return (code?: string | null) => {
    const entry = entries.value.find((e) => e.code === code)
    return entry ? entryLabel(entry.label) : code || '—'
  }
}
