/** The apps share one logger (libs/logging). */
export * from '@allot/logging';
