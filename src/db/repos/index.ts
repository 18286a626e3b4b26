import type { EntityManager } from 'typeorm';
import type { Dialect } from '../data-source';
import { HouseholdRepo } from '../households';
import { CardRepo } from './cards';
import { DeadlineChangeRepo } from './deadline-changes';
import { SignatureRepo } from './signatures';
import { DeliveryRepo } from './deliveries';
import { DuplicateRepo } from './duplicates';
import { MediaRepo } from './media';
import { OrgRepo } from './org';
import { OutboxRepo } from './outbox';
import { PageRepo } from './pages';
import { PaceRepo } from './pace';
import { IdentityRepo, VillagerRepo } from './people';
import { ReportsRepo } from './reports';
import { RequestRepo } from './requests';
import { JobRunRepo, KvRepo, ReminderRepo } from './state';
import { AttachmentRepo, DiaryRepo, EventRepo, HandlerRepo, PendingRepo, SupervisionRepo } from './work';
import { DiaryArchiveRepo, DiaryReviewRepo } from './year';

export { CardRepo, DeliveryRepo, OrgRepo, OutboxRepo, IdentityRepo, VillagerRepo, RequestRepo, JobRunRepo, KvRepo, ReminderRepo };
export { PageRepo, PaceRepo };
export { AttachmentRepo, DiaryRepo, EventRepo, HandlerRepo, PendingRepo, SupervisionRepo, ReportsRepo, DuplicateRepo, MediaRepo };
export { DiaryArchiveRepo, DiaryReviewRepo };
export { DeadlineChangeRepo, SignatureRepo };
export type { NewRequestRow, RequestFilter, Still } from './requests';
export type { NewCard } from './cards';
export type { ImportSummary, OrgSnapshot } from './org';

/**
 * Every repository over one entity manager: the transaction's, inside `Db.tx`, or the data source's
 * for reads (`Db.read`). The only way the rest of the app reaches the database.
 */
export class Repos {
  readonly requests: RequestRepo;
  readonly handlers: HandlerRepo;
  readonly events: EventRepo;
  readonly attachments: AttachmentRepo;
  readonly cards: CardRepo;
  readonly outbox: OutboxRepo;
  readonly villagers: VillagerRepo;
  readonly identities: IdentityRepo;
  readonly diary: DiaryRepo;
  readonly pending: PendingRepo;
  readonly supervisions: SupervisionRepo;
  readonly reminders: ReminderRepo;
  readonly jobRuns: JobRunRepo;
  readonly kv: KvRepo;
  readonly org: OrgRepo;
  readonly deliveries: DeliveryRepo;
  readonly households: HouseholdRepo;
  readonly pages: PageRepo;
  readonly diaryReviews: DiaryReviewRepo;
  readonly diaryArchive: DiaryArchiveRepo;
  /** Reads for the leaders' and clerks' pages. */
  readonly reports: ReportsRepo;
  readonly media: MediaRepo;
  readonly duplicates: DuplicateRepo;
  readonly deadlineChanges: DeadlineChangeRepo;
  readonly signatures: SignatureRepo;
  /** Sends per member, for pacing across instances. */
  readonly pace: PaceRepo;

  /** Plain SQL inside this transaction (tests and tooling; the app goes through the repositories). */
  readonly query: (sql: string, params?: unknown[]) => Promise<unknown>;

  constructor(em: EntityManager, dialect: Dialect) {
    this.query = (sql, params = []) => em.query(sql, params);
    this.requests = new RequestRepo(em, dialect);
    this.handlers = new HandlerRepo(em);
    this.events = new EventRepo(em);
    this.attachments = new AttachmentRepo(em);
    this.cards = new CardRepo(em);
    this.outbox = new OutboxRepo(em);
    this.villagers = new VillagerRepo(em);
    this.identities = new IdentityRepo(em);
    this.diary = new DiaryRepo(em);
    this.pending = new PendingRepo(em);
    this.supervisions = new SupervisionRepo(em);
    this.reminders = new ReminderRepo(em);
    this.jobRuns = new JobRunRepo(em);
    this.kv = new KvRepo(em, dialect);
    this.org = new OrgRepo(em);
    this.deliveries = new DeliveryRepo(em);
    this.households = new HouseholdRepo(em);
    this.pages = new PageRepo(em);
    this.diaryReviews = new DiaryReviewRepo(em);
    this.diaryArchive = new DiaryArchiveRepo(em);
    this.reports = new ReportsRepo(em);
    this.media = new MediaRepo(em);
    this.duplicates = new DuplicateRepo(em);
    this.deadlineChanges = new DeadlineChangeRepo(em);
    this.signatures = new SignatureRepo(em);
    this.pace = new PaceRepo(em, dialect);
  }
}
