import { callbackSample } from './callback-sample';
import { deadlineWatch } from './deadline-watch';
import { diaryReviewJob } from './diary-review';
import { diaryReminder, satisfactionTimeout } from './duties';
import { outreachReminder } from './outreach-reminder';
import { jointMeeting } from './meeting';
import { retentionJob } from './retention';
import { monthlyAnalysis, quarterlyReview } from './reports/analysis';
import { weeklyDigest } from './reports/weekly-digest';
import { halfYearReview, yearEndReview } from './reports/year-review';
import { serviceDay, serviceDayEve, serviceDayWrapup } from './service-day';
import { Job } from './types';

/**
 * Every scheduled job, in one place (docs/interface.md#jobs; names fixed). Times are Asia/Shanghai.
 * weekly-digest, monthly-analysis and quarterly-review live in ./reports.
 */
export const JOBS: Job[] = [
  serviceDayEve,
  serviceDay,
  serviceDayWrapup,
  jointMeeting,
  deadlineWatch,
  diaryReminder,
  outreachReminder,
  satisfactionTimeout,
  weeklyDigest,
  monthlyAnalysis,
  quarterlyReview,
  diaryReviewJob,
  halfYearReview,
  yearEndReview,
  callbackSample,
  retentionJob,
];

export function jobById(id: string): Job | undefined {
  return JOBS.find((j) => j.id === id);
}
