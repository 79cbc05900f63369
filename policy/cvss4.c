/* CVSS v4.0 scores per the FIRST v4.0 specification (section 8): the vector's equivalence
 * classes EQ1..EQ6 select a macrovector whose score comes from the published table; the score
 * is then interpolated by the vector's severity distance from the highest-severity vectors of
 * that macrovector, relative to the next lower macrovectors. Threat (E) and environmental
 * metrics take part when given; without them this is the CVSS-B score. Checked against the
 * reference calculator on every base vector and on 100,000 random full vectors. Metrics are
 * accepted in any order (that calculator wants the spec's order; advisories reorder them). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "policy/cvss4_table.h"
#include "policy/severity_internal.h"

/* Metric table: base first, then threat, environmental, supplemental. */
enum {
    AV,
    AC,
    AT,
    PR,
    UI,
    VC,
    VI,
    VA,
    SC,
    SI,
    SA, /* base */
    E,  /* threat */
    CR,
    IR,
    AR,
    MAV,
    MAC,
    MAT,
    MPR,
    MUI,
    MVC,
    MVI,
    MVA,
    MSC,
    MSI,
    MSA,
    S_,
    AU,
    R_,
    V_,
    RE,
    U_, /* supplemental: validated, no effect on the score */
    N_METRICS
};

static const struct sev_metric metrics[N_METRICS] = {
    [AV] = {"AV", {"N", "A", "L", "P", NULL}, true},
    [AC] = {"AC", {"L", "H", NULL}, true},
    [AT] = {"AT", {"N", "P", NULL}, true},
    [PR] = {"PR", {"N", "L", "H", NULL}, true},
    [UI] = {"UI", {"N", "P", "A", NULL}, true},
    [VC] = {"VC", {"H", "L", "N", NULL}, true},
    [VI] = {"VI", {"H", "L", "N", NULL}, true},
    [VA] = {"VA", {"H", "L", "N", NULL}, true},
    [SC] = {"SC", {"H", "L", "N", NULL}, true},
    [SI] = {"SI", {"H", "L", "N", NULL}, true},
    [SA] = {"SA", {"H", "L", "N", NULL}, true},
    [E] = {"E", {"X", "A", "P", "U", NULL}, false},
    [CR] = {"CR", {"X", "H", "M", "L", NULL}, false},
    [IR] = {"IR", {"X", "H", "M", "L", NULL}, false},
    [AR] = {"AR", {"X", "H", "M", "L", NULL}, false},
    [MAV] = {"MAV", {"X", "N", "A", "L", "P", NULL}, false},
    [MAC] = {"MAC", {"X", "L", "H", NULL}, false},
    [MAT] = {"MAT", {"X", "N", "P", NULL}, false},
    [MPR] = {"MPR", {"X", "N", "L", "H", NULL}, false},
    [MUI] = {"MUI", {"X", "N", "P", "A", NULL}, false},
    [MVC] = {"MVC", {"X", "H", "L", "N", NULL}, false},
    [MVI] = {"MVI", {"X", "H", "L", "N", NULL}, false},
    [MVA] = {"MVA", {"X", "H", "L", "N", NULL}, false},
    [MSC] = {"MSC", {"X", "H", "L", "N", NULL}, false},
    [MSI] = {"MSI", {"X", "S", "H", "L", "N", NULL}, false},
    [MSA] = {"MSA", {"X", "S", "H", "L", "N", NULL}, false},
    [S_] = {"S", {"X", "N", "P", NULL}, false},
    [AU] = {"AU", {"X", "N", "Y", NULL}, false},
    [R_] = {"R", {"X", "A", "U", "I", NULL}, false},
    [V_] = {"V", {"X", "D", "C", NULL}, false},
    [RE] = {"RE", {"X", "L", "M", "H", NULL}, false},
    [U_] = {"U", {"X", "Clear", "Green", "Amber", "Red", NULL}, false},
};

/* The 15 metrics that carry a severity level, with each value's level in tenths (the spec's
 * "severity distance" steps of 0.1). */
enum {
    L_AV,
    L_PR,
    L_UI,
    L_AC,
    L_AT,
    L_VC,
    L_VI,
    L_VA,
    L_SC,
    L_SI,
    L_SA,
    L_CR,
    L_IR,
    L_AR,
    L_E,
    N_LEVELS
};

