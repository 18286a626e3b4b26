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
    `可发送：待办（查看您的事项）、帮助。`,

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
  unknownCard: '抱歉，没有找到这张卡片对应的事项，可能已过期。',
  cardClosed: (note: string) => `该卡片已处理：${note}。`,
  unknownAction: '抱歉，暂不支持这个操作。',
};
