/* Disclosure: the one place that decides what each audience (the public, distributors, the team)
 * may see of a release and of an issue in each state (docs/POLICY.md "Disclosure"). Feeds, the
 * API views, the page, channel payloads and the delivery engine's publication hold all ask here;
 * none of them decides on its own. Pure: no clock, no store. */
#ifndef RELCAL_POLICY_DISCLOSURE_H
#define RELCAL_POLICY_DISCLOSURE_H

#include <stdbool.h>

#include "policy/types.h"

enum policy_audience {
    POLICY_AUDIENCE_PUBLIC = 0,
    POLICY_AUDIENCE_DISTRIBUTORS,
    POLICY_AUDIENCE_TEAM,
    POLICY_AUDIENCE_COUNT
};

/* "public", "distributors", "team"; parse returns RC_EINVAL for anything else. */
const char *policy_audience_name(enum policy_audience a);
int policy_audience_parse(const char *s, enum policy_audience *out);

/* What an audience may see of a release (beyond its date, time, kind, status and SEQUENCE,
 * which everyone sees). */
struct policy_release_visibility {
    bool counts;   /* the number of fixes and the highest level */
    bool versions; /* the branches and versions it will release */
    bool notice;   /* when distributors were notified (distributors_notified_at) */
    bool issues;   /* which issues it holds (ids, and issue objects as policy_disclosure_issue
                    * allows field by field) */
    /* Its last-modified instant (DTSTAMP, LAST-MODIFIED) follows every change of its row;
     * otherwise only public changes, which are exactly the ones that raise SEQUENCE. */
    bool every_change;
    /* The advisories of its published issues (policy_disclosure_issue with the public audience
     * gives their fields): once it is published, for every audience; never before. */
    bool advisories;
    /* The date a moved release had before (a release.rescheduled message's
     * previous_starts_at): every audience's, since that date was public (the window was in the
     * public feed, or the announcement told it). */
    bool previous_date;
    /* Who changed it and why (the audit log's actors, reasons and override reasons, as an
     * explanation shows them): the team's only. */
    bool audit;
};

/* Whether a message of this type carries embargoed details (the distributor notice, update and
 * reminder): its text says until when nothing may be made public. */
bool policy_message_embargoed(const char *message_type);

/* Whether a release is still in the feeds at `now` (docs/CONTRACT.md "Feeds"): past releases for
 * 12 months (366 days after they end), skipped and cancelled ones for 90 days after their date. */
bool policy_release_in_feed(const struct policy_release *r, int64_t now);

/* Distributors are entitled to the embargoed detail once notified (or once published). */
bool policy_disclosure_distributors_entitled(const struct policy_release *r);

/* `r` NULL: the detail of a message about no release (SLA reminders): the team's only. */
struct policy_release_visibility policy_disclosure_release(enum policy_audience a,
                                                           const struct policy_release *r);

/* What an audience may see of one issue. `r` is the release the issue is in, or NULL. */
struct policy_issue_visibility {
    bool listed;   /* the issue appears at all (as an advisory for the public) */
    bool title;    /* title */
    bool level;    /* the severity's level ("high") */
    bool severity; /* the vector, score and label */
    bool cve;
    bool ghsa;
    bool summary;      /* public_summary */
    bool branches;     /* which branches it affects */
    bool versions;     /* the affected and fixed versions per branch (the release's versions) */
    bool credits;      /* who is credited: names and roles */
    bool advisory_url; /* the advisory's own URL, or the project's template filled in */
    bool published;    /* the instant it was published (released_at) */
    bool tracking;     /* status, the dates, SLA deadlines, the release it is in */
    /* The description, on a read by this audience (the team's API and feed). */
    bool description;
};

struct policy_issue_visibility policy_disclosure_issue(enum policy_audience a,
                                                       const struct policy_release *r,
                                                       const struct policy_issue *i);

/* Which fields of an issue a write changed (the caller compares the texts). */
struct policy_issue_changes {
    bool title, severity, cve, ghsa, summary, credits, advisory_url, branches, status;
};

/* Whether audience `a` sees the change of an issue of release r from `before` to `after`, with
 * `changed` its changed fields: it appears or disappears, or a field the audience sees before
 * or after changed (the severity counts where the level or the vector is seen, the status
 * where the tracking is). */
bool policy_disclosure_issue_changed(enum policy_audience a, const struct policy_release *r,
                                     const struct policy_issue *before,
                                     const struct policy_issue *after,
                                     const struct policy_issue_changes *changed);

/* The delivery engine's hold: a public `release.published` message goes out only while its
 * release (NULL: unknown) is published; true means hold it. Other messages are never held. */
bool policy_disclosure_hold(enum policy_audience a, const char *message_type,
                            const struct policy_release *r);

/* Whether writing `after` over `before` is a public change of the release, so its public
 * last-modified instant moves. `before` is NULL when the release did not exist publicly (an
 * out-of-sequence release being created); a scheduled window without a row is the window the
 * config computes (planned, SEQUENCE 0). Every public change raises SEQUENCE or changes the
 * status; what the team and distributors learn (fixes batched, the notice) does neither. */
bool policy_disclosure_public_change(const struct policy_release *before,
                                     const struct policy_release *after);

#endif
