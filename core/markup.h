/* Text in HTML and XML (the page, Atom feeds): one escaping for both. */
#ifndef RELCAL_CORE_MARKUP_H
#define RELCAL_CORE_MARKUP_H

#include "core/buf.h"

/* Appends `s` (NULL: nothing) as element text or an attribute value: & < > " ' become
 * references, tab, LF and CR stay, every other control character (XML 1.0 allows none) and DEL
 * becomes a space. */
void markup_escape(struct buf *b, const char *s);

#endif
