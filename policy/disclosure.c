/* Who may see what of a release and an issue (docs/POLICY.md "Disclosure"). */
#include "policy/disclosure.h"

#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"

static const char *const audience_names[POLICY_AUDIENCE_COUNT] = {"public", "distributors", "team"};

const char *policy_audience_name(enum policy_audience a)
{
    return (unsigned)a < POLICY_AUDIENCE_COUNT ? audience_names[a] : "unknown";
}

int policy_audience_parse(const char *s, enum policy_audience *out)
{
    for (int i = 0; s && i < POLICY_AUDIENCE_COUNT; i++) {
        if (strcmp(s, audience_names[i]) == 0) {
            *out = (enum policy_audience)i;
            return 0;
        }
    }
    return RC_EINVAL;
}

/* The public learns that fixes exist (how many, how severe, which branches) from the
 * pre-announcement on, or from the out-of-sequence announcement at creation. */
static bool announced(const struct policy_release *r)
{
    return r->status == POLICY_RELEASE_ANNOUNCED || r->status == POLICY_RELEASE_RELEASED;
}

bool policy_message_embargoed(const char *message_type)
{
    static const char *const types[] = {"release.distributor_notice", "release.distributor_update",
                                        "release.distributor_reminder"};
    for (size_t i = 0; message_type && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(message_type, types[i]) == 0)
            return true;
    return false;
}

bool policy_disclosure_distributors_entitled(const struct policy_release *r)
{
    return r->distributors_notified_at != POLICY_TIME_NONE || r->status == POLICY_RELEASE_RELEASED;
}

struct policy_release_visibility policy_disclosure_release(enum policy_audience a,
                                                           const struct policy_release *r)
{
    struct policy_release_visibility v = {0};
    if (!r) {
        /* A message about no release (an SLA reminder, a delivery report): the team's alone. */
        v.counts = v.versions = v.notice = v.issues = v.every_change = v.previous_date = v.audit =
            a == POLICY_AUDIENCE_TEAM;
        return v;
    }
    v.advisories = r->status == POLICY_RELEASE_RELEASED;
    v.previous_date = true;
    v.audit = a == POLICY_AUDIENCE_TEAM;
    if (a == POLICY_AUDIENCE_TEAM ||
        (a == POLICY_AUDIENCE_DISTRIBUTORS && policy_disclosure_distributors_entitled(r))) {
        v.counts = v.versions = v.notice = v.issues = v.every_change = true;
        return v;
    }
    /* The public, and distributors before their notice: a planned window looks the same
     * whether or not fixes are batched into it. */
    v.counts = v.versions = v.notice = announced(r);
    return v;
}

struct policy_issue_visibility policy_disclosure_issue(enum policy_audience a,
                                                       const struct policy_release *r,
                                                       const struct policy_issue *i)
{
    struct policy_issue_visibility v = {0};
    switch (a) {
    case POLICY_AUDIENCE_TEAM:
        v.listed = v.title = v.level = v.severity = v.cve = v.ghsa = v.summary = v.branches =
            v.versions = v.credits = v.advisory_url = v.published = v.tracking = v.description =
                true;
        break;
    case POLICY_AUDIENCE_DISTRIBUTORS:
        /* The embargoed list: every issue of a release they were notified of, except rejected
         * reports; never the description. */
        if (r && policy_disclosure_distributors_entitled(r) && i->status != POLICY_ISSUE_REJECTED)
            v.listed = v.title = v.level = v.severity = v.cve = v.ghsa = v.summary = v.branches =
                v.versions = v.credits = v.advisory_url = v.published = v.tracking = true;
        break;
    case POLICY_AUDIENCE_PUBLIC:
        /* An advisory's public fields, once both the release and the issue are released: what
         * was fixed, how bad it was (vector, score, label, level), which versions are affected
         * and which fix it, who is credited, where the advisory is and when it was published.
         * Never the tracking (status history, deadlines) nor the description. */
        if (r && r->status == POLICY_RELEASE_RELEASED && i->status == POLICY_ISSUE_RELEASED)
            v.listed = v.title = v.level = v.severity = v.cve = v.ghsa = v.summary = v.branches =
                v.versions = v.credits = v.advisory_url = v.published = true;
        break;
    default:
        break;
    }
    return v;
}

bool policy_disclosure_issue_changed(enum policy_audience a, const struct policy_release *r,
                                     const struct policy_issue *before,
                                     const struct policy_issue *after,
                                     const struct policy_issue_changes *c)
{
    struct policy_issue_visibility x = policy_disclosure_issue(a, r, before);
    struct policy_issue_visibility y = policy_disclosure_issue(a, r, after);
    return x.listed != y.listed || ((x.title || y.title) && c->title) ||
           ((x.severity || y.severity || x.level || y.level) && c->severity) ||
           ((x.cve || y.cve) && c->cve) || ((x.ghsa || y.ghsa) && c->ghsa) ||
           ((x.summary || y.summary) && c->summary) || ((x.credits || y.credits) && c->credits) ||
           ((x.advisory_url || y.advisory_url) && c->advisory_url) ||
           ((x.branches || y.branches) && c->branches) || ((x.tracking || y.tracking) && c->status);
}

bool policy_disclosure_hold(enum policy_audience a, const char *message_type,
                            const struct policy_release *r)
{
    if (a != POLICY_AUDIENCE_PUBLIC || !message_type ||
        strcmp(message_type, "release.published") != 0)
        return false;
    return !r || r->status != POLICY_RELEASE_RELEASED;
}

bool policy_disclosure_public_change(const struct policy_release *before,
                                     const struct policy_release *after)
{
    return !before || before->status != after->status || before->sequence != after->sequence ||
           before->kind != after->kind;
}

bool policy_release_in_feed(const struct policy_release *r, int64_t now)
{
    if (r->ends_at < now - 366 * SECONDS_PER_DAY)
        return false;
    if (r->status == POLICY_RELEASE_SKIPPED || r->status == POLICY_RELEASE_CANCELLED)
        return r->starts_at >= now - 90 * SECONDS_PER_DAY;
    return true;
}
