import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import LazyControl from './LazyControl.vue'

const REAL = '<input id="e-industry" class="real" role="combobox">'
const mountWith = (props: Record<string, unknown>) =>
  mount(LazyControl, { props: { label: '行业', ...props }, slots: { default: REAL }, attachTo: document.body })

describe('LazyControl', () => {
  it("shows a record's value under the control's id until used", () => {
    const wrapper = mountWith({ id: 'e-industry', text: '信息技术', placeholder: '请选择' })
    const look = wrapper.get('#e-industry')
    expect(look.element.tagName).toBe('BUTTON')
    expect(look.text()).toBe('信息技术')
    expect(look.find('.is-transparent').exists()).toBe(false)
    expect(look.attributes('aria-label')).toBe('行业 信息技术')
    expect(wrapper.find('.real').exists()).toBe(false)
    wrapper.unmount()
  })

  it('shows the placeholder, greyed, when the value is empty', () => {
    const wrapper = mountWith({ id: 'e-industry', text: '', placeholder: '请选择' })
    expect(wrapper.get('.el-select__placeholder.is-transparent').text()).toBe('请选择')
    expect(wrapper.get('#e-industry').attributes('aria-label')).toBe('行业 请选择')
    wrapper.unmount()
  })

  it('draws the real control when focused (its label clicked, or Tab) and moves the focus into it', async () => {
    const wrapper = mountWith({ id: 'e-industry', text: '信息技术' })
    await wrapper.get('#e-industry').trigger('focus')
    await nextTick()
    const real = wrapper.get('.real')
    expect(document.activeElement).toBe(real.element)
    expect(document.querySelectorAll('#e-industry')).toHaveLength(1)
    wrapper.unmount()
  })

  it('draws the real control when the pointer comes over it', async () => {
    const wrapper = mountWith({ id: 'e-group_id', look: 'input', text: '华东 / 重点' })
    expect((wrapper.get('#e-group_id').element as HTMLInputElement).value).toBe('华东 / 重点')
    await wrapper.get('.lazy-control > div').trigger('pointerenter')
    expect(wrapper.find('.real').exists()).toBe(true)
    wrapper.unmount()
  })

  it('stays a disabled look-alike while the control is disabled', async () => {
    const wrapper = mountWith({ id: 'e-industry', text: '信息技术', disabled: true })
    const look = wrapper.get('#e-industry')
    expect(look.attributes('disabled')).toBeDefined()
    expect(look.find('.el-select__wrapper.is-disabled').exists()).toBe(true)
    await look.trigger('pointerdown')
    expect(wrapper.find('.real').exists()).toBe(false)
    wrapper.unmount()
  })
})
