import type { Clock } from '../../src/clock';
import type { SandboxRepo } from '../../src/db/repos/sandbox';
import type { Directory } from '../../src/domain/directory';
import { ROLE_LABELS } from '../../src/domain/org';
import type { SandboxIdentity } from './adapter';

/** Everyone one can act as in the sandbox, labelled as a clerk would say it: "袁志弟 (关沟村村民)". */
export async function sandboxIdentities(store: SandboxRepo, dir: Directory, clock: Clock): Promise<SandboxIdentity[]> {
  const now = clock.now();
  const list: SandboxIdentity[] = (await store.villagers()).map((v) => {
    const village = dir.village(v.villageId)?.name ?? null;
    const name = v.name ?? `新村民${v.id}`;
    return { id: v.userId, name, kind: 'villager', village, label: `${name} (${village ? `${village}村民` : '村民，未定村'})` };
  });
  const onDuty = new Set(dir.activeVillages().flatMap((v) => dir.onDuty(v.id, now).map((p) => p.id)));
  for (const p of dir.activePeople()) {
    const what = p.title ?? p.roles.map((r) => ROLE_LABELS[r]).join('、');
    const duty = onDuty.has(p.id);
    list.push({ id: p.id, name: p.name, kind: 'person', roles: [...p.roles], onDuty: duty, label: `${p.name} (${what}${duty ? ' · 今日值班' : ''})` });
  }
  return list;
}
