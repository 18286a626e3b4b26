import crypto from 'node:crypto';
import { WecomCrypto } from '../../bot/wecom/crypto';

export const TEST_WECOM = {
  WECOM_CORP_ID: 'wwminqingtest0001',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 's3cret',
  WECOM_TOKEN: 'QDG6eKtest',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};

export const testCrypto = (receiveId = TEST_WECOM.WECOM_CORP_ID) =>
  new WecomCrypto({ token: TEST_WECOM.WECOM_TOKEN, encodingAesKey: TEST_WECOM.WECOM_ENCODING_AES_KEY, receiveId, toleranceS: 0 });

let seq = 0;
export const nextMsgId = () => `${Date.now()}${String(++seq).padStart(6, '0')}`;

const cdata = (s: string) => `<![CDATA[${s}]]>`;

export function textXml(o: { from: string; content: string; msgId?: string; createTime?: number }): string {
  return (
    `<xml><ToUserName>${cdata(TEST_WECOM.WECOM_CORP_ID)}</ToUserName><FromUserName>${cdata(o.from)}</FromUserName>` +
    `<CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(o.content)}</Content><MsgId>${o.msgId ?? nextMsgId()}</MsgId><AgentID>1000002</AgentID></xml>`
  );
}

export function mediaXml(o: { from: string; type: 'image' | 'voice' | 'location' | 'file' | 'video'; msgId?: string; createTime?: number; mediaId?: string; fileName?: string }): string {
  const body =
    o.type === 'location'
      ? `<Location_X>32.05</Location_X><Location_Y>108.95</Location_Y><Scale>15</Scale><Label>${cdata('关沟村村口')}</Label>`
      : `<MediaId>${cdata(o.mediaId ?? `media-${o.type}-1`)}</MediaId>${o.type === 'voice' ? `<Format>${cdata('amr')}</Format>` : ''}${o.type === 'image' ? `<PicUrl>${cdata('http://p.qpic.cn/x')}</PicUrl>` : ''}${o.fileName ? `<FileName>${cdata(o.fileName)}</FileName>` : ''}`;
  return (
    `<xml><ToUserName>${cdata(TEST_WECOM.WECOM_CORP_ID)}</ToUserName><FromUserName>${cdata(o.from)}</FromUserName>` +
    `<CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata(o.type)}</MsgType>${body}` +
    `<MsgId>${o.msgId ?? nextMsgId()}</MsgId><AgentID>1000002</AgentID></xml>`
  );
}

export function cardEventXml(o: { from: string; taskId: string; key: string; responseCode?: string; createTime?: number; selected?: Record<string, string[]> }): string {
  const sel = o.selected
    ? `<SelectedItems>${Object.entries(o.selected)
        .map(([q, ids]) => `<SelectedItem><QuestionKey>${cdata(q)}</QuestionKey><OptionIds>${ids.map((i) => `<OptionId>${cdata(i)}</OptionId>`).join('')}</OptionIds></SelectedItem>`)
        .join('')}</SelectedItems>`
    : '';
  return (
    `<xml><ToUserName>${cdata(TEST_WECOM.WECOM_CORP_ID)}</ToUserName><FromUserName>${cdata(o.from)}</FromUserName>` +
    `<CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
    `<Event>${cdata('template_card_event')}</Event><EventKey>${cdata(o.key)}</EventKey><TaskId>${cdata(o.taskId)}</TaskId>` +
    `<CardType>${cdata('button_interaction')}</CardType><ResponseCode>${cdata(o.responseCode ?? `evt-${nextMsgId()}`)}</ResponseCode>` +
    `<AgentID>1000002</AgentID>${sel}</xml>`
  );
}

export function kfEventXml(o: { token: string; openKfId: string; createTime?: number }): string {
  return (
    `<xml><ToUserName>${cdata(TEST_WECOM.WECOM_CORP_ID)}</ToUserName><CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime>` +
    `<MsgType>${cdata('event')}</MsgType><Event>${cdata('kf_msg_or_event')}</Event><Token>${cdata(o.token)}</Token>` +
    `<OpenKfId>${cdata(o.openKfId)}</OpenKfId></xml>`
  );
}

export function eventXml(event: string, from = 'LiSi'): string {
  return (
    `<xml><ToUserName>${cdata(TEST_WECOM.WECOM_CORP_ID)}</ToUserName><FromUserName>${cdata(from)}</FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata(event)}</Event><AgentID>1000002</AgentID></xml>`
  );
}

/** Encrypts and signs a plaintext callback like WeCom does; returns the URL query and the body. */
export function seal(plainXml: string, opts: { timestamp?: number; receiveId?: string; nonce?: string } = {}): { query: string; body: string } {
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? crypto.randomBytes(6).toString('hex');
  const { encrypt, signature } = testCrypto(opts.receiveId).seal(plainXml, ts, nonce);
  const body = `<xml><ToUserName><![CDATA[${TEST_WECOM.WECOM_CORP_ID}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;
  return { query: `msg_signature=${signature}&timestamp=${ts}&nonce=${nonce}`, body };
}
