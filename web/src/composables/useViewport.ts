import { ref } from 'vue'

// Phone layout below this width: cards instead of tables, one form column, a bottom bar.
export const PHONE_MAX = 767
const query = window.matchMedia(`(max-width: ${PHONE_MAX}px)`)
export const isPhone = ref(query.matches)
query.addEventListener('change', (event) => (isPhone.value = event.matches))
