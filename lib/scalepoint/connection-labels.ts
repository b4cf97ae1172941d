/** The Danish names of a connection's environments (docs/events-api.md); free of imports so client forms stay small. */
export const environmentLabel = { sandbox: 'Sandbox', production: 'Produktion' } as const;
export type ConnectionEnvironment = keyof typeof environmentLabel;
