import { DiaryEntryRow, RequestRow } from '../../db/entities';
import { noticeDraft } from '../../domain/notice-templates';
import { T } from '../../domain/texts';
import { allowed, requestOrSay } from '../access';
import { Tx } from '../context';
import { expectReply } from '../pending';
import { tellReporter } from '../reporter';
import { CardAction, CommandHandler, PersonSender, ReplyHandler, say } from './types';

/** 一次性告知: everything the villager needs, in one message; recorded on the timeline and in the diary. */
export async function sendNotice(tx: Tx, s: PersonSender, req: RequestRow, text: string, via: string): Promise<void> {
  if (!(await allowed(tx, 'notify', req, s))) return;
  await tellReporter(tx, req, T.noticeToVillager(req.code, text));
  await tx.event(req.id, 'notice', `person:${s.person.id}`, via, { text });
  await tx.em.getRepository(DiaryEntryRow).insert({ personId: s.person.id, requestId: req.id, kind: 'notice', text, data: null, at: tx.now });
  await say(tx, s, T.noticeSent(req.code), req.id);
}

async function offerDraft(tx: Tx, s: PersonSender, req: RequestRow): Promise<void> {
  if (!(await allowed(tx, 'notify', req, s))) return;
  await expectReply(tx, `person:${s.person.id}`, 'notice_text', req.id);
  await say(tx, s, T.noticeDraft(req.code, noticeDraft(req.category)), req.id);
}

export const noticeAction: CardAction = {
  key: 'notify',
  on: ['owner'],
  async run({ tx, sender, request }) {
    if (sender.kind !== 'person') return say(tx, sender, T.notAllowed);
    await offerDraft(tx, sender, request);
  },
};

export const noticeReply: ReplyHandler = {
  kind: 'notice_text',
  async run(tx, sender, req, text) {
    if (sender.kind === 'person') await sendNotice(tx, sender, req, text, sender.address.platform);
  },
};

export const noticeCommand: CommandHandler = {
  name: 'notify',
  who: 'person',
  async run(tx, sender, cmd) {
    if (cmd.name !== 'notify' || sender.kind !== 'person') return;
    const req = await requestOrSay(tx, sender, cmd.code);
    if (!req) return;
    if (cmd.text) await sendNotice(tx, sender, req, cmd.text, sender.address.platform);
    else await offerDraft(tx, sender, req);
  },
};
