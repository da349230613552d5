import { isCountryCode } from '@fleetwatch/service-kit';

/** A flag state as an ISO 3166-1 alpha-2 code (upper case). */
export const isValidFlag = isCountryCode;
