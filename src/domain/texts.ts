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
  phonedDone: (code: string) => `已记录：事项 ${code} 已电话告知群众。`,
  nothingToPhone: (code: string) => `事项 ${code} 没有待电话告知的消息。`,
  usage: (usage: string) => `格式：${usage}`,

  // 查询 / 帮助
  villagerHelp:
    '您好，这里是民情直通车。直接发送您遇到的问题即可，我们会安排专人受理并告诉您办结时限。\n' +
    '查询：查看您反映的事项；查询 编号：查看某一件；补充 内容：补充说明；评价 1/2：满意/不满意；申诉：对否定结果提出申诉。',
  cadreHelpFull:
    '可发送：待办（您的事项，超期在前）；进展 编号 内容；办结 编号 结果；否定 编号 依据：…；理由：…；' +
    '告知 编号（一次性告知）；时限 编号 日期；分类 编号 1-8；合并 编号 并入编号；上报 编号；日记 内容；走访 户名 情况。',
  noWork: '您目前没有待办事项。',
  noRequests: '您还没有反映过问题。直接发送您遇到的问题即可。',
};
