import crypto from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

/**
 * WeCom callback security (企业微信 加解密方案). `@wecom/crypto` does the AES and the SHA1, but it
 * neither compares signatures nor checks the receive-id: both are done here.
 */
export class WecomVerifyError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface WecomCryptoOptions {
  token: string;
  encodingAesKey: string;
  /** The corp id: the receive-id every decrypted message must carry. */
  receiveId: string;
  /** Allowed distance between the callback's timestamp and now, in seconds; 0 turns the check off. */
  toleranceS: number;
}

export class WecomCrypto {
  constructor(private readonly o: WecomCryptoOptions) {}

  /** Signature, then timestamp; throws `WecomVerifyError` with the reason. */
  verify(q: { msg_signature?: string; timestamp?: string; nonce?: string }, encrypted: string, nowMs: number): void {
    const { msg_signature: sig, timestamp, nonce } = q;
    if (!sig || !timestamp || !nonce) throw new WecomVerifyError(400, 'missing msg_signature, timestamp or nonce');
    if (!/^\d{1,12}$/.test(timestamp)) throw new WecomVerifyError(400, 'timestamp is not a number');
    // Byte for byte, as the official WXBizMsgCrypt samples compare: WeCom sends lowercase hex.
    const expected = Buffer.from(getSignature(this.o.token, timestamp, nonce, encrypted), 'utf8');
    const given = Buffer.from(sig, 'utf8');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      throw new WecomVerifyError(401, 'signature mismatch');
    }
    if (this.o.toleranceS > 0 && Math.abs(nowMs / 1000 - Number(timestamp)) > this.o.toleranceS) {
      throw new WecomVerifyError(401, `stale timestamp ${timestamp} (tolerance ${this.o.toleranceS}s)`);
    }
  }

  /** AES-decrypts and checks that the message was meant for this corp. */
  decrypt(encrypted: string): string {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted) || (encrypted.length * 3) / 4 < 32) {
      throw new WecomVerifyError(400, 'ciphertext is not valid base64 of AES blocks');
    }
    let out: { message: string; id: string };
    try {
      out = decrypt(this.o.encodingAesKey, encrypted);
    } catch (e) {
      throw new WecomVerifyError(400, `cannot decrypt: ${(e as Error).message}`);
    }
    if (out.id !== this.o.receiveId) throw new WecomVerifyError(403, `receive-id mismatch (${JSON.stringify(out.id.slice(0, 40))})`);
    // The library decodes leniently: bytes that are not UTF-8 would reach the rules as U+FFFD.
    if (out.message.includes('\uFFFD')) throw new WecomVerifyError(400, 'decrypted message is not valid UTF-8');
    return out.message;
  }

  /** For tests, benchmarks and passive replies: encrypt and sign like WeCom does. */
  seal(message: string, timestamp: string, nonce: string, random?: Buffer): { encrypt: string; signature: string } {
    const enc = encrypt(this.o.encodingAesKey, message, this.o.receiveId, random);
    return { encrypt: enc, signature: getSignature(this.o.token, timestamp, nonce, enc) };
  }
}
