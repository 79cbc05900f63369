/* Short lists of ids written "a|b|c" (a decision's choices, an assessment field's values). The
 * lists are borrowed, never copied or owned. */
#ifndef RELCAL_CORE_CHOICES_H
#define RELCAL_CORE_CHOICES_H

#include <stdbool.h>
#include <stddef.h>

/* Whether `v` is one of the items of `list` (NULL: an empty list). "" is never an item. */
bool choices_has(const char *list, const char *v);

/* The next item of a list walked with a cursor starting at the list (NULL: an empty list): sets
 * *item and returns its length, moving *cursor past it; returns false at the end. */
bool choices_next(const char **cursor, const char **item, size_t *len);

#endif
