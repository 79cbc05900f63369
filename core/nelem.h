/* NELEM: the number of elements of an array (an array, never a pointer: sizeof would then give
 * the pointer's size). Loops over a fixed table use it, or the enum's end-of-list count, rather
 * than a literal length that has to be kept in step by hand. */
#ifndef RELCAL_CORE_NELEM_H
#define RELCAL_CORE_NELEM_H

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#endif
