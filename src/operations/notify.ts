import { matchMatter, matterNotice } from '../domain/catalogue';
import { noticeDraft } from '../domain/notice-templates';
import { T } from '../domain/texts';
import type { PersonActor } from './context';
import { ask, RequestOp } from './run';
import { tellReporter } from './shared/reporter';

/**
 * 一次性告知 (docs/rules.md#4): everything the villager needs, in one message; recorded on the
 * timeline and in the diary. Without a text the owner gets a draft to edit and send back.
 */
export const notify: RequestOp<{ text?: string }, PersonActor> = {
  name: 'notify',
  async run(ctx, req, { text }) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    // The 农事村办 matter's materials, place and 时限 when the text is about one (docs/interface.md#year).
    const matter = matchMatter(req.text, tx.dir.catalogue());
    if (!text) return ask(ctx, 'notice_text', req.id, T.noticeDraft(req.code, matter ? matterNotice(matter) : noticeDraft(req.category)));
    await tellReporter(tx, req, T.noticeToVillager(req.code, text));
    await tx.event(req.id, 'notice', `person:${me.id}`, ctx.via, { text });
    await tx.diary.add({ personId: me.id, requestId: req.id, kind: 'notice', text, data: null, at: tx.now });
    await ctx.say(T.noticeSent(req.code), req.id);
  },
};
