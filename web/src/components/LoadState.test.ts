import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import LoadState from './LoadState.vue'
import { ApiError } from '../api/problem'

const mountWith = (props: { loading: boolean; error: ApiError | null; empty?: boolean }) =>
  mount(LoadState, { props, slots: { default: '<p class="content">rows</p>' }, global: { plugins: [ElementPlus] } })

describe('LoadState', () => {
  it('says "not found or not visible to you" for a 404, whoever hides the record', () => {
    const wrapper = mountWith({ loading: false, error: new ApiError({ status: 404, title: 'Not found' }) })
    expect(wrapper.text()).toContain('未找到，或你无权查看')
    expect(wrapper.find('.content').exists()).toBe(false)
  })

  it('offers a retry for other errors', async () => {
    const wrapper = mountWith({ loading: false, error: new ApiError({ status: 503, title: 'Service unavailable' }) })
    expect(wrapper.text()).toContain('Service unavailable')
    await wrapper.find('button').trigger('click')
    expect(wrapper.emitted('retry')).toHaveLength(1)
  })

  it('shows the empty state, then the content', async () => {
    const wrapper = mountWith({ loading: false, error: null, empty: true })
    expect(wrapper.text()).toContain('暂无数据')
    await wrapper.setProps({ empty: false })
    expect(wrapper.find('.content').exists()).toBe(true)
  })
})
