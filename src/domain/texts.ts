/**
 * Everything people read, in one place: short, polite Chinese. Code and logs stay English.
 */
export const STATUS_LABELS: Record<string, string> = {
  pending: '待受理',
  accepted: '办理中',
  rejection_pending: '否定报备待审批',
  rejected: '已否定（经领导批准）',
  resolved: '已办结待评价',
  closed: '已销号',
};

/** Why an action does not apply in a status (the start of a refusal). */
const WHY_NOT: Record<string, string> = {
  pending: '该事项还未受理',
  accepted: '该事项正在办理中',
  rejection_pending: '该事项的否定报备正在等待领导审批',
  rejected: '该事项已经领导批准否定',
  resolved: '该事项已办结，正在等待群众评价',
  closed: '该事项已销号',
};

export const MEDIA_LABELS: Record<string, string> = {
  image: '图片',
  voice: '语音',
  video: '视频',
  location: '位置',
  file: '文件',
  link: '链接',
  other: '消息',
};

export const T = {
  receipt: (code: string) =>
    `您反映的问题已收到，编号 ${code}。我们会尽快安排工作人员受理，受理后会告诉您负责人和办结时限。`,
  receiptNoVillage: (code: string, township: string) =>
    `您反映的问题已收到，编号 ${code}，已转${township}民情处理站。请回复您所在的村名（例如“关沟村”），方便我们安排本村干部跟进。`,
  villageNoted: (village: string) => `好的，已记下您是${village}村民。`,
  accepted: (code: string, owner: string, phone: string | null, deadline: string) =>
    `您反映的问题（编号 ${code}）已由${owner}受理，负责到底。承诺办结时限：${deadline}。${phone ? `联系电话：${phone}。` : ''}`,
  appended: (code: string) => `已补充到您的问题（编号 ${code}）中。`,
  mediaAttached: (code: string, what: string) => `已收到您发来的${what}，已补充到问题（编号 ${code}）中。`,
  mediaRequestText: (what: string, detail?: string) => `（群众发来${what}${detail ? `：${detail}` : ''}）`,

  cadreHelp: (name: string) =>
    `${name}您好，这里是民情直通车。群众的诉求会以卡片发给您，点“受理”即成为首问责任人。` +
    `发送“待办”查看您的事项，发送“帮助”查看全部指令。`,

  alreadyTakenByOther: (code: string, owner: string) => `事项 ${code} 已由${owner}受理，无需重复受理。`,
  alreadyYours: (code: string) => `事项 ${code} 已由您受理。`,
  notPending: (code: string, status: string) => `事项 ${code} 当前状态为“${status}”，无法再受理。`,
  youOwnNow: (code: string, deadline: string) =>
    `您已受理事项 ${code}，成为首问责任人。办结时限：${deadline}。办理情况请在卡片上操作。`,
  forwardedToYou: (code: string, from: string) => `${from}将事项 ${code} 转给您办理，请查看卡片。`,
  forwardNeedsTarget: '请先在卡片上选择转办给谁，再点“转办”。',
  forwardSelf: '不能转办给自己，请选择其他人。',
  forwardDone: (code: string, to: string) => `事项 ${code} 已转${to}办理，您仍是首问责任人，请跟进到办结。`,
  alreadyHandler: (code: string, to: string) => `${to}已是事项 ${code} 的承办人。`,

  notAllowed: '抱歉，您不是该事项的经办人，无法操作。如有疑问请联系镇民情处理站。',
  staffOnly: '抱歉，这个操作需要工作人员来办理。',
  onlyOwnRequests: '抱歉，只能查看和评价您本人反映的事项。',
  mergedElsewhere: '该事项已并入其他事项，请在合并后的事项上操作。',
  noSelfApproval: '否定报备不能由本人审批。',
  wrongState: (status: string, action: string) => `${WHY_NOT[status] ?? '该事项当前状态'}，不能${action}。`,
  actions: {
    report: '反映问题', supplement: '补充', query: '查询', help: '查看帮助', rate: '评价', reason: '说明原因', appeal: '申诉',
    accept: '受理', forward: '转办', escalate: '上报', reject: '否定报备', approve: '同意', deny: '驳回', comment: '留言',
    resolve: '办结', notify: '一次性告知', progress: '记录办理过程', set_deadline: '调整时限', set_category: '设置分类',
    merge: '合并', phoned: '确认电话告知', supervise: '督办', fulfil: '落实督办', walk_in: '补录', diary: '写民情日记',
    visit: '记录走访', worklist: '查看待办', close_unrated: '按未评价销号',
  } as Record<string, string>,
  levels: { village: '村', township: '镇民情处理站', county: '县民情处理中心' },
  handled: '已处理',
  decidedBy: (leader: string, approved: boolean) => `已由${leader}${approved ? '同意' : '驳回'}`,
  overtaken: (code: string) => `事项 ${code} 刚刚已由他人处理，请查看最新情况后再操作。`,
  unknownCard: '抱歉，没有找到这张卡片对应的事项，可能已过期。',
  cardClosed: (note: string) => `该卡片已处理：${note}。`,
  unknownAction: '抱歉，暂不支持这个操作。',

  // 转办 / 上报
  chooseForward: (code: string) => `请在卡片上选择把事项 ${code} 转给谁，再点“转办”。`,
  forwardedNotice: (code: string, from: string, to: string) => `${from}已将您负责的事项 ${code} 转${to}承办。`,
  topLevel: (code: string) => `事项 ${code} 已在县民情处理中心，无法继续上报。`,
  escalateNeedsDate: (code: string) =>
    `事项 ${code} 上报县民情处理中心需要承诺办结时限，请回复日期，例如 2026-12-31 或 12月31日（30分钟内有效）。`,
  escalated: (code: string, to: string, deadline: string) => `事项 ${code} 已上报${to}，办结时限：${deadline}。您仍是首问责任人，请跟进到办结。`,
  escalatedToVillager: (code: string, to: string, deadline: string) =>
    `您反映的问题（编号 ${code}）已上报${to}协调办理，办结时限调整为 ${deadline}。`,
  badDate: '没看懂这个日期，请按 2026-12-31 或 12月31日 的格式回复。',
  dateInPast: '承诺日期不能早于今天，请重新回复。',

  // 否定报备
  askRefusal: (code: string) =>
    `请在一条消息里回复事项 ${code} 的办理依据和否定理由，格式：依据：……；理由：……（两项都要填，30分钟内有效）。`,
  refusalIncomplete: '办理依据和否定理由都要填写，格式：依据：……；理由：……',
  refusalFiled: (code: string, approvers: string) => `事项 ${code} 的否定报备已提交${approvers}审批，审批前请勿答复群众。`,
  noApprover: (code: string) => `事项 ${code} 找不到可审批的领导，请联系管理员检查组织架构。`,
  refusalApprovedOwner: (code: string, leader: string) => `${leader}已同意事项 ${code} 的否定报备。系统已把理由和依据告知群众。`,
  refusalToVillager: (code: string, reason: string, basis: string) =>
    `很抱歉，您反映的问题（编号 ${code}）经审核暂时无法办理。\n理由：${reason}\n依据：${basis}\n如有异议，请回复“申诉”，我们会转镇领导重新处理。`,
  refusalDeniedOwner: (code: string, leader: string) => `${leader}驳回了事项 ${code} 的否定报备，请继续办理。`,
  askDenyComment: (code: string) => `已驳回事项 ${code} 的否定报备。如需给经办人留言，请直接回复（可不回复）。`,
  leaderComment: (code: string, leader: string, text: string) => `${leader}对事项 ${code} 的意见：${text}`,
  commentSent: '已转告经办人。',
  decided: (note: string) => `该审批已处理：${note}。`,
  appealReceived: (code: string) => `已收到您对事项 ${code} 的申诉，已转镇领导重新处理，会尽快答复您。`,
  appealToOwner: (code: string, text?: string) => `群众对事项 ${code} 提出申诉${text ? `：${text}` : ''}，已转镇领导重新处理。`,
  nothingToAppeal: '您目前没有可以申诉的事项。如有新的问题，请直接发送。',

  // 办结 / 评价
  askResult: (code: string) => `请回复事项 ${code} 的办理结果，原文会告知群众（30分钟内有效）。`,
  resolvedOwner: (code: string, by: string) => `${by}已办结事项 ${code}，正在等待群众评价。`,
  resolvedDone: (code: string) => `事项 ${code} 已办结，结果已告知群众，等待群众评价。`,
  resolvedByPhone: (code: string) => `事项 ${code} 已办结。群众暂时无法在线收到结果，请电话或当面告知，并在卡片上代群众评价。`,
  resolvedByPhoneOther: (code: string, owner: string) => `事项 ${code} 已办结。群众暂时无法在线收到结果，已请首问责任人${owner}电话或当面告知并代为评价。`,
  resultToVillager: (code: string, result: string, byText: boolean) =>
    `您反映的问题（编号 ${code}）已办结。\n办理结果：${result}${byText ? '\n请回复 1 表示满意，回复 2 表示不满意。' : '\n请在下方卡片评价。'}`,
  thanks: (code: string) => `感谢您的评价！事项 ${code} 已销号。`,
  askWhy: (code: string) => `很抱歉没有让您满意。请告诉我们哪里不满意，我们会重新办理事项 ${code}。`,
  satisfiedOwner: (code: string) => `群众对事项 ${code} 表示满意，已销号。`,
  unsatisfiedOwner: (code: string) => `群众对事项 ${code} 不满意，已重新打开，请继续办理。`,
  unsatisfiedReason: (code: string, text: string) => `群众对事项 ${code} 不满意的原因：${text}`,
  reasonNoted: '已记下，我们会尽快重新办理。',
  nothingToRate: '您目前没有待评价的事项。',
  proxyRated: (code: string, what: string) => `已代群众记录评价：${what}（事项 ${code}）。`,

  // 一次性告知
  noticeDraft: (code: string, draft: string) =>
    `事项 ${code} 的一次性告知模板如下，请修改后直接回复完整内容（30分钟内有效），系统会一次性发给群众：\n${draft}`,
  noticeToVillager: (code: string, text: string) => `【一次性告知】关于您反映的问题（编号 ${code}）：\n${text}`,
  noticeSent: (code: string) => `一次性告知已发给事项 ${code} 的群众。`,

  // 记录
  progressNoted: (code: string) => `已记入事项 ${code} 的办理过程。`,
  progressToOwner: (code: string, by: string, text: string) => `${by}记录了事项 ${code} 的办理过程：${text}`,
  diaryNoted: '已记入您的民情日记。',
  walkInRecorded: (code: string, deadline: string) => `已补录，编号 ${code}，您是首问责任人，办结时限：${deadline}。`,
  categorySet: (code: string, label: string) => `事项 ${code} 的分类已设为：${label}。`,
  deadlineSet: (code: string, deadline: string) => `事项 ${code} 的办结时限已调整为 ${deadline}。`,
  deadlineToVillager: (code: string, deadline: string) => `您反映的问题（编号 ${code}）办结时限调整为 ${deadline}。`,
  merged: (code: string, into: string) => `事项 ${code} 已并入 ${into}，一并办理。`,
  mergedToVillager: (code: string, into: string) => `您反映的问题（编号 ${code}）与编号 ${into} 是同一问题，已合并办理，办结后会告诉您结果。`,
  mergeSelf: '不能把事项并入它自己。',
  mergeTargetClosed: (into: string) => `事项 ${into} 已结束，不能并入。`,
  noSuchRequest: (code: string) => `没有找到编号为 ${code} 的事项。`,
  noOpenRequest: '您目前没有办理中的事项。如有新的问题，请直接发送。',
  // 督办单
  superviseLeadersOnly: '督办单由镇领导下达。',
  supervisionNotYours: '这张督办单已经落实，或不是下达给您的。',
  supervisionNotForYou: '抱歉，您无法操作这张督办单。',
  noSuchPerson: (name: string) => `没有找到负责人“${name}”。`,
  supervisionIssued: (id: number, to: string, deadline: string) => `督办单 #${id} 已下达给${to}，时限 ${deadline}。`,
  askFulfilment: (id: number) => `请回复督办单 #${id} 的落实情况（30分钟内有效）。`,
  fulfilledToIssuer: (who: string, id: number, text: string) => `${who}已落实督办单 #${id}：${text}`,
  fulfilledDone: (id: number, issuer: string) => `督办单 #${id} 已记为落实，已告知${issuer}。`,
  supervisionDefaultNote: (code: string) => `请督促落实事项 ${code}`,
  supervisionIssuer: '督办领导',
  visitNoted: (household: string) => `已记录走访：${household}。`,
  supplementToOwner: (code: string, text: string) => `群众补充（${code}）：${text}`,
  phonedDone: (code: string) => `已记录：事项 ${code} 已电话告知群众。`,
  nothingToPhone: (code: string) => `事项 ${code} 没有待电话告知的消息。`,
  usage: (usage: string) => `格式：${usage}`,
  /** How each text command is typed (what `usage` shows after a wrong one). */
  usages: {
  progress: '进展 编号 办理情况',
  resolve: '办结 编号 办理结果',
  reject: '否定 编号 依据：…；理由：…',
  deadline: '时限 编号 2026-12-20',
  category: '分类 编号 1-8',
  merge: '合并 编号 并入编号',
  visit: '走访 户名 情况',
  diary: '日记 内容',
  supplement: '补充 内容',
  forward: '转办 编号 姓名',
  walk_in: '补录 反映人 内容',
  supervise: '督办 编号 负责人 日期 要求',
  fulfil: '落实 编号 落实情况',
  },

  // 查询 / 帮助
  villagerHelp:
    '您好，这里是民情直通车。直接发送您遇到的问题即可，我们会安排专人受理并告诉您办结时限。\n' +
    '查询：查看您反映的事项；查询 编号：查看某一件；补充 内容：补充说明；评价 1/2：满意/不满意；申诉：对否定结果提出申诉。',
  cadreHelpFull:
    '可发送：待办（您的事项，超期在前）；进展 编号 内容；办结 编号 结果；否定 编号 依据：…；理由：…；' +
    '告知 编号（一次性告知）；时限 编号 日期；分类 编号 1-8；合并 编号 并入编号；上报 编号；日记 内容；走访 户名 情况。',
  noWork: '您目前没有待办事项。',
  noRequests: '您还没有反映过问题。直接发送您遇到的问题即可。',
  queryResult: (result: string) => `\n办理结果：${result}`,
  queryOpenHead: (n: number) => `您有 ${n} 件事项在办：`,
  queryRecentHead: '您最近反映的事项：',
  worklistHead: (n: number) => `您有 ${n} 件待办：`,
  worklistOverdue: '⚠️超期 ',
  worklistToApprove: '待审批 ',
  worklistToRate: '待评价 ',
  worklistToAccept: '待受理 ',

  // What a card shows once it is answered, and the titles of cards
  resolvedNote: '已办结',
  phonedNote: '已电话告知',
  fulfilledNote: '已落实',
  unratedNote: '未评价，已销号',
  heldReleasedNote: '群众已重新联系，消息已补发',
  ratedNote: (satisfied: boolean) => `已评价：${satisfied ? '满意' : '不满意'}`,
  mergedNote: (into: string) => `已并入${into}`,
  forwardedNote: (to: string) => `已转${to}`,
  forwardedCardTitle: (from: string) => `${from}转来的群众诉求`,
  escalatedCardTitle: (from: string) => `${from}上报的群众诉求`,
  appealCardTitle: '群众申诉，请重新处理',
  unsatisfiedCardTitle: '群众不满意，请继续办理',
};

