/**
 * The seeded generator and template expansion live in src (users test their own rule
 * files with them through `keyscan rules --test`); tests import them from here.
 */
export { SeededRandom, ALPHABETS, expandTemplate } from '../../src/config/rule-samples.js';
