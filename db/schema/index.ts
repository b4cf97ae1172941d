export * from './companies';
export * from './customers';
export * from './orders';
export * from './scalepoint';
export * from './scalepoint-connections';
export * from './sign-in';
export * from './sessions';
export * from './password-resets';
