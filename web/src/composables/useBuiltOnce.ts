import { ref, watchEffect } from 'vue'

// A dialog is built the first time it opens, not with the list: closed, each was an overlay, a
// focus trap and a transition on the first render. Once built it stays, for its state and its
// closing animation.
export function builtOnceOpen(open: () => boolean) {
  const built = ref(false)
  watchEffect(() => { if (open()) built.value = true })
  return built
}
