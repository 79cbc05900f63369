/* CVSS v3.0 and v3.1 base scores, per the FIRST specification documents (section 7.1 base
 * equations, Appendix A Roundup for 3.1). Temporal and environmental metrics are validated but
 * do not change the base score. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "policy/severity_internal.h"

enum { AV, AC, PR, UI, S, C, I, A, N_BASE };

static const struct sev_metric metrics[] = {
    {"AV", {"N", "A", "L", "P", NULL}, true},
    {"AC", {"L", "H", NULL}, true},
    {"PR", {"N", "L", "H", NULL}, true},
    {"UI", {"N", "R", NULL}, true},
    {"S", {"U", "C", NULL}, true},
    {"C", {"H", "L", "N", NULL}, true},
    {"I", {"H", "L", "N", NULL}, true},
    {"A", {"H", "L", "N", NULL}, true},
    /* Temporal */
    {"E", {"X", "U", "P", "F", "H", NULL}, false},
    {"RL", {"X", "O", "T", "W", "U", NULL}, false},
    {"RC", {"X", "U", "R", "C", NULL}, false},
    /* Environmental */
    {"CR", {"X", "L", "M", "H", NULL}, false},
    {"IR", {"X", "L", "M", "H", NULL}, false},
    {"AR", {"X", "L", "M", "H", NULL}, false},
    {"MAV", {"X", "N", "A", "L", "P", NULL}, false},
    {"MAC", {"X", "L", "H", NULL}, false},
    {"MPR", {"X", "N", "L", "H", NULL}, false},
    {"MUI", {"X", "N", "R", NULL}, false},
    {"MS", {"X", "U", "C", NULL}, false},
    {"MC", {"X", "N", "L", "H", NULL}, false},
    {"MI", {"X", "N", "L", "H", NULL}, false},
    {"MA", {"X", "N", "L", "H", NULL}, false},
};
#define N_METRICS (sizeof metrics / sizeof metrics[0])

/* CVSS v3.1 Appendix A: the smallest number, to one decimal, >= input, computed on integers so
 * that 4.000000001-style floating point noise does not round up. */
static double roundup31(double x)
{
    int64_t i = (int64_t)llround(x * 100000.0);
    if (i % 10000 == 0)
        return (double)i / 100000.0;
    return (double)(i / 10000 + 1) / 10.0;
}

/* CVSS v3.0: round up to one decimal. */
static double roundup30(double x)
{
    return ceil(x * 10.0) / 10.0;
}

int sev_score_cvss3(const char *vector, bool v31, struct policy_severity *out, char *err,
                    size_t err_len)
{
    int idx[N_METRICS];
    int rc = sev_parse_metrics(vector, metrics, N_METRICS, false, idx, err, err_len);
    if (rc < 0)
        return rc;
    static const double av[] = {0.85, 0.62, 0.55, 0.2};
    static const double ac[] = {0.77, 0.44};
    static const double pr_unchanged[] = {0.85, 0.62, 0.27};
    static const double pr_changed[] = {0.85, 0.68, 0.5};
    static const double ui[] = {0.85, 0.62};
    static const double cia[] = {0.56, 0.22, 0.0};
    bool changed = idx[S] == 1;
    double iss = 1.0 - (1.0 - cia[idx[C]]) * (1.0 - cia[idx[I]]) * (1.0 - cia[idx[A]]);
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
    double expl = 8.22 * av[idx[AV]] * ac[idx[AC]] *
                  (changed ? pr_changed : pr_unchanged)[idx[PR]] * ui[idx[UI]];
    double score = 0.0;
    if (impact > 0) {
        double raw = changed ? fmin(1.08 * (impact + expl), 10.0) : fmin(impact + expl, 10.0);
        score = v31 ? roundup31(raw) : roundup30(raw);
    }
    out->scheme = v31 ? POLICY_SCHEME_CVSS31 : POLICY_SCHEME_CVSS30;
    out->score = score;
    out->level = policy_level_from_cvss(score);
    strcpy(out->label, sev_cvss_label(score));
    return 0;
}
