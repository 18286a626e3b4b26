import { Init1764144000000 } from './1764144000000-Init';

/** Every migration, in order. Listed explicitly so the compiled app and the tests load the same set. */
export const MIGRATIONS = [Init1764144000000];
