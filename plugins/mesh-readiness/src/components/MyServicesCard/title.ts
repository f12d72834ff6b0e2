/** The home page card's title, in both frontend systems. */
export const MY_SERVICES_TITLE = "My services' mesh readiness";
