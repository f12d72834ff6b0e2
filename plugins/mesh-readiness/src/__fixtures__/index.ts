export * from './checks';
export * from './entities';
export * from './org';
export * from './entityHistory';
