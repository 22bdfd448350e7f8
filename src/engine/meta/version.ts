/**
 * What every process of this package reports about itself in SHOW HOSTS. One module owns the
 * two strings so that a cluster, a listener and a drainer always print the same ones.
 */

/** Short build identifier printed as `Git Info Sha`; a constant so golden outputs are stable. */
export const GIT_INFO_SHA = '0a1b2c3';

/** Printed as `Version`; the seed's tables show "ent-3.1.0" and scripts compare against them. */
export const PRODUCT_VERSION = 'ent-3.1.0';
