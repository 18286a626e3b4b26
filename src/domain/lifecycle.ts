import { T } from './texts';

/** village → township 民情处理站 → county 民情处理中心 (docs/rules.md#9). */
export const LEVELS = ['village', 'township', 'county'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_ZH: Record<Level, string> = T.levels;

export function nextLevel(level: string): Level | null {
  const i = LEVELS.indexOf(level as Level);
  return i >= 0 && i < LEVELS.length - 1 ? LEVELS[i + 1] : null;
}