const md = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** The digests and analyses (docs/interface.md#figures). */
export const TR = {
  monthDay: md,
  month: (m: number) => `${m}月`,
  quarter: (year: string, q: number) => `${year}年第${q}季度`,
  townshipLevel: '镇级',
  wholeTownship: '全镇',
  uncategorized: '未分类',
  otherCategory: '其他',
  lastWeek: '上周',
  lastMonth: '上月',
  lastQuarter: '上季度',
  weeklyHead: (scope: string, range: string) => `【民情周报】${scope} ${range}`,
  analysisTitle: '民情分析',
  quarterlyTitle: '季度民情分析',
  analysisHead: (title: string, label: string, scope: string, range: string) => `【${title}·${label}】${scope}（${range}）`,
  received: (n: number, prevName: string, change: string) => `受理 ${n} 件（较${prevName} ${change}）`,
  rate: (name: string, value: string) => `${name} ${value}`,
  overdueAndRefusals: (overdue: number, filed: number, approved: number, appeals: number) => `超期 ${overdue} 件｜否定报备 ${filed} 件，批准 ${approved} 件｜申诉 ${appeals} 件`,
  figuresLine: (received: number, response: string, onTime: string, closed: string, satisfied: string, overdue: number) =>
    `受理 ${received}｜响应 ${response}｜按时 ${onTime}｜办结 ${closed}｜满意 ${satisfied}｜超期 ${overdue}`,
  item: (name: string, line: string) => `· ${name}：${line}`,
  villagesHead: '各村：',
  categoriesHead: '按类别：',
  cadresHead: '各干部（首问责任人）：',
  moreVillages: (n: number) => `……其余 ${n} 个村`,
  morePeople: (n: number) => `……其余 ${n} 位`,
  morePlaces: (n: number) => `……另有 ${n} 处`,
  noneLate: '✅ 目前没有超期事项。',
  lateHead: (n: number) => `⚠️ 有超期事项的村（${n} 个）：`,
  lateVillage: (village: string, n: number, what: string) => `· ${village} ${n} 件${what}`,
  earliestLate: (code: string, text: string, owner: string | undefined, due: string) => `，最早：${code} ${text}（${owner ? `${owner}，` : ''}时限 ${due}）`,
  oldestHead: (n: number) => `最久未办结的 ${n} 件：`,
  oldestItem: (i: number, line: string, day: string) => `${i}. ${line}，${day}反映`,
  noRepeats: '本期没有反复出现的问题（同一地点或同一群众3次及以上）。',
  repeatsHead: '🔁 反复出现的问题：',
  codes: (codes: string[], more: boolean) => codes.join('、') + (more ? '等' : ''),
  repeatPlace: (village: string, text: string, n: number, category: string, codes: string) => `· ${village}「${text}」${n} 次（${category}）：${codes}`,
  repeatPerson: (who: string, village: string, n: number, codes: string) => `· 群众${who}（${village}）反映 ${n} 次：${codes}`,
  diaryHead: (weeks: number) => `各干部民情日记与走访（每周至少1篇，本季度 ${weeks} 周；⚠️ 为不足）：`,
  diaryLine: (low: string, name: string, diary: number, visits: number, received: number, onTime: string, satisfied: string, overdue: number) =>
    `· ${low}${name}：日记 ${diary} 篇｜走访 ${visits} 户｜受理 ${received}｜按时 ${onTime}｜满意 ${satisfied}｜超期 ${overdue}`,
  villageMeetingAdvice: '请在村民情分析会上逐项研究，反复出现的问题要查明原因、落实责任人。',
  chartTitle: (period: string) => `各村民情办理情况（${period}）`,
  chartCaption: (title: string, scope: string, period: string) => `${title}图表：${scope} ${period}`,
  chartFollows: '各村对比图见下一条消息。',
  chartMissing: '（本期图表生成失败，这次只发文字版，已记录原因。）',
};

/** What the scheduled jobs send (docs/interface.md#jobs). */
export const TJ = {
  hello: (name: string, body: string) => `${name}您好，${body}`,
  nobody: '无',
  residentCadres: '驻村干部',
  // 驻村服务日
  serviceDaySkipped: (tuesday: string) => `${md(tuesday)}（周二）不是工作日，本周驻村服务日暂停，驻村干部无需到村。`,
  serviceDayTomorrow: (tuesday: string, village: string) => `明天（${md(tuesday)}）是驻村服务日，请到${village}坐班，群众无需预约。`,
  villageOpen: (village: string, n: number) => `${village}在办事项 ${n} 件：`,
  villageNothingOpen: (village: string) => `${village}目前没有在办事项。`,
  dueThisWeek: (n: number) => `本周到期 ${n} 件：`,
  serviceDayResident: (village: string) => `今天是驻村服务日，请到${village}坐班，当面受理的事项请记得补录。`,
  serviceDayCadre: (names: string, village: string) => `今天是驻村服务日，驻村干部${names}今天在${village}，请配合接待群众。`,
  serviceDayVillager: (names: string, village: string) => `今天是驻村服务日，镇驻村干部${names}在${village}村委会，有事可直接来，无需预约。`,
  serviceDayWrapup: (name: string) =>
    `${name}您好，今天的驻村服务日辛苦了。请把今天当面受理的事项补录进系统（发送：补录 反映人 内容），并写下今天的民情日记（发送：日记 内容）。`,
  // 联席会议
  meetingTitle: (today: string) => `联席会议清单（${md(today)}）`,
  meetingFromService: (day: string, n: number) => `上次驻村服务日（${day}）受理 ${n} 件：`,
  meetingNothingFromService: (day: string) => `上次驻村服务日（${day}）没有新事项。`,
  meetingTownship: (n: number) => `镇级/县级在办 ${n} 件：`,
  meetingOverdue: (n: number) => `⚠️ 超期 ${n} 件：`,
  meetingNoneOverdue: '目前没有超期事项。',
  meetingHowToSupervise: '如需督办，请发送：督办 编号 负责人 日期 要求（例如：督办 20261124-007 李四 12月5日 本周内修好路灯）',
  // deadline-watch
  watchSubject: (code: string, village: string | null, text: string) => `${code}（${village ?? '镇级'}：${text}）`,
  watch: {
    warn: (what: string, due: string) => `⏰ 事项 ${what} 将于 ${due} 到期，请抓紧办理。`,
    overdue: (what: string, due: string, owner: string) => `⚠️ 事项 ${what} 已超期（时限 ${due}），首问责任人：${owner}，请尽快办结或说明情况。`,
    overdue_leader: (what: string, due: string, owner: string) => `⚠️ 事项 ${what} 已超期一个工作日以上（时限 ${due}），首问责任人：${owner}，请督办。`,
    unaccepted: (what: string) => `📮 群众诉求 ${what} 已超过2个工作小时无人受理，请尽快受理。`,
  } as Record<string, (what: string, due: string, owner: string) => string>,
  supervisionWatch: (warn: boolean, id: number, note: string, due: string) =>
    warn ? `⏰ 督办单 #${id}（${note}）将于 ${due} 到期。` : `⚠️ 督办单 #${id}（${note}）已超期（时限 ${due}）。`,
  // 民情日记, 走访, 未评价
  diaryReminder: (name: string) => `${name}您好，本周您还没有写民情日记。请发送“日记 内容”记一篇（每周至少1篇）。`,
  visitsBehind: (name: string, n: number, need: number) => `${name}您好，本月您已走访 ${n} 户，按要求每月至少走访 ${need} 户，请抓紧安排（发送：走访 户名 情况）。`,
  pairsNotVisited: (name: string, missing: string[]) => `${name}您好，本月您还没有走访结对帮扶户：${missing.join('、')}。请在月底前走访并记录（发送：走访 户名 情况）。`,
  closedUnrated: (code: string) => `事项 ${code} 群众3个工作日内未评价，已按“未评价”销号。`,
};

/** Safety: refusals of taps and commands by someone who may not, and their approvals (docs/interface.md#security-and-retention). */
export const TS = {
  notYourCard: '抱歉，这张卡片不是发给您的，无法操作。',
  rateNotYours: '抱歉，只有反映问题的群众本人可以评价。',
  mergeTargetNotYours: (into: string) => `抱歉，您不是事项 ${into} 的经办人，不能并入该事项。`,
  actions: { approve_deadline: '审批时限调整', deny_deadline: '审批时限调整' } as Record<string, string>,
  // 时限 that needs a leader's approval
  deadlineCardTitle: '时限调整待您审批',
  deadlineProposed: (code: string, when: string, leaders: string) => `事项 ${code} 的办结时限调整为 ${when} 需领导审批，已提交${leaders}，审批前原时限不变。`,
  deadlineNoApprover: (code: string) => `事项 ${code} 暂无可审批时限调整的领导，请联系镇民情处理站。`,
  deadlineNothingPending: (code: string) => `事项 ${code} 没有待审批的时限调整。`,
  deadlineApprovedOwner: (code: string, leader: string, when: string) => `${leader}已同意事项 ${code} 的办结时限调整为 ${when}。`,
  deadlineDeniedOwner: (code: string, leader: string) => `${leader}未同意调整事项 ${code} 的办结时限，请按原时限办结。`,
  deadlineApproveDone: (code: string, when: string) => `已同意：事项 ${code} 的办结时限调整为 ${when}。`,
  deadlineDenyDone: (code: string) => `已驳回事项 ${code} 的时限调整，原时限不变。`,
  deadlineSupersededNote: '已有新的时限调整',
  deadlineSetByNote: (leader: string) => `已由${leader}直接调整`,
};
