import type { Reporter } from './reporter.js';

export const csvReport: Reporter = () => {
  throw new Error('csv report: not written yet');
};
