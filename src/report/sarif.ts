import type { Reporter } from './reporter.js';

export const sarifReport: Reporter = () => {
  throw new Error('sarif report: not written yet');
};
