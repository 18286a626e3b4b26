import type { RequestEventRow } from '../../db/entities';
import type { Directory } from '../../domain/directory';
import { LEVEL_ZH, Level } from '../../domain/lifecycle';
import { shortZh } from '../../domain/time';
import { TL } from '../../domain/texts';

/** A timeline event as the diary book and the 受理卡 print it: who, and the detail after the action's name. */
export function actorName(dir: Directory, actor: string, reporter: string | null): string {
  if (actor.startsWith('person:')) return dir.person(actor.slice(7))?.name ?? actor.slice(7);
  if (actor.startsWith('villager:')) return reporter ?? TL.villager;
  return TL.system;
}

export function eventDetail(dir: Directory, e: RequestEventRow): string {
  const d = e.data ?? {};
  const s = (k: string): string => {
    const v = d[k];
    return typeof v === 'string' ? v : '';
  };
  switch (e.type) {
    case 'forwarded':
      return TL.eventTo(dir.person(s('to'))?.name ?? s('to'));
    case 'escalated':
      return LEVEL_ZH[s('to') as Level] ?? s('to');
    case 'refusal_filed':
      return `${s('reason')}（${s('basis')}）`;
    case 'resolved':
      return s('result');
    case 'supervision_issued':
      return s('note');
    case 'supervision_done':
      return s('result');
    case 'merged':
      return s('into');
    case 'deadline_set':
      return typeof d.deadline === 'number' ? shortZh(new Date(d.deadline)) : '';
    default:
      return s('text') || s('comment');
  }
}
