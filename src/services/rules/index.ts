import { acceptAction, acceptCommand } from './accept';
import { escalateAction, escalateCommand, escalateDateReply } from './escalate';
import { forwardAction, forwardCommand } from './forward';
import { noticeAction, noticeCommand, noticeReply } from './notice';
import { cadreHelp, queryCommand, worklistCommand, usageCommand, villagerHelp } from './query';
import { categoryCommand, deadlineCommand, diaryCommand, mergeCommand, phonedAction, phonedCommand, progressCommand, supplementCommand, visitCommand, walkInCommand } from './record';
import {
  appealCommand,
  approveAction,
  approveCommand,
  denyAction,
  denyCommand,
  denyCommentReply,
  refusalFormReply,
  rejectAction,
  rejectCommand,
} from './refusal';
import { rateCommand, resolveAction, resolveCommand, resolveReply, satisfiedAction, unsatisfiedAction, unsatisfiedReasonReply } from './resolve';
import { fulfilAction, fulfilCommand, superviseCommand, supervisionReply } from './supervision';
import { CardAction, CommandHandler, ReplyHandler } from './types';

/** Every card button the app understands, by key. One file per behaviour. */
export const CARD_ACTIONS: Record<string, CardAction> = Object.fromEntries(
  [acceptAction, forwardAction, escalateAction, rejectAction, approveAction, denyAction, resolveAction, satisfiedAction, unsatisfiedAction, noticeAction, phonedAction, fulfilAction].map((a) => [a.key, a]),
);

/** Every text command, for villagers and for people of the org directory. */
const COMMANDS: CommandHandler[] = [
  acceptCommand,
  forwardCommand,
  phonedCommand,
  escalateCommand,
  rejectCommand,
  approveCommand,
  denyCommand,
  resolveCommand,
  noticeCommand,
  progressCommand,
  diaryCommand,
  walkInCommand,
  superviseCommand,
  fulfilCommand,
  visitCommand,
  categoryCommand,
  deadlineCommand,
  mergeCommand,
  worklistCommand,
  cadreHelp,
  usageCommand,
  queryCommand,
  villagerHelp,
  supplementCommand,
  rateCommand,
  appealCommand,
];

export function commandFor(name: string, who: 'villager' | 'person'): CommandHandler | undefined {
  return COMMANDS.find((c) => c.name === name && c.who === who);
}

/** What to do with the answer to a question we asked, by the question's kind. */
export const REPLIES: Record<string, ReplyHandler> = Object.fromEntries(
  [resolveReply, refusalFormReply, noticeReply, denyCommentReply, unsatisfiedReasonReply, escalateDateReply, supervisionReply].map((r) => [r.kind, r]),
);
