/*
 * Facts: what the checks read. Entity facts describe one workload; org
 * facts summarise the in-scope workloads for the gates, the
 * recommendation and the cost estimate.
 */
export * from './entity';
export * from './meshDefaults';
export * from './org';
