import type { CardContent } from '../../cards/content';
import type { WorkCalendar } from '../domain/calendar';
import type { Person } from '../domain/directory';
import type { Logger } from '../log';
import type { Address } from '../platform/types';
import type { CardKind } from '../operations/shared/cards';
import type { AppDeps, Tx } from '../operations/tx';

/**
 * A scheduled job is data: an id, a cron (Asia/Shanghai), the rule for which days it runs, and a
 * function of a context. Jobs plan what to send and write through the context; a dry run prints
 * the plan and changes nothing.
 */
export interface JobContext {
  deps: AppDeps;
  /** The scheduled time this run stands for (for a late run: the missed slot). */
  at: Date;
  dryRun: boolean;
  late: boolean;
  log: Logger;
  /** A text to a person of the directory (on the platform they use). */
  tell(person: Person, text: string, requestId?: number): void;
  /** A text to an address that is not a person of the directory (a villager). */
  tellAddress(address: Address, text: string): void;
  image(person: Person, pngBase64: string, caption: string): void;
  card(people: Person[], requestId: number, kind: CardKind, content: CardContent): void;
  /** A write to make together with the sends (skipped in a dry run). */
  write(fn: (tx: Tx) => Promise<void>): void;
}

export type DayRule = (cal: WorkCalendar, at: Date) => { run: true } | { run: false; why: string };

export interface Job {
  id: string;
  cron: string;
  /** What it does, for `jobs list` and the README. */
  description: string;
  day: DayRule;
  /** Skip (and say so) when no org directory is loaded; default true. */
  needsOrg?: boolean;
  run(ctx: JobContext): Promise<string>;
}

/** One line of `jobs run --dry-run` output (docs/interface.md#commands). */
export interface PlannedMessage {
  to: string;
  channel: string;
  text?: string;
  card?: CardContent;
  image?: { bytes: number; caption: string };
}
