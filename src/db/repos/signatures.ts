import crypto from 'node:crypto';
import { EntityManager, LessThan } from 'typeorm';
import { isUniqueViolation } from '../data-source';
import { CallbackSignatureRow } from '../entities';

const hash = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

/** Callback signatures in use (see CallbackSignatureRow). */
export class SignatureRepo {
  constructor(private readonly em: EntityManager) {}

  private get repo() {
    return this.em.getRepository(CallbackSignatureRow);
  }

  /**
   * Claims `signature` (of `scope`) for the delivery `owner` until `expiresAt`: true when it is new,
   * or already this delivery's (a platform sending the same delivery again); false when another
   * delivery used it — a replay. A unique key decides, so two copies racing each other agree.
   */
  async claim(scope: string, signature: string, owner: string, expiresAt: number): Promise<boolean> {
    const sig = hash(`${scope}\u0000${signature}`);
    const me = hash(owner);
    try {
      await this.repo.insert({ sig, owner: me, expiresAt });
      return true;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
    return (await this.repo.findOneBy({ sig }))?.owner === me;
  }

  /** Drops what expired before `now`; how many. */
  async purge(now: number): Promise<number> {
    return (await this.repo.delete({ expiresAt: LessThan(now) })).affected ?? 0;
  }
}
