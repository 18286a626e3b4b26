import template from '../../bot/dingtalk/card-template.json';
import { decodeCardCallback, decodeRobotMessage } from '../../bot/dingtalk/decode';
import { cardRevision, toDingtalkActionCard, toDingtalkCardData } from '../../cards/dingtalk';
import type { CardContent } from '../../cards/content';
import { LABELS } from '../../cards/labels';
import { cardTap, robotText } from '../helpers/dingtalk';

const card = (keys: (keyof typeof LABELS)[], extra: Partial<CardContent> = {}): CardContent => ({
  code: '20261126-002',
  title: '您负责的群众诉求',
  subtitle: '关沟村 · 办理中',
  quote: '村口路灯坏了',
  fields: [{ label: '编号', value: '20261126-002' }],
  buttons: keys.map((key) => ({ key, label: LABELS[key], style: 'default' })),
  ...extra,
});

describe('DingTalk card rendering', () => {
  it('fills exactly the public variables the shipped template declares, all as strings', () => {
    const data = toDingtalkCardData(card(['resolve', 'forward', 'escalate', 'reject', 'approve', 'deny']));
    expect(Object.keys(data).sort()).toEqual(Object.keys(template.variables.public).sort());
    expect(Object.values(data).every((v) => typeof v === 'string')).toBe(true);
    expect([1, 2, 3, 4, 5, 6].map((n) => data[`btn${n}_text`])).toEqual(['办结', '转办', '上报', '否定报备', '同意', '驳回']);
  });

  it('changes the revision when what the card shows changes, and only then', () => {
    const a = toDingtalkCardData(card(['accept', 'forward']));
    expect(toDingtalkCardData(card(['accept', 'forward'])).rev).toBe(a.rev);
    expect(toDingtalkCardData(card([], { closedNote: '已由李四受理' })).rev).not.toBe(a.rev);
    expect(cardRevision(a)).toBe(a.rev);
  });

  it.each([
    [['satisfied', 'unsatisfied'], 'sampleActionCard2', ['满意', '不满意'], ['满意', '不满意']],
    [['approve', 'deny'], 'sampleActionCard2', ['同意', '驳回'], ['同意 20261126-002', '驳回 20261126-002']],
    [['resolve', 'escalate', 'reject'], 'sampleActionCard3', ['办结', '上报', '否定报备'], ['办结 20261126-002', '上报 20261126-002', '否定 20261126-002']],
    [['accept'], 'sampleActionCard', ['受理'], ['受理 20261126-002']],
  ] as const)('falls back to an ActionCard with the same labels: %j', (keys, msgKey, titles, commands) => {
    const ac = toDingtalkActionCard(card([...keys]));
    expect(ac.msgKey).toBe(msgKey);
    const got = keys.length === 1 ? [ac.msgParam.singleTitle] : titles.map((_, i) => ac.msgParam[`actionTitle${i + 1}`]);
    expect(got).toEqual([...titles]);
    const urls = keys.length === 1 ? [ac.msgParam.singleURL] : titles.map((_, i) => ac.msgParam[`actionURL${i + 1}`]);
    expect(urls.map((u) => decodeURIComponent(u.replace('dtmd://dingtalkclient/sendMessage?content=', '')))).toEqual([...commands]);
  });

  it('renders a closed card as markdown with its note and no buttons', () => {
    const ac = toDingtalkActionCard(card([], { closedNote: '已由李四受理' }));
    expect(ac.msgKey).toBe('sampleMarkdown');
    expect(ac.msgParam.text).toContain('**已由李四受理**');
  });
});

describe('DingTalk decoding', () => {
  it('trims the space DingTalk puts before the text, and keeps a group\'s conversation for the reply', () => {
    const d = decodeRobotMessage(robotText({ from: '1001', content: '路灯坏了', group: 'cidG==', msgId: 'm1' }));
    expect(d).toEqual({
      delivery: {
        dedupeKey: 'dingtalk:msg:m1',
        event: expect.objectContaining({ channel: 'group', senderId: '1001', msgType: 'text', text: '路灯坏了', replyVia: { conversationId: 'cidG==' } }),
      },
    });
    expect(decodeRobotMessage({ ...robotText({ from: '1001', content: 'x' }), msgtype: 'richText', content: { richText: [{ text: ' 看图' }, { downloadCode: 'dl1', type: 'picture' }] } })).toMatchObject({
      delivery: { event: { msgType: 'text', text: '看图' } },
    });
    expect(decodeRobotMessage({ msgtype: 'text' })).toEqual({ invalid: expect.any(String) });
  });

  it('reads a tap: task id, action, selection, and an identity that repeats only with the frame', () => {
    const tap = cardTap({ from: '0451', taskId: 'mq1_owner_x', action: 'forward', rev: 'r1', select: { key: 'forward_to', value: 'zhao' } });
    const a = decodeCardCallback(tap, 'frame-1');
    expect(a).toMatchObject({ callback: { action: 'forward', rev: 'r1', delivery: { event: { taskId: 'mq1_owner_x', senderId: '0451', action: 'forward', selected: { forward_to: ['zhao'] } } } } });
    const b = decodeCardCallback(tap, 'frame-2');
    if ('invalid' in a || 'invalid' in b) throw new Error('invalid');
    expect(a.callback.delivery.dedupeKey).not.toBe(b.callback.delivery.dedupeKey);
    const http1 = decodeCardCallback(tap);
    const http2 = decodeCardCallback(cardTap({ from: '0451', taskId: 'mq1_owner_x', action: 'forward', rev: 'r1', select: { key: 'forward_to', value: 'sun' } }));
    if ('invalid' in http1 || 'invalid' in http2) throw new Error('invalid');
    expect(http1.callback.delivery.dedupeKey).not.toBe(http2.callback.delivery.dedupeKey);
    expect(decodeCardCallback({ outTrackId: 'x', userId: 'u', content: '{not json' })).toEqual({ invalid: expect.any(String) });
  });
});
