/* Zone rules from TZif data (RFC 8536), as pure functions of bytes and strings: the transition
 * table of a zone file and the POSIX TZ string of its footer (RFC 8536 section 3.3, e.g.
 * "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"), which gives the rules for every instant after the last
 * transition in the table (Debian's files list transitions up to 2037). Reading the file is
 * policy/zone.c's job. Checked against Python's zoneinfo in tests/unit/test_policy_tzrule.c. */
#ifndef RELCAL_POLICY_TZRULE_H
#define RELCAL_POLICY_TZRULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A transition date of a POSIX TZ rule: Jn (1..365, February 29 never counted), n (0..365,
 * counting February 29) or Mm.w.d (day d, 0 = Sunday, of week w, 5 = last, of month m), at
 * `time` seconds after local midnight (-167 h to 167 h, RFC 8536 section 3.3.1). */
struct policy_tzrule_date {
    char kind; /* 'J', 'D' (the zero-based n form) or 'M' */
    int n, month, week, weekday;
    int32_t time;
};

struct policy_tzrule {
    int32_t std_offset; /* seconds east of UTC (POSIX writes them west) */
    int32_t dst_offset;
    bool has_dst;
    struct policy_tzrule_date start, end; /* DST starts (in standard time), ends (in DST) */
};

/* Parses a POSIX TZ string. Returns 0, or RC_EPARSE for anything malformed (including a DST
 * name without transition rules, which TZif footers never have). */
int policy_tzrule_parse(const char *s, struct policy_tzrule *out);

/* UTC offset (seconds east of UTC) the rule gives at UTC instant t. The year whose transitions
 * apply is t's UTC year, as in Python's zoneinfo. */
int32_t policy_tzrule_offset_at(const struct policy_tzrule *r, int64_t t);

/* A zone's TZif data: the 64-bit transition table and the footer rule. */
struct policy_tzif {
    size_t n;               /* transitions */
    int64_t *times;         /* UTC instants, ascending */
    int32_t *offsets;       /* offset in force from times[i] */
    int32_t initial_offset; /* before the first transition (local time type 0) */
    bool has_footer;
    struct policy_tzrule footer;
};

/* Parses the bytes of a TZif file (version 2 or later: the 64-bit block and the footer; a
 * version 1 file uses its 32-bit block). On success *out owns memory (policy_tzif_free).
 * Returns 0 or RC_EPARSE. */
int policy_tzif_parse(const unsigned char *buf, size_t len, struct policy_tzif *out);

void policy_tzif_free(struct policy_tzif *z);

/* Offset at UTC instant t: the table up to its last transition, the footer after it. */
int32_t policy_tzif_offset_at(const struct policy_tzif *z, int64_t t);

#endif
