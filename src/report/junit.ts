import type { Reporter } from './reporter.js';

export const junitReport: Reporter = () => {
  throw new Error('junit report: not written yet');
};
