/* Release edges (docs/POLICY.md "Moving and cancelling releases", "Publishing", "Versions"):
 * moves that change nothing, the bounds of a release date, which issues block a publication,
 * whether a cancellation stretches the embargo, and the versions of every release of a project.
 * Pure functions of (policy, state, now). */
#ifndef RELCAL_POLICY_RELEASES_H
#define RELCAL_POLICY_RELEASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/rules.h"

/* A move to the instant the release already starts at changes nothing: no SEQUENCE, no
 * message, no audit row. */
bool policy_move_noop(const struct policy_release *rel, int64_t new_start);

/* The latest instant a release may be set to: `now` plus max_release_horizon_years calendar
 * years, same UTC time of day (29 February gives 28 February). */
int64_t policy_release_latest(const struct policy_rules *r, int64_t now);

/* The bounds of a release date, for creating and moving alike and whatever an override says:
 * not before `now`, not after policy_release_latest. RC_EINVAL otherwise, with why->message
 * (naming `date`), why->code "date_in_past" or "date_too_far" (the HTTP code stays
 * validation_failed) and why->limit (the bound crossed). */
int policy_release_date_check(const struct policy_rules *r, int64_t now, int64_t date,
                              struct policy_refusal *why);

/* Publishing: the issues that block it, every one that is not fix_ready (rejected and already
 * released issues ship nothing and block nothing). Writes their indices into `out` (room for
 * n) and returns how many. */
size_t policy_publish_blockers(const struct policy_issue *issues, size_t n, size_t *out);

/* An announced release left with nothing to ship: none of `issues` (what it would hold after a
 * change) is anything but rejected. A change that would leave it so is refused
 * (would_empty_release) unless an admin overrides, and such a release is never "next" for anyone
 * (docs/POLICY.md "Moving and cancelling releases"). Planned windows may be empty: nobody was
 * told anything about them. */
bool policy_release_emptied(const struct policy_release *rel, const struct policy_issue *issues,
                            size_t n);

/* Cancelling release rels[cancel] (docs/POLICY.md "Moving and cancelling releases"): once its
 * distributors were notified, every issue of it (`issues`, rejected ones ignored) goes back to
 * batching and must land, as policy_batch_select would place it with this release cancelled,
 * in a release starting by distributors_notified_at + max_embargo_days. An issue that lands
 * nowhere (no fix yet, no window) would be held without end. RC_EPOLICY "embargo_too_long"
 * with why->limit (the latest allowed start) otherwise; an admin override is the caller's
 * decision. */
int policy_cancel_check(const struct policy_rules *r, const struct policy_release *rels,
                        size_t n_rels, size_t cancel, const struct policy_issue *issues,
                        size_t n_issues, struct policy_refusal *why);

/* Orders dotted versions by their components, numerically where both are numbers ("5.1.10" >
 * "5.1.9", "5.2" > "5.1.9"), else by bytes; a version that is a prefix of the other is lower.
 * <0, 0, >0 like strcmp. */
int policy_version_cmp(const char *a, const char *b);

/* One release as the version numbering sees it. */
struct policy_versioned_release {
    int64_t starts_at;
    enum policy_release_status status;
    uint32_t branches;                   /* branch bits of its issues (rejected ones excluded) */
    const struct policy_version *frozen; /* published: the versions stored then; else NULL */
    size_t n_frozen;
};

/* The versions rels[target] ships (docs/POLICY.md "Versions"). `rels` are every release of the
 * project in date order. A release with frozen versions ships those, forever. Skipped and
 * cancelled releases ship nothing. Every other release ships, for each branch its issues
 * affect that is not past its EOL on the release's day (in the project's branch order), the
 * next number on that branch: counting in date order from the highest of the config's version
 * and every frozen version of the branch, so two releases never claim the same number.
 * Returns the number written (<= cap). */
size_t policy_versions_numbered(const struct policy_project *p,
                                const struct policy_versioned_release *rels, size_t n,
                                size_t target, struct policy_version *out, size_t cap);

/* Whether the numbering reads the branches of this release's issues: not when its versions are
 * frozen, nor when it is skipped or cancelled (it ships nothing). */
bool policy_versions_from_issues(const struct policy_versioned_release *r);

/* Whether a release's versions are to be frozen now: it is published and nothing is frozen
 * (a release published before schema v7; docs/POLICY.md "Versions"). */
bool policy_versions_to_freeze(const struct policy_versioned_release *r);

/* A published release's versions (what it shipped), for policy_current_versions. */
struct policy_shipped {
    int64_t starts_at;
    const struct policy_version *v;
    size_t n;
};

/* Sets each branch of p to the version it is at (docs/POLICY.md "Versions"): that of its
 * latest published release (by release date) that shipped one on the branch, else the config's
 * as it was. `rels` are the project's published releases, in any order. */
void policy_current_versions(struct policy_project *p, const struct policy_shipped *rels, size_t n);

#endif
