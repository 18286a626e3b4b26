import { dialects, dropCreatedDatabases } from '../helpers/db';
import { Sandbox, startSandbox } from './sandbox';

/**
 * 首问: of two 受理 at once exactly one becomes the owner — and it is the claim's conditional UPDATE
 * (`status IN ('pending') AND owner_id IS NULL`) that decides, not the rights check before it. On
 * SQLite transactions run one after the other, so the second tap would be refused by the check
 * anyway and a claim that lost its condition would go unnoticed; here both transactions have read
 * the request as pending before either claims it (on MariaDB truly at once, the second UPDATE waiting
 * for the first to commit), so only the condition can keep the second from winning too.
 */
describe.each(dialects())('首问: two claims at once (%s)', (dialect) => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await startSandbox(dialect);
  });
  afterEach(() => sb.close());
  afterAll(dropCreatedDatabases);

  /** Resolves once `n` callers are waiting — on SQLite, where a transaction cannot wait for another, at once. */
  function barrier(n: number, concurrent: boolean): () => Promise<void> {
    let waiting = 0;
    let open!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    return () => {
      if (!concurrent) return Promise.resolve();
      if (++waiting === n) open();
      return opened;
    };
  }

  it('at the repository: two transactions read it pending, both claim it, one wins', async () => {
    const r = await sb.report(await sb.villager('袁志弟'), '村口路灯坏了三天了');
    const db = sb.h.app.db;
    const concurrent = db.dialect === 'mysql';
    const both = barrier(2, concurrent);
    // On SQLite the reads come first, outside the (serial) transactions: the second claim runs on a stale row too.
    const stale = concurrent ? null : [await db.read.requests.byId(r.id), await db.read.requests.byId(r.id)];
    const claim = (i: number, who: string) =>
      db.tx(async (repos) => {
        const row = stale ? stale[i]! : (await repos.requests.byId(r.id))!;
        expect(row).toMatchObject({ status: 'pending', ownerId: null });
        await both();
        return repos.requests.transition(row, ['pending'], { status: 'accepted', ownerId: who, acceptedAt: Date.now() }, { unowned: true });
      });
    const won = await Promise.all([claim(0, 'li'), claim(1, 'luo')]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const owner = won[0] ? 'li' : 'luo';
    expect(await db.read.requests.byId(r.id)).toMatchObject({ status: 'accepted', ownerId: owner, version: 2 });
  });

  it('end to end: two 受理 taps processed by two workers at once make one owner, and the other is told', async () => {
    const r = await sb.report(await sb.villager('袁志弟'), '村口路灯坏了三天了');
    await sb.tapOnly('li', await sb.card('li', r.code, '新的群众诉求'), '受理');
    await sb.tapOnly('luo', await sb.card('luo', r.code, '新的群众诉求'), '受理');
    await sb.concurrently();
    const now = await sb.req(r.id);
    expect(now.status).toBe('accepted');
    expect(['li', 'luo']).toContain(now.owner.id);
    expect(now.events.filter((e: any) => e.type === 'accepted')).toHaveLength(1);
    const loser = now.owner.id === 'li' ? 'luo' : 'li';
    expect((await sb.texts(loser)).at(-1)).toMatch(/已由.+受理/);
    expect((await sb.cards(now.owner.id)).filter((c) => c.title === '您负责的群众诉求')).toHaveLength(1);
    expect((await sb.cards(loser)).filter((c) => c.title === '您负责的群众诉求')).toHaveLength(0);
  });
});
