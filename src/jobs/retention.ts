import { retention as purge } from '../db/repos/retention';
import { DEFAULT_RETENTION } from '../domain/retention';
import type { Job } from './types';

/**
 * Daily 03:30: what is kept only for a while goes (docs/interface.md#security-and-retention) —
 * processed deliveries, the payloads of messages sent, the sandbox's chats, old job runs, expired
 * callback signatures. Settings RETAIN_*_DAYS; `--dry-run` counts and deletes nothing.
 */
export const retentionJob: Job = {
  id: 'retention',
  cron: '30 3 * * *',
  description: '每天3:30：按保存期限清理已处理的回调、已发送消息的内容、沙盒聊天记录和旧的任务记录',
  day: () => ({ run: true }),
  needsOrg: false,
  async run(ctx) {
    const policy = ctx.deps.retention ?? DEFAULT_RETENTION;
    const c = await purge(ctx.deps.db, policy, ctx.at.getTime(), ctx.dryRun);
    const verb = ctx.dryRun ? 'would purge' : 'purged';
    return (
      `${verb}: ${c.deliveries} deliveries done/ignored > ${policy.deliveriesDays} d, ${c.failedDeliveries} failed > ${policy.failedDeliveriesDays} d; ` +
      `${c.outboxPayloads} payloads of sent messages > ${policy.outboxPayloadDays} d; ${c.sandboxMessages} sandbox messages > ${policy.sandboxDays} d; ` +
      `${c.jobRuns} job runs > ${policy.jobRunsDays} d; ${c.signatures} expired callback signatures`
    );
  },
};
