/**
 * The dashboard's `?scope=` for "My services": the services owned by the
 * signed-in user's groups and the groups below them.
 */
export const MY_SERVICES_SCOPE = 'mine';
