import { PersonRow, PlatformIdentityRow, VillageRow, VillagerRow } from './org';
import { HouseholdRow } from './household';
import { PageTicketRow, RequestSignatureRow } from './pages';
import { DiaryArchiveRow, DiaryReviewRow } from './year';
import { CallbackSignatureRow, DeadlineChangeRow } from './safety';
import { JobRunRow, ReminderRow, SupervisionRow } from './jobs';
import { AttachmentRow, DiaryEntryRow, PendingInputRow, RequestEventRow, RequestHandlerRow, RequestRow } from './request';
import {
  CardRecipientRow,
  CardRow,
  DayCounterRow,
  InboundDeliveryRow,
  KvRow,
  OutboxRow,
  SandboxMessageRow,
  SendPaceLockRow,
  SendPaceRow,
  SenderLeaseRow,
} from './plumbing';

export * from './org';
export * from './request';
export * from './plumbing';
export * from './jobs';
export * from './household';
export * from './pages';
export * from './year';
export * from './safety';

export const ENTITIES = [
  PersonRow,
  VillageRow,
  VillagerRow,
  PlatformIdentityRow,
  RequestRow,
  RequestHandlerRow,
  RequestEventRow,
  AttachmentRow,
  DiaryEntryRow,
  PendingInputRow,
  InboundDeliveryRow,
  OutboxRow,
  CardRow,
  CardRecipientRow,
  KvRow,
  DayCounterRow,
  SandboxMessageRow,
  JobRunRow,
  ReminderRow,
  SupervisionRow,
  HouseholdRow,
  PageTicketRow,
  RequestSignatureRow,
  DiaryReviewRow,
  DiaryArchiveRow,
  DeadlineChangeRow,
  CallbackSignatureRow,
  SendPaceRow,
  SendPaceLockRow,
  SenderLeaseRow,
];
