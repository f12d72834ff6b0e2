/**
 * The Mesh Readiness model, shared by the backend, the frontend and the CLI.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './api';
