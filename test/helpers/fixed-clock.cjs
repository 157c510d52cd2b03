// Preloaded into the built CLI (NODE_OPTIONS=--require) to make two plans in one instant:
// a plan's commits carry its creation time, so only plans made at the same moment can
// name the same commit ids. HOTFIX_TEST_NOW is that moment.
const now = Date.parse(process.env.HOTFIX_TEST_NOW ?? '');
if (Number.isNaN(now)) throw new Error('fixed-clock: HOTFIX_TEST_NOW must be a date');
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args) {
    super(...(args.length === 0 ? [now] : args));
  }
  static now() {
    return now;
  }
};
