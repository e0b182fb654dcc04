import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import PlainInput from './PlainInput.vue'

const mountWith = (modelValue: string) => {
  const wrapper: ReturnType<typeof mount<typeof PlainInput>> = mount(PlainInput, { props: { label: '名称', clearable: true,
    modelValue, 'onUpdate:modelValue': (value: string | undefined): void => { void wrapper.setProps({ modelValue: value }) } } })
  return wrapper
}

describe('PlainInput', () => {
  it('is named by its label and shows it as the placeholder', () => {
    const input = mountWith('').get('input')
    expect(input.attributes('aria-label')).toBe('名称')
    expect(input.attributes('placeholder')).toBe('名称')
  })

  it('writes what is typed to the model', async () => {
    const wrapper = mountWith('')
    await wrapper.get('input').setValue('杭州')
    expect(wrapper.props('modelValue')).toBe('杭州')
  })

  it('offers the clear icon only when there is something to clear, and clears', async () => {
    const wrapper = mountWith('')
    expect(wrapper.find('.el-input__clear').exists()).toBe(false)
    await wrapper.get('input').setValue('杭州')
    await wrapper.get('.el-input__clear').trigger('click')
    expect(wrapper.props('modelValue')).toBe('')
    expect((wrapper.get('input').element as HTMLInputElement).value).toBe('')
  })
})