struct level_def {
    const char *name;
    const char *values; /* one character per value */
    const signed char tenths[5];
};

static const struct level_def level_defs[N_LEVELS] = {
    [L_AV] = {"AV", "NALP", {0, 1, 2, 3}}, [L_PR] = {"PR", "NLH", {0, 1, 2}},
    [L_UI] = {"UI", "NPA", {0, 1, 2}},     [L_AC] = {"AC", "LH", {0, 1}},
    [L_AT] = {"AT", "NP", {0, 1}},         [L_VC] = {"VC", "HLN", {0, 1, 2}},
    [L_VI] = {"VI", "HLN", {0, 1, 2}},     [L_VA] = {"VA", "HLN", {0, 1, 2}},
    [L_SC] = {"SC", "HLN", {1, 2, 3}},     [L_SI] = {"SI", "SHLN", {0, 1, 2, 3}},
    [L_SA] = {"SA", "SHLN", {0, 1, 2, 3}}, [L_CR] = {"CR", "HML", {0, 1, 2}},
    [L_IR] = {"IR", "HML", {0, 1, 2}},     [L_AR] = {"AR", "HML", {0, 1, 2}},
    [L_E] = {"E", "APU", {0, 1, 2}},
};

static int level_of(int which, char value)
{
    const char *p = strchr(level_defs[which].values, value);
    return p ? level_defs[which].tenths[p - level_defs[which].values] : -1;
}

/* Highest-severity vectors of each macrovector class (FIRST v4.0 reference "max composed"). */
static const char *const max_eq1[3][3] = {
    {"AV:N/PR:N/UI:N"},
    {"AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"},
    {"AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"},
};
static const char *const max_eq2[2][2] = {{"AC:L/AT:N"}, {"AC:H/AT:N", "AC:L/AT:P"}};
static const char *const max_eq3eq6[3][2][5] = {
    {{"VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"},
     {"VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"}},
    {{"VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"},
     {"VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
      "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
      "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M"}},
    {{NULL}, {"VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"}},
};
static const char *const max_eq4[3] = {"SC:H/SI:S/SA:S", "SC:H/SI:H/SA:H", "SC:L/SI:L/SA:L"};
static const char *const max_eq5[3] = {"E:A", "E:P", "E:U"};

