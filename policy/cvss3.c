/* CVSS v3.0 and v3.1 scores, per the FIRST specification documents (section 7.1 base, 7.2
 * temporal and 7.3 environmental equations, Appendix A Roundup for 3.1). The score shown is the
 * most specific one the vector carries (docs/POLICY.md "Severity"): environmental when an
 * environmental metric is given other than X, else temporal when a temporal one is, else base. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/nelem.h"
#include "policy/severity_internal.h"

enum { AV, AC, PR, UI, S, C, I, A, E, RL, RC, CR, IR, AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA };

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
#define N_METRICS NELEM(metrics)

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

/* Index of the metric's value in the base table's order, the modified metric `m` (whose list
 * starts with X) overriding the base metric `b` when given; `map` turns the modified list's
 * index (after X) into the base list's. */
static int modified(const int *idx, int b, int m, const int *map)
{
    return idx[m] > 0 ? map[idx[m] - 1] : idx[b];
}

static double impact_sub(bool changed, double iss, bool v31, bool env)
{
    if (!changed)
        return 6.42 * iss;
    if (env && v31) /* 3.1 section 7.3 ModifiedImpact */
        return 7.52 * (iss - 0.029) - 3.25 * pow(iss * 0.9731 - 0.02, 13);
    return 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
}

int policy__sev_score_cvss3(const char *vector, bool v31, struct policy_severity *out, char *err,
                            size_t err_len)
{
    int idx[N_METRICS];
    int rc = policy__sev_parse_metrics(vector, metrics, N_METRICS, false, idx, err, err_len);
    if (rc < 0)
        return rc;
    static const double av[] = {0.85, 0.62, 0.55, 0.2};
    static const double ac[] = {0.77, 0.44};
    static const double pr_unchanged[] = {0.85, 0.62, 0.27};
    static const double pr_changed[] = {0.85, 0.68, 0.5};
    static const double ui[] = {0.85, 0.62};
    static const double cia[] = {0.56, 0.22, 0.0};
    /* Temporal (X, U, P, F, H / X, O, T, W, U / X, U, R, C) and requirement (X, L, M, H)
     * weights, section 7.4. */
    static const double e_w[] = {1.0, 0.91, 0.94, 0.97, 1.0};
    static const double rl_w[] = {1.0, 0.95, 0.96, 0.97, 1.0};
    static const double rc_w[] = {1.0, 0.92, 0.96, 1.0};
    static const double req_w[] = {1.0, 0.5, 1.0, 1.5};
    double (*round_up)(double) = v31 ? roundup31 : roundup30;

    bool temporal = false, environmental = false;
    for (int m = E; m <= RC; m++)
        temporal = temporal || idx[m] > 0;
    for (int m = CR; m <= MA; m++)
        environmental = environmental || idx[m] > 0;
    double tw = (idx[E] > 0 ? e_w[idx[E]] : 1.0) * (idx[RL] > 0 ? rl_w[idx[RL]] : 1.0) *
                (idx[RC] > 0 ? rc_w[idx[RC]] : 1.0);

    double score = 0.0;
    if (!environmental) {
        bool changed = idx[S] == 1;
        double iss = 1.0 - (1.0 - cia[idx[C]]) * (1.0 - cia[idx[I]]) * (1.0 - cia[idx[A]]);
        double impact = impact_sub(changed, iss, v31, false);
        double expl = 8.22 * av[idx[AV]] * ac[idx[AC]] *
                      (changed ? pr_changed : pr_unchanged)[idx[PR]] * ui[idx[UI]];
        if (impact > 0) {
            double raw = changed ? fmin(1.08 * (impact + expl), 10.0) : fmin(impact + expl, 10.0);
            score = round_up(raw);
            if (temporal)
                score = round_up(score * tw);
        }
    } else {
        /* Modified lists start with X; the rest map onto the base lists' order. */
        static const int mav_map[] = {0, 1, 2, 3}; /* N A L P */
        static const int mac_map[] = {0, 1};       /* L H */
        static const int mpr_map[] = {0, 1, 2};    /* N L H */
        static const int mui_map[] = {0, 1};       /* N R */
        static const int ms_map[] = {0, 1};        /* U C */
        static const int mcia_map[] = {2, 1, 0};   /* N L H -> H L N order */
        bool changed = modified(idx, S, MS, ms_map) == 1;
        double cr = idx[CR] > 0 ? req_w[idx[CR]] : 1.0, ir = idx[IR] > 0 ? req_w[idx[IR]] : 1.0,
               ar = idx[AR] > 0 ? req_w[idx[AR]] : 1.0;
        double miss = fmin(1.0 - (1.0 - cr * cia[modified(idx, C, MC, mcia_map)]) *
                                     (1.0 - ir * cia[modified(idx, I, MI, mcia_map)]) *
                                     (1.0 - ar * cia[modified(idx, A, MA, mcia_map)]),
                           0.915);
        double impact = impact_sub(changed, miss, v31, true);
        double expl = 8.22 * av[modified(idx, AV, MAV, mav_map)] *
                      ac[modified(idx, AC, MAC, mac_map)] *
                      (changed ? pr_changed : pr_unchanged)[modified(idx, PR, MPR, mpr_map)] *
                      ui[modified(idx, UI, MUI, mui_map)];
        if (impact > 0) {
            double raw = changed ? fmin(1.08 * (impact + expl), 10.0) : fmin(impact + expl, 10.0);
            score = round_up(round_up(raw) * tw);
        }
    }
    out->scheme = v31 ? POLICY_SCHEME_CVSS31 : POLICY_SCHEME_CVSS30;
    out->score = score;
    out->level = policy_level_from_cvss(score);
    snprintf(out->label, sizeof out->label, "%s", policy__sev_cvss_label(score));
    snprintf(out->score_type, sizeof out->score_type, "%s",
             environmental ? "environmental"
             : temporal    ? "temporal"
                           : "base");
    return 0;
}
