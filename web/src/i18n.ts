import { ref } from 'vue'
import * as approvalFlows from './i18n-approval-flows'
import * as backOffice from './i18n-back-office'
import * as desk from './i18n-desk'

// Labels as in the manuals (docs/glossary.md); English for colleagues who read it better.
const zh = {
  appName: '客户管理', login: '登录', userCode: '用户编号', password: '密码', logout: '退出登录',
  changePassword: '修改密码', currentPassword: '当前密码', newPassword: '新密码', desk: '工作台',
  customers: '客户', leads: '线索', pool: '公海', opportunities: '商机', quotes: '报价', orders: '订单',
  approvals: '审批', notifications: '通知', more: '更多', save: '保存', cancel: '取消', create: '新建',
  search: '查询', reset: '重置', loading: '加载中…', empty: '暂无数据', retry: '重试', next: '下一页',
  notFound: '未找到，或你无权查看', notFoundTitle: '找不到该记录', stale: '其他人已修改了这条记录，请重新加载后再编辑。',
  reload: '重新加载', name: '名称', code: '编号', phone: '电话', industry: '行业', status: '状态',
  owner: '负责人', tags: '标签', city: '城市', province: '省份', address: '地址', email: '邮箱',
  newCustomer: '新建客户', contacts: '联系人', addContact: '添加联系人', contactName: '姓名',
  mobile: '手机', title: '职务', basic: '基本信息', interactions: '联系记录', addVisit: '添加拜访',
  summary: '内容', nextStep: '下一步', kind: '方式', newQuote: '新建报价', validUntil: '有效期至',
  product: '产品', quantity: '数量', unitPrice: '单价', amount: '金额', discount: '折扣%', total: '合计',
  addLine: '添加明细', convertToOrder: '转为订单', submit: '提交审批', approve: '同意', reject: '驳回',
  comment: '意见', approvalFlow: '审批流', shipmentAllowed: '可发货', receivableOpened: '应收已生成',
  receivable: '应收', fulfilment: '发货', shipped: '已发货', invoiced: '已开票', received: '已回款',
  ordered: '订购', waitingForMe: '待我审批', waitingFor: '待审批人', document: '单据', submittedAt: '提交时间', markRead: '标为已读',
  unread: '未读', saved: '已保存', created: '已创建', lastContact: '最近联系', protectionLeft: '保护期剩余',
  days: '天', openOrders: '未完成订单', outstanding: '未收款', overdue: '逾期', moneyUnavailable: '金额概览暂不可用',
  myCustomers: '我的客户', followUpsToday: '今日待跟进', aboutToRecycle: '即将掉入公海', overdueReceivables: '逾期应收',
  announcements: '公告', reminders: '提醒', language: 'English', tooMany: '登录失败次数过多，请 {s} 秒后再试',
  wrongLogin: '用户编号或密码错误，或账号已停用', fieldErrors: '请修正标出的字段', noPermission: '无权限',
  visit: '拜访', call: '电话', meeting: '会议', emailKind: '邮件', coldVisit: '陌生拜访', history: '操作记录',
  noteCopied: '已复制', copy: '复制', open: '打开', approved: '已批准', rejected: '已驳回', pending: '审批中',
  draft: '草稿', submitted: '已提交', lines: '明细', customer: '客户', createdAt: '创建时间', paymentTerms: '账期(天)',
  decisionRole: '决策角色', keyMember: '关键人', reportsTo: '上级',
  // part 1's list and detail screens (issue 12)
  group: '客户群', tag: '标签', sort: '排序', sortNewest: '最新创建', sortOldest: '最早创建',
  sortUpdated: '最近更新', columns: '显示列', scenes: '场景', saveScene: '保存为场景', deleteScene: '删除场景',
  sceneName: '场景名称', assign: '分配', assignTo: '分配给', assigned: '已分配', selectedCount: '已选 {n} 项',
  contracts: '合同', aftersales: '售后', importantDates: '纪念日', relations: '客户关系',
  serviceRecords: '服务记录', complaints: '投诉', careRecords: '关怀', expenses: '费用',
  signedOn: '签订日期', noReportsTo: '无上级', decisionRoles: '决策角色', actor: '操作人',
  poolReason: '进入原因', pooledAt: '进入公海', newOpportunity: '新建商机', opportunityTitle: '商机名称',
  documentType: '单据类型', allTypes: '全部类型', remindBefore: '提前提醒(天)',
  relationKind: '关系', otherCustomer: '关联客户', category: '类别', satisfaction: '满意度', handler: '处理人',
  decide: '审批', decidedAt: '审批时间', submitter: '提交人', extensionRequests: '延期申请', filters: '筛选', valueLevel: '客户等级', selectAll: '全选', select: '选择',
  newLead: '新建线索', fromColdVisit: '陌生拜访记录（可选）', stage: '阶段', convert: '转为客户', backToLead: '转回线索',
  claim: '领取', release: '放入公海', extension: '申请延期', extensionDays: '延期天数', reason: '原因',
  recycleIn: '回收倒计时', recycleWhy: '回收原因', choosePool: '选择公海', dailyClaimQuota: '每日领取上限', pools: '公海设置', newPool: '新建公海',
  wholeBranch: '全分支', rules: '回收规则', inPool: '公海客户数', reclaimBlockDays: '前负责人不可领取天数',
  noFollowupDays: '未跟进天数', noOpportunityDays: '未新建商机天数', noDealDays: '未成交天数', exemptWon: '已成交客户不回收',
  exemptOpenOpportunity: '有进行中商机不回收', lock: '锁定', unlock: '解锁', lockedDone: '已锁定',
  unlockedDone: '已解锁', kanban: '看板', list: '列表', win: '赢单', lose: '输单', forecast: '预测',
  expectedAmount: '预计金额', weighted: '加权', expectedClose: '预计成交', moveTo: '移到', source: '来源',
  updatedAt: '更新时间', export: '导出', delete: '删除', import: '导入', csvFile: '选择 CSV 文件', dryRun: '试运行（不写入）',
  importCreated: '新增', importUpdated: '更新', importErrors: '错误', dryRunNote: '试运行，未写入任何数据', row: '第', upload: '上传并开始',
  again: '正式导入', claimed: '已领取', released: '已放入公海', requested: '已提交申请', dragHint: '拖动卡片可调整阶段',
  team: '团队成员', teamMember: '成员', teamAccess: '权限', readWrite: '读写', teamExpiresOn: '截止日期',
  teamNoExpiry: '长期', teamExpired: '已过期', addTeamMember: '添加成员', remove: '移除', makeReadOnly: '改为只读', makeReadWrite: '改为读写',
  keepPreviousOwner: '原负责人保留为团队成员', carryRelated: '同时转移联系人、商机、合同',
  ...backOffice.zh,
  ...approvalFlows.zh,
  ...desk.zh,
}
type Key = keyof typeof zh
const en: Record<Key, string> = {
  appName: 'CRM', login: 'Sign in', userCode: 'User code', password: 'Password', logout: 'Sign out',
  changePassword: 'Change password', currentPassword: 'Current password', newPassword: 'New password', desk: 'Desk',
  customers: 'Customers', leads: 'Leads', pool: 'Pool', opportunities: 'Opportunities', quotes: 'Quotes',
  orders: 'Orders', approvals: 'Approvals', notifications: 'Notifications', more: 'More', save: 'Save',
  cancel: 'Cancel', create: 'New', search: 'Search', reset: 'Reset', loading: 'Loading…', empty: 'Nothing here',
  retry: 'Retry', next: 'Next page', notFound: 'Not found or not visible to you', notFoundTitle: 'Not found',
  stale: 'Someone else changed this record. Reload it before editing.', reload: 'Reload', name: 'Name',
  code: 'Code', phone: 'Phone', industry: 'Industry', status: 'Status', owner: 'Owner', tags: 'Tags', city: 'City',
  province: 'Province', address: 'Address', email: 'Email', newCustomer: 'New customer', contacts: 'Contacts',
  addContact: 'Add contact', contactName: 'Name', mobile: 'Mobile', title: 'Title', basic: 'Details',
  interactions: 'Contact log', addVisit: 'Log a visit', summary: 'Summary', nextStep: 'Next step', kind: 'Kind',
  newQuote: 'New quote', validUntil: 'Valid until', product: 'Product', quantity: 'Quantity',
  unitPrice: 'Unit price', amount: 'Amount', discount: 'Discount %', total: 'Total', addLine: 'Add line',
  convertToOrder: 'Convert to order', submit: 'Submit', approve: 'Approve', reject: 'Reject', comment: 'Comment',
  approvalFlow: 'Approval flow', shipmentAllowed: 'Shipment allowed', receivableOpened: 'Receivable opened',
  receivable: 'Receivable', fulfilment: 'Fulfilment', shipped: 'Shipped', invoiced: 'Invoiced',
  received: 'Received', ordered: 'Ordered', waitingForMe: 'Waiting for me', waitingFor: 'Waiting for', document: 'Document',
  submittedAt: 'Submitted', markRead: 'Mark read', unread: 'Unread', saved: 'Saved', created: 'Created',
  lastContact: 'Last contact', protectionLeft: 'Protection left', days: 'days', openOrders: 'Open orders',
  outstanding: 'Outstanding', overdue: 'Overdue', moneyUnavailable: 'Money picture not available yet',
  myCustomers: 'My customers', followUpsToday: 'Follow-ups today', aboutToRecycle: 'Falling back to the pool soon',
  overdueReceivables: 'Overdue receivables', announcements: 'Announcements', reminders: 'Reminders',
  language: '中文', tooMany: 'Too many failed sign-ins; try again in {s} s',
  wrongLogin: 'Wrong user code or password, or the account is disabled', fieldErrors: 'Please fix the marked fields',
  noPermission: 'No permission', visit: 'Visit', call: 'Call', meeting: 'Meeting', emailKind: 'Email',
  coldVisit: 'Cold visit', history: 'Activity log', noteCopied: 'Copied', copy: 'Copy', open: 'Open',
  approved: 'Approved', rejected: 'Rejected', pending: 'Pending', draft: 'Draft', submitted: 'Submitted',
  lines: 'Lines', customer: 'Customer', createdAt: 'Created', paymentTerms: 'Payment terms (days)',
  decisionRole: 'Decision role', keyMember: 'Key member', reportsTo: 'Reports to',
  group: 'Customer group', tag: 'Tag', sort: 'Sort', sortNewest: 'Newest first',
  sortOldest: 'Oldest first', sortUpdated: 'Recently updated', columns: 'Columns', scenes: 'Saved filters',
  saveScene: 'Save filter', deleteScene: 'Delete filter', sceneName: 'Filter name', assign: 'Assign',
  assignTo: 'Assign to', assigned: 'Assigned', selectedCount: '{n} selected', contracts: 'Contracts',
  aftersales: 'After-sales', importantDates: 'Important dates', relations: 'Relations',
  serviceRecords: 'Service records', complaints: 'Complaints', careRecords: 'Care', expenses: 'Expenses',
  signedOn: 'Signed', noReportsTo: 'Top level', decisionRoles: 'Decision roles', actor: 'By',
  poolReason: 'Why in pool', pooledAt: 'In pool since', newOpportunity: 'New opportunity',
  opportunityTitle: 'Title', documentType: 'Document type', allTypes: 'All types',
  remindBefore: 'Remind days before', relationKind: 'Relation', otherCustomer: 'Related customer',
  category: 'Category', satisfaction: 'Satisfaction', handler: 'Handler', decide: 'Decide', decidedAt: 'Decided',
  submitter: 'Submitted by', extensionRequests: 'Extension requests', filters: 'Filters', valueLevel: 'Value level', selectAll: 'Select all', select: 'Select',
  newLead: 'New lead', fromColdVisit: 'Cold visit notes (optional)', stage: 'Stage', convert: 'Convert to customer',
  backToLead: 'Back to lead', claim: 'Claim', release: 'Release to pool', extension: 'Ask for more days',
  extensionDays: 'Days', reason: 'Reason', recycleIn: 'Recycled in', recycleWhy: 'Why',
  choosePool: 'Pool', dailyClaimQuota: 'Claims a day', pools: 'Pools', newPool: 'New pool',
  wholeBranch: 'Whole branch', rules: 'Recycle rules', inPool: 'In the pool', reclaimBlockDays: 'Former owner waits (days)',
  noFollowupDays: 'Days without follow-up', noOpportunityDays: 'Days without new opportunity', noDealDays: 'Days without deal',
  exemptWon: 'Keep won customers', exemptOpenOpportunity: 'Keep customers with open opportunities', lock: 'Lock', unlock: 'Unlock', lockedDone: 'Locked', unlockedDone: 'Unlocked', kanban: 'Board', list: 'List', win: 'Won',
  lose: 'Lost', forecast: 'Forecast', expectedAmount: 'Expected amount', weighted: 'Weighted',
  expectedClose: 'Expected close', export: 'Export', delete: 'Delete', import: 'Import', csvFile: 'Choose a CSV file',
  dryRun: 'Dry run (writes nothing)', importCreated: 'Created', importUpdated: 'Updated', importErrors: 'Errors',
  dryRunNote: 'dry run, nothing was written', row: 'Row', upload: 'Upload and start', again: 'Import for real', moveTo: 'Move to', source: 'Source', updatedAt: 'Updated', claimed: 'Claimed',
  released: 'Released to the pool', requested: 'Requested', dragHint: 'Drag a card to change its stage',
  team: 'Team members', teamMember: 'Member', teamAccess: 'Access', readWrite: 'Read and write',
  teamExpiresOn: 'Until', teamNoExpiry: 'No end', teamExpired: 'Expired', addTeamMember: 'Add member', remove: 'Remove', makeReadOnly: 'Make read only',
  makeReadWrite: 'Make read and write',
  keepPreviousOwner: 'Keep the previous owner on the team', carryRelated: 'Also move contacts, opportunities and contracts',
  ...backOffice.en,
  ...approvalFlows.en,
  ...desk.en,
}

