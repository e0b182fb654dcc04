import { computed, ref } from 'vue'

// A list's first page draws the rows of its first screenful or so, and the next ones as the end of
// what is drawn comes near the viewport (components/MoreRows.vue). Fifty cards' components and
// elements were most of the work between a list's answer and its first paint under a phone's CPU,
// and two thirds of them lie below the fold. What is drawn stays drawn when the list reloads (an
// action's refresh does not shrink the page under the reader).
export const SCREENFUL = 20

export function useScreenful<T>(rows: () => readonly T[] | null | undefined, step = SCREENFUL) {
  const count = ref(step)
  const shown = computed(() => (rows() ?? []).slice(0, count.value))
  const more = computed(() => (rows()?.length ?? 0) > count.value)
  return { shown, more, count, next: () => { count.value += step } }
}
