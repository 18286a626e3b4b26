import { loadConfig } from '../config';
import { dutyGaps, dutyGapTexts } from '../domain/duty-gaps';
import { shanghaiDay } from '../domain/time';
import { STATUS_LABELS } from '../domain/texts';
import { truncate } from '../../cards/content';
import { createLogger } from '../log';
import { createApp } from '../main';

/**
 * `org import FILE` (docs/interface.md#commands, #year): loads the file through the app, so that the
 * 交接 cards for the requests of anyone it deactivates go out at once (to their village secretary, or a
 * township leader), and prints what it did — the counts, then each person who left with the open
 * requests they owned and their archived diary, then any day with nobody on duty.
 */
export async function orgImportCommand(file: string, out: (s: string) => void): Promise<number> {
  const config = loadConfig();
  // Logs go to stderr so that stdout carries only what the command prints.
  // Duty gaps are printed below; the log keeps to errors unless LOG_LEVEL says otherwise.
  const log = createLogger(process.env.LOG_LEVEL ?? 'error', { write: (s: string) => void process.stderr.write(s) });
  const app = await createApp(config, { log, startWorkers: false, importOrgFile: false });
  try {
    const s = await app.importOrg(file);
    await app.outbox.drain();
    out(
      `已导入 ${s.township} / imported: people +${s.people.added} ~${s.people.updated} -${s.people.deactivated}, ` +
        `villages +${s.villages.added} ~${s.villages.updated} -${s.villages.deactivated}, ` +
        `villagers +${s.villagers.added} ~${s.villagers.updated} -${s.villagers.deactivated}`,
    );
    for (const l of s.leaving) {
      out(`离岗 / left: ${l.name} (${l.personId})，民情日记 ${l.diaryEntries} 篇已归档 / diary archived；在办 ${l.requests.length} 件 / open requests: ${l.requests.length}${l.requests.length ? '，已发交接卡片 / handover cards sent' : ''}`);
      for (const r of l.requests) out(`  ${r.code}【${STATUS_LABELS[r.status] ?? r.status}】${truncate(r.text, 30)}`);
    }
    for (const line of dutyGapTexts(dutyGaps(app.deps.directory, { calendar: app.deps.calendar, from: shanghaiDay(app.deps.clock.now()) }))) out(`值班缺口 / duty gap: ${line}`);
    return 0;
  } finally {
    await app.close();
  }
}