const STATUS_ZH: Record<string, string> = {
  decision_maker: '决策者', influencer: '影响者', user: '使用者', gatekeeper: '把关者', parent_subsidiary: '母子公司',
  partner: '合作伙伴', agent: '代理商', active: '生效中', terminated: '已终止', released: '主动放入', recycled: '到期回收',
  gift: '礼品', greeting: '问候', travel: '差旅', entertainment: '招待', other: '其他', resolved: '已解决',
  in_progress: '处理中', assigned: '已分派', updated: '修改', contact_added: '添加联系人', contact_updated: '修改联系人',
  interaction_added: '添加联系记录', owner_changed: '变更负责人', claimed: '领取', stage_changed: '阶段变更',
  converted_to_customer: '转为客户', back_to_lead: '转回线索', deleted: '删除', restored: '恢复', merged: '合并',
  extension_requested: '申请延期', extension_decided: '延期审批', relation_added: '添加关系', complaint_opened: '登记投诉',
  service_records_added: '添加服务记录', care_records_added: '添加关怀', expenses_added: '添加费用',
  important_dates_added: '添加纪念日', created: '创建', contract_change: '合同变更', contract_termination: '合同终止',
  draft: '草稿', submitted: '审批中', approved: '已批准', rejected: '已驳回', cancelled: '已取消',
  completed: '已完成', closed: '已关闭', open: '进行中', converted: '已转订单', lead: '线索', customer: '客户',
  inactive: '停用', pending: '待审批', paid: '已付清', partially_paid: '部分回款', submit: '提交', approve: '同意',
  reject: '驳回', order: '订单', new: '新线索', contacted: '已联系', qualified: '已确认', proposal: '方案', lost: '已输单',
  won: '已赢单', no_followup: '未跟进', no_opportunity: '未新建商机', no_deal: '未成交', locked: '已锁定',
  open_opportunity: '有进行中商机', unlocked: '解锁', uploading: '上传中', queued: '排队中', running: '导入中', done: '完成', failed: '失败', discount: '折扣', contract: '合同', return: '退货', pool_extension: '延期申请',
  invoice: '发票', invoice_reversal: '红字发票', receipt: '收款单', pending_approval: '审批中', withdraw: '撤回',
  withdrawn: '已撤回', auto_pass: '自动通过', carried: '沿用',
  ...backOffice.STATUS_ZH,
}

// Server codes (statuses, actions, document types) as words; English shows them as they are.
export function word(code: string | null | undefined): string {
  if (!code) return '—'
  return locale.value === 'en' ? code.replace(/_/g, ' ') : (STATUS_ZH[code] ?? code)
}

export const locale = ref<'zh-CN' | 'en'>(localStorage.getItem('crm.locale') === 'en' ? 'en' : 'zh-CN')

export function setLocale(value: 'zh-CN' | 'en') {
  locale.value = value
  localStorage.setItem('crm.locale', value)
  document.documentElement.lang = value
}

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text = (locale.value === 'en' ? en : zh)[key]
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''))
}
export type { Key }
