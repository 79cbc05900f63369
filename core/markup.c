/* HTML and XML text escaping (see markup.h). */
#include "core/markup.h"

void markup_escape(struct buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&':
            buf_append_str(b, "&amp;");
            break;
        case '<':
            buf_append_str(b, "&lt;");
            break;
        case '>':
            buf_append_str(b, "&gt;");
            break;
        case '"':
            buf_append_str(b, "&quot;");
            break;
        case '\'':
            buf_append_str(b, "&#39;");
            break;
        case '\t':
        case '\n':
        case '\r':
            buf_append(b, p, 1);
            break;
        default:
            if (*p >= 0x20 && *p != 0x7f)
                buf_append(b, p, 1);
            else
                buf_append_str(b, " ");
        }
    }
}
