import { useRouter } from 'vue-router'

// A list's links as plain <a href>: a router-link per card resolves its route on every render
// (fifty cards, a hundred links: a visible part of 应收's first paint under a throttled CPU). One
// click handler on the list hands a plain left click on an in-app link to the router; a click
// with a modifier (new tab, new window) stays the browser's.
export function usePlainLinks() {
  const router = useRouter()
  return (event: MouseEvent) => {
    const link = (event.target as Element | null)?.closest?.('a[href^="/"]')
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    void router.push(link.getAttribute('href')!)
  }
}
