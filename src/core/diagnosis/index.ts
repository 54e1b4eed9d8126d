/**
 * The diagnosis (issue 9, made checkable in issue 21): rules over a run's measurements
 * (rules.ts, the rules themselves by topic in lossFindings.ts, layerFindings.ts and
 * epochFindings.ts), the numbers they quote as the tables write them (numbers.ts), the changes
 * they suggest with the measurements behind them (fixes.ts), what a healthy run was checked for
 * (checked.ts), and the Check of a suggestion on the learner's own network (check.ts).
 */
export * from './rules';
export * from './numbers';
export * from './fixes';
export * from './checked';
export * from './check';
