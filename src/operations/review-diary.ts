import type { Person } from '../domain/directory';
import { keepsDiary, reviewersOf } from '../domain/diary-review';
import { quarterZh, reviewQuarter } from '../domain/review-quarter';
import { TY } from '../domain/texts';
import type { PersonActor } from './context';
import type { PlainOp } from './run';

/** A person of the directory by id or by name (active only). */
export function personNamed(people: Person[], text: string): Person | undefined {
  return people.find((p) => p.id === text) ?? people.find((p) => p.name === text);
}

/**
 * 审阅 人 意见 (seed 002 §四.(二), docs/interface.md#year): a reviewer signs off a person's 民情日记
 * for the quarter just ended, with a comment. Only a reviewer the seeds' hierarchy gives that person
 * (src/domain/diary-review.ts) may; the sign-off is recorded and the keeper hears the comment.
 */
export const reviewDiary: PlainOp<{ person: string; text: string }, PersonActor> = {
  name: 'review_diary',
  async run(ctx, input) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    const keeper = personNamed(tx.dir.activePeople(), input.person);
    if (!keeper || !keepsDiary(keeper, tx.dir)) return ctx.say(TY.noDiaryKeeper(input.person));
    const reviewers = reviewersOf(tx.dir, keeper.id);
    if (!reviewers.includes(me.id)) {
      const names = reviewers.map((id) => tx.dir.person(id)?.name ?? id);
      return ctx.say(TY.notYourReviewee(keeper.name, names));
    }
    const quarter = reviewQuarter(new Date(tx.now));
    const text = input.text || TY.readNoComment;
    await tx.diaryReviews.add({ kind: 'review', personId: keeper.id, reviewerId: me.id, period: quarter, text, at: tx.now });
    await tx.tell(keeper, TY.reviewedToKeeper(me.name, quarterZh(quarter), text));
    await ctx.say(TY.reviewRecorded(keeper.name, quarterZh(quarter)));
  },
};

/** 自评 内容: a keeper's quarterly self-assessment of their 民情日记 (seed 002 §三.(三).3, seed 003 §十.6), recorded for the quarter just ended. */
export const selfAssessment: PlainOp<{ text: string }, PersonActor> = {
  name: 'self_assessment',
  async run(ctx, { text }) {
    const { tx } = ctx;
    const me = ctx.actor.person;
    if (!keepsDiary(me, tx.dir)) return ctx.say(TY.noDiaryKeeper(me.name));
    const quarter = reviewQuarter(new Date(tx.now));
    await tx.diaryReviews.add({ kind: 'self', personId: me.id, reviewerId: null, period: quarter, text, at: tx.now });
    await ctx.say(TY.selfNoted(quarterZh(quarter)));
  },
};
