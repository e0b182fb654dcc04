// One formatter for every card: toLocaleString builds a new one per call, which for fifty cards
// under a throttled CPU was a visible part of 来电's first paint.
const FORMAT = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', hour12: false })

export const when = (at?: string | null) => (at ? FORMAT.format(new Date(at)) : '—')