/* Maximal severity distance within each class, in tenths (the reference's MAX_SEVERITY). */
static const int max_sev_eq1[3] = {1, 4, 5};
static const int max_sev_eq2[2] = {1, 2};
static const int max_sev_eq3eq6[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int max_sev_eq4[3] = {6, 5, 4};

/* Writes the levels named in a "K:V/K:V" fragment into lv. */
static void apply_fragment(const char *frag, int lv[N_LEVELS])
{
    const char *p = frag;
    while (p && *p) {
        const char *colon = strchr(p, ':');
        for (int i = 0; i < N_LEVELS; i++) {
            size_t n = strlen(level_defs[i].name);
            if ((size_t)(colon - p) == n && strncmp(p, level_defs[i].name, n) == 0)
                lv[i] = level_of(i, colon[1]);
        }
        p = strchr(colon, '/');
        if (p)
            p++;
    }
}

static int macro_index(const int eq[6])
{
    if (eq[0] > 2 || eq[1] > 1 || eq[2] > 2 || eq[3] > 2 || eq[4] > 2 || eq[5] > 1)
        return -1;
    return ((((eq[0] * 2 + eq[1]) * 3 + eq[2]) * 3 + eq[3]) * 3 + eq[4]) * 2 + eq[5];
}

/* Score of a macrovector in tenths, or -1 when it does not exist. */
static int macro_score(const int eq[6])
{
    int i = macro_index(eq);
    return i < 0 ? -1 : cvss4_macro_scores[i];
}

static int lower_score(const int eq[6], int which, int delta3, int delta6)
{
    int e[6];
    memcpy(e, eq, sizeof e);
    if (which >= 0)
        e[which]++;
    e[2] += delta3;
    e[5] += delta6;
    return macro_score(e);
}

/* Effective value character of a base metric: the modified metric when given, else the base. */
static char eff(const int *idx, int base, int modified)
{
    if (modified >= 0 && idx[modified] > 0)
        return metrics[modified].values[idx[modified]][0];
    return metrics[base].values[idx[base]][0];
}

/* The effective value of each metric (the modified one where given) as its letter. */
struct effective {
    char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
};

static void effective_values(const int *idx, struct effective *v)
{
    v->av = eff(idx, AV, MAV), v->ac = eff(idx, AC, MAC), v->at = eff(idx, AT, MAT);
    v->pr = eff(idx, PR, MPR), v->ui = eff(idx, UI, MUI);
    v->vc = eff(idx, VC, MVC), v->vi = eff(idx, VI, MVI), v->va = eff(idx, VA, MVA);
    v->sc = eff(idx, SC, MSC), v->si = eff(idx, SI, MSI), v->sa = eff(idx, SA, MSA);
    v->e = idx[E] > 0 ? metrics[E].values[idx[E]][0] : 'A'; /* X means "assume attacked" */
    v->cr = idx[CR] > 0 ? metrics[CR].values[idx[CR]][0] : 'H';
    v->ir = idx[IR] > 0 ? metrics[IR].values[idx[IR]][0] : 'H';
    v->ar = idx[AR] > 0 ? metrics[AR].values[idx[AR]][0] : 'H';
}

/* The macrovector: the level of each of the six equivalence sets. */
static void equivalence_sets(const struct effective *v, int eq[6])
{
    bool any_n = v->av == 'N' || v->pr == 'N' || v->ui == 'N';
    eq[0] = (v->av == 'N' && v->pr == 'N' && v->ui == 'N') ? 0 : (any_n && v->av != 'P') ? 1 : 2;
    eq[1] = (v->ac == 'L' && v->at == 'N') ? 0 : 1;
    eq[2] = (v->vc == 'H' && v->vi == 'H')                   ? 0
            : (v->vc == 'H' || v->vi == 'H' || v->va == 'H') ? 1
                                                             : 2;
    eq[3] = (v->si == 'S' || v->sa == 'S')                   ? 0
            : (v->sc == 'H' || v->si == 'H' || v->sa == 'H') ? 1
                                                             : 2;
    eq[4] = v->e == 'A' ? 0 : v->e == 'P' ? 1 : 2;
    eq[5] = ((v->cr == 'H' && v->vc == 'H') || (v->ir == 'H' && v->vi == 'H') ||
             (v->ar == 'H' && v->va == 'H'))
                ? 0
                : 1;
}

/* The scores of the next lower macrovectors, per set (-1: none); EQ3 and EQ6 move together. */
static void lower_scores(const int eq[6], int lower[5])
{
    lower[0] = lower_score(eq, 0, 0, 0);
    lower[1] = lower_score(eq, 1, 0, 0);
    if (eq[2] == 0 && eq[5] == 0) {
        int left = lower_score(eq, -1, 0, 1), right = lower_score(eq, -1, 1, 0);
        lower[2] = left > right ? left : right;
    } else if (eq[2] == 1 && eq[5] == 0) {
        lower[2] = lower_score(eq, -1, 0, 1);
    } else if ((eq[2] == 0 || eq[2] == 1) && eq[5] == 1) {
        lower[2] = lower_score(eq, -1, 1, 0);
    } else {
        lower[2] = lower_score(eq, -1, 1, 1);
    }
    lower[3] = lower_score(eq, 3, 0, 0);
    lower[4] = lower_score(eq, 4, 0, 0);
}

/* The severity distance of each metric from the first highest-severity vector of the
 * macrovector (in the reference's order) that the vector does not exceed in any metric. */
static void severity_distances(const struct effective *v, const int eq[6], int dist[N_LEVELS])
{
    int cur[N_LEVELS] = {
        [L_AV] = level_of(L_AV, v->av), [L_PR] = level_of(L_PR, v->pr),
        [L_UI] = level_of(L_UI, v->ui), [L_AC] = level_of(L_AC, v->ac),
        [L_AT] = level_of(L_AT, v->at), [L_VC] = level_of(L_VC, v->vc),
        [L_VI] = level_of(L_VI, v->vi), [L_VA] = level_of(L_VA, v->va),
        [L_SC] = level_of(L_SC, v->sc), [L_SI] = level_of(L_SI, v->si),
        [L_SA] = level_of(L_SA, v->sa), [L_CR] = level_of(L_CR, v->cr),
        [L_IR] = level_of(L_IR, v->ir), [L_AR] = level_of(L_AR, v->ar),
        [L_E] = level_of(L_E, v->e),
    };
    for (int k = 0; k < N_LEVELS; k++)
        dist[k] = 0;
    const char *const *l3 = max_eq3eq6[eq[2]][eq[5]];
    bool found = false;
    for (int a = 0; a < 3 && max_eq1[eq[0]][a] && !found; a++)
        for (int b = 0; b < 2 && max_eq2[eq[1]][b] && !found; b++)
            for (int c = 0; c < 5 && l3[c] && !found; c++) {
                int mx[N_LEVELS];
                apply_fragment(max_eq1[eq[0]][a], mx);
                apply_fragment(max_eq2[eq[1]][b], mx);
                apply_fragment(l3[c], mx);
                apply_fragment(max_eq4[eq[3]], mx);
                apply_fragment(max_eq5[eq[4]], mx);
                found = true;
                for (int k = 0; k < N_LEVELS; k++) {
                    dist[k] = cur[k] - mx[k];
                    if (dist[k] < 0)
                        found = false;
                }
            }
}

/* The score of a vector with some impact: the macrovector's score less the mean proportional
 * distance towards the next lower macrovectors, rounded to one decimal. */
static double impact_score(const struct effective *v)
{
    int eq[6];
    equivalence_sets(v, eq);
    int value = macro_score(eq);
    int lower[5];
    lower_scores(eq, lower);
    int dist[N_LEVELS];
    severity_distances(v, eq, dist);
    int cur_dist[4] = {
        dist[L_AV] + dist[L_PR] + dist[L_UI],
        dist[L_AC] + dist[L_AT],
        dist[L_VC] + dist[L_VI] + dist[L_VA] + dist[L_CR] + dist[L_IR] + dist[L_AR],
        dist[L_SC] + dist[L_SI] + dist[L_SA],
    };
    int max_sev[4] = {max_sev_eq1[eq[0]], max_sev_eq2[eq[1]], max_sev_eq3eq6[eq[2]][eq[5]],
                      max_sev_eq4[eq[3]]};
    double sum = 0.0;
    int n_lower = 0;
    for (int k = 0; k < 5; k++) {
        if (lower[k] < 0)
            continue;
        n_lower++;
        if (k < 4) /* EQ5 contributes a zero proportion */
            sum += (value - lower[k]) / 10.0 * ((double)cur_dist[k] / max_sev[k]);
    }
    double mean = n_lower ? sum / n_lower : 0.0;
    double raw = fmax(0.0, fmin(10.0, value / 10.0 - mean));
    /* Round half up to one decimal, with the reference's epsilon against binary noise. */
    return round((raw + 1e-6) * 10.0) / 10.0;
}

int policy__sev_score_cvss4(const char *vector, struct policy_severity *out, char *err,
                            size_t err_len)
{
    int idx[N_METRICS];
    int rc = policy__sev_parse_metrics(vector, metrics, N_METRICS, false, idx, err, err_len);
    if (rc < 0)
        return rc;
    struct effective v;
    effective_values(idx, &v);
    bool no_impact =
        v.vc == 'N' && v.vi == 'N' && v.va == 'N' && v.sc == 'N' && v.si == 'N' && v.sa == 'N';
    double score = no_impact ? 0.0 : impact_score(&v);
    out->scheme = POLICY_SCHEME_CVSS40;
    out->score = score;
    out->level = policy_level_from_cvss(score);
    /* FIRST v4.0 nomenclature (spec section 1.3): B, plus T when a threat metric is given, E
     * when an environmental one is (X is "not defined" and does not count). */
    bool threat = idx[E] > 0, env = false;
    for (int m = CR; m <= MSA; m++)
        env = env || idx[m] > 0;
    snprintf(out->score_type, sizeof out->score_type, "CVSS-B%s%s", threat ? "T" : "",
             env ? "E" : "");
    snprintf(out->label, sizeof out->label, "%s", policy__sev_cvss_label(score));
    return 0;
}
