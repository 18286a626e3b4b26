import { removeTempDirs } from './tmp';

// Jest setupFilesAfterEnv: after each test file, the temp directories it made (its SQLite files, org
// files, calendars …) are removed. Top-level, so it runs after every describe block's own hooks.
afterAll(() => removeTempDirs());
