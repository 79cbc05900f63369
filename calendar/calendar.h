/* iCalendar feeds (RFC 5545, RFC 7986) rendered from a snapshot of the state, pure.
 *
 * The public renderer takes only `struct calendar_public_release`, a projection that has no
 * private field (no titles, descriptions, vectors or CVE ids before publication), so nothing
 * private can reach a public or combined feed by mistake. Events are in UTC; UIDs derive from
 * project, kind and id and the public host; SEQUENCE, DTSTAMP and LAST-MODIFIED come from the
 * data, so an unchanged state renders byte-identical bytes. */
#ifndef RELCAL_CALENDAR_CALENDAR_H
#define RELCAL_CALENDAR_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/rules.h"
#include "policy/types.h"

/* A published advisory's public fields (only for released releases). Borrowed strings. */
struct calendar_public_advisory {
    const char *title;
    const char *cve;     /* may be NULL */
    const char *summary; /* may be NULL */
    const char *level;   /* "high", ... or NULL */
    const char *ghsa;    /* may be NULL */
    const char *vector;  /* the severity's vector, or NULL (then no score or label) */
    double score;
    const char *label;    /* "Critical" */
    const char *credits;  /* "Ana Lima (finder), Bo", or NULL */
    const char *url;      /* the advisory's URL, or NULL */
    int64_t published_at; /* POLICY_TIME_NONE when unknown */
    const char *fixed;    /* "5.x 5.1.3, 4.x 4.5.9": the fixed version per branch, or NULL */
};

/* What the public may know about a release. */
struct calendar_public_release {
    const char *project_id;
    const char *project_name;
    const struct policy_zone *zone; /* borrowed (the config's); NULL: times in UTC only */
    char id[POLICY_RELEASE_ID_MAX];
    enum policy_release_kind kind;
    enum policy_release_status status;
    int64_t starts_at, ends_at;
    int sequence;
    int64_t last_modified;
    bool counts_known; /* announced or released */
    size_t fix_count;
    bool has_level;
    enum policy_level max_level;
    struct policy_version versions[POLICY_BRANCHES_MAX];
    size_t n_versions;
    const struct calendar_public_advisory *advisories; /* released only */
    size_t n_advisories;
};

/* A team-only event: cut-off, pre-announcement, notice, reminder, SLA deadline, ... */
struct calendar_team_event {
    char uid_key[192]; /* unique per event, e.g. "cutoff-2027-02-09" */
    const char *summary;
    const char *description; /* may be NULL */
    int64_t at;
    int64_t last_modified;
    int sequence;
};

/* A branch's end of life (config `eol`): an all-day event on that day, the branch's last
 * supported one. UID "eol-{branch}.{project}@host"; DTSTAMP and LAST-MODIFIED last_modified. */
struct calendar_eol {
    const char *project_id;
    const char *project_name;
    const char *branch;
    int64_t day; /* days since 1970-01-01 */
    int64_t last_modified;
};

struct calendar_options {
    const char *name;       /* calendar name; characters , ; \ are replaced */
    const char *public_url; /* base of the page links, e.g. https://security.example.org */
    int ttl_minutes;        /* REFRESH-INTERVAL and X-PUBLISHED-TTL */
    /* End-of-life events (may be NULL). */
    const struct calendar_eol *eol;
    size_t n_eol;
};

/* Renders releases (public projection) plus, for the team feed, private text per release and
 * team events. `private_text` (may be NULL) is parallel to `rels`; entries may be NULL.
 * Returns heap bytes (caller frees) and their length. */
char *calendar_render(const struct calendar_options *o, const struct calendar_public_release *rels,
                      size_t n, const char *const *private_text,
                      const struct calendar_team_event *team, size_t n_team, size_t *len);

/* The host of a URL ("https://a.example:8443/x" -> "a.example"), for UIDs. */
void calendar_url_host(const char *url, char *out, size_t len);

#endif
