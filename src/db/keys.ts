import crypto from 'node:crypto';

/**
 * `outbox_message.recipient_key`: sha256 hex of the recipient string (user ids joined by `|`, of any
 * length). The per-recipient order and its index use the key; the recipient itself is LONGTEXT.
 */
export function recipientKey(recipient: string): string {
  return crypto.createHash('sha256').update(recipient).digest('hex');
}

/** `inbound_delivery.sender_key`: who sent it (platform + sender id), hashed to a fixed width. */
export function senderKey(platform: string, senderId: string): string {
  return crypto.createHash('sha256').update(`${platform}\u0000${senderId}`).digest('hex');
}
