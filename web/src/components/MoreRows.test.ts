import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import MoreRows from './MoreRows.vue'
import { useScreenful } from '../composables/useScreenful'

// what the component did with the browser's observer, and a way to play its reports
class FakeObserver {
  static last: FakeObserver
  observed: Element[] = []
  disconnected = false
  constructor(public report: (entries: { isIntersecting: boolean }[]) => void, public options: { rootMargin?: string }) {
    FakeObserver.last = this
  }
  observe(el: Element) { this.observed.push(el) }
  unobserve() {}
  disconnect() { this.disconnected = true }
}

afterEach(() => vi.unstubAllGlobals())

describe('useScreenful', () => {
  it('draws the first screenful, then the next rows one batch at a time, and keeps them on a reload', () => {
    let items = Array.from({ length: 50 }, (_, i) => i)
    const rows = useScreenful(() => items, 20)
    expect(rows.shown.value).toEqual(items.slice(0, 20))
    expect(rows.more.value).toBe(true)
    rows.next()
    rows.next()
    expect(rows.shown.value).toHaveLength(50)
    expect(rows.more.value).toBe(false)
    items = Array.from({ length: 50 }, (_, i) => i + 100)
    expect(useScreenful(() => items, 20).shown.value).toHaveLength(20)
  })
})

describe('MoreRows', () => {
  it('asks for the next rows when its end comes near the viewport, and looks again after each batch', async () => {
    vi.stubGlobal('IntersectionObserver', FakeObserver)
    const wrapper = mount(MoreRows, { props: { count: 20 } })
    const observer = FakeObserver.last
    expect(observer.options.rootMargin).toBe('0px 0px 50% 0px')
    expect(observer.observed).toEqual([wrapper.element])
    observer.report([{ isIntersecting: false }])
    expect(wrapper.emitted('near')).toBeUndefined()
    observer.report([{ isIntersecting: true }])
    expect(wrapper.emitted('near')).toHaveLength(1)
    await wrapper.setProps({ count: 40 })
    await nextTick()
    expect(observer.observed).toHaveLength(2)
    wrapper.unmount()
    expect(observer.disconnected).toBe(true)
  })

  it('without an observer, draws every batch', async () => {
    vi.stubGlobal('IntersectionObserver', undefined)
    const wrapper = mount(MoreRows, { props: { count: 20 } })
    expect(wrapper.emitted('near')).toHaveLength(1)
    await wrapper.setProps({ count: 40 })
    await nextTick()
    expect(wrapper.emitted('near')).toHaveLength(2)
  })
})
