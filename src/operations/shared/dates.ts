import { T } from '../../domain/texts';
import { parseDayZh, shanghaiDay } from '../../domain/time';
import type { OpContext } from '../context';

/** A promised day typed by a cadre, not before today; null (having said why) otherwise. */
export async function promisedDay(ctx: OpContext, text: string, requestId: number): Promise<string | null> {
  const today = shanghaiDay(new Date(ctx.tx.now));
  const day = parseDayZh(text, today);
  if (!day) {
    await ctx.say(T.badDate, requestId);
    return null;
  }
  if (day < today) {
    await ctx.say(T.dateInPast, requestId);
    return null;
  }
  return day;
}
