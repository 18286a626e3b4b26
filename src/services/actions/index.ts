import { accept } from './accept';
import { forward } from './forward';
import { CardAction } from './types';

/** Every card button the app understands, by key. One file per behaviour. */
export const ACTIONS: Record<string, CardAction> = Object.fromEntries([accept, forward].map((a) => [a.key, a]));
