// Labels of 工作区's call desk, work orders, diary and plans, document categories and sharing,
// and of moving a department (issue 18, second round): apart from part 2's first file so the
// engineers changing that one and this one do not meet in the same lines.
export const zh = {
  logAction: '操作，如 POST /customers/<id>', dragToMove: '拖动部门到另一个部门上即可移动（下级部门及其数据一起移动）', departmentMoved: '部门已移动',
  wsCalls: '来电', wsQueue: '待处理', wsLog: '来电记录', wsCaller: '来电人', wsMatched: '匹配客户', wsUnmatched: '未匹配客户',
  wsHandle: '处理', wsResult: '处理结果', wsNewCall: '登记来电', wsReceivedAt: '来电时间', wsPending: '待处理',
  wsHandled: '已处理', wsWorkOrders: '工单', wsNewWorkOrder: '新建工单', wsCategory: '分类', wsAssign: '分派',
  wsTransfer: '转交', wsClose: '关闭工单', wsOpen: '处理中', wsClosed: '已关闭', wsAssignee: '处理人',
  wsToWorkOrder: '转工单', wsFromCall: '由来电转入', wsDiaryPlans: '日志计划', wsDiary: '工作日志', wsPlans: '计划', wsDaily: '日计划',
  wsWeekly: '周计划', wsMonthly: '月计划', wsPeriod: '周期', wsRecords: '执行记录', wsAddRecord: '添加记录',
  wsContent: '内容', wsAllCategories: '全部分类', wsShare: '共享', wsShareUsers: '共享给同事', wsShareDepts: '共享给部门',
  wsShared: '已共享', wsNewCategory: '新建分类', wsSource: '来源', wsDescription: '描述', wsMine: '只看分派给我的',
  src_phone: '电话', src_wechat: '微信', src_web: '网站', src_email: '邮件', src_visit: '来访', src_other: '其他',
  svc_customers: '客户服务', svc_sales: '销售服务', svc_logistics: '物流服务', svc_finance: '财务服务', svc_workspace: '工作区服务',
}
type Key = keyof typeof zh
export const en: Record<Key, string> = {
  logAction: 'Action, e.g. POST /customers/<id>', dragToMove: 'Drag a department onto another to move it (with the departments and records under it)',
  departmentMoved: 'Department moved',
  wsCalls: 'Calls', wsQueue: 'To handle', wsLog: 'Call log', wsCaller: 'Caller', wsMatched: 'Customer', wsUnmatched: 'No customer matched',
  wsHandle: 'Handle', wsResult: 'Result', wsNewCall: 'Log a call', wsReceivedAt: 'Received', wsPending: 'To handle',
  wsHandled: 'Handled', wsWorkOrders: 'Work orders', wsNewWorkOrder: 'New work order', wsCategory: 'Category', wsAssign: 'Assign',
  wsTransfer: 'Transfer', wsClose: 'Close', wsOpen: 'Open', wsClosed: 'Closed', wsAssignee: 'Handler',
  wsToWorkOrder: 'Work order', wsFromCall: 'From a call', wsDiaryPlans: 'Diary and plans', wsDiary: 'Diary', wsPlans: 'Plans', wsDaily: 'Daily',
  wsWeekly: 'Weekly', wsMonthly: 'Monthly', wsPeriod: 'Period', wsRecords: 'Progress', wsAddRecord: 'Add progress',
  wsContent: 'Content', wsAllCategories: 'All categories', wsShare: 'Share', wsShareUsers: 'Share with colleagues',
  wsShareDepts: 'Share with departments', wsShared: 'Shared', wsNewCategory: 'New category', wsSource: 'Source',
  wsDescription: 'Description', wsMine: 'Assigned to me',
  src_phone: 'Phone', src_wechat: 'WeChat', src_web: 'Web', src_email: 'Email', src_visit: 'Visit', src_other: 'Other',
  svc_customers: 'Customers service', svc_sales: 'Sales service', svc_logistics: 'Logistics service',
  svc_finance: 'Finance service', svc_workspace: 'Workspace service',
}
