import { CardContent } from './content';

/** The sandbox page draws the neutral content as it is, with the task id its buttons send back. */
export function toSandboxCard(card: CardContent, taskId: string): CardContent & { taskId: string } {
  return { ...card, taskId };
}
