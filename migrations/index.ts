import { Init1764144000000 } from './1764144000000-Init';
import { Lifecycle1764230400000 } from './1764230400000-Lifecycle';
import { Rhythm1764316800000 } from './1764316800000-Rhythm';
import { Reports1764489600000 } from './1764489600000-Reports';
import { Identities1764576000000 } from './1764576000000-Identities';
import { Year1764662400000 } from './1764662400000-Year';
import { Media1764835200000 } from './1764835200000-Media';
import { TownshipYear1764921600000 } from './1764921600000-TownshipYear';
import { Pages1765008000000 } from './1765008000000-Pages';
import { Safety1765094400000 } from './1765094400000-Safety';
import { Scale1765180800000 } from './1765180800000-Scale';
import { DashboardIndexes1765267200000 } from './1765267200000-DashboardIndexes';

/** Every migration, in order. Listed explicitly so the compiled app and the tests load the same set. */
export const MIGRATIONS = [
  Init1764144000000, Lifecycle1764230400000, Rhythm1764316800000, Reports1764489600000, Identities1764576000000, Year1764662400000,
  Media1764835200000, TownshipYear1764921600000, Pages1765008000000, Safety1765094400000, Scale1765180800000,
  DashboardIndexes1765267200000,
];
