/* The CVSS v4.0 macrovector score table (data from the FIRST specification). */
#ifndef RELCAL_POLICY_CVSS4_TABLE_H
#define RELCAL_POLICY_CVSS4_TABLE_H

#define CVSS4_MACRO_COUNT (3 * 2 * 3 * 3 * 3 * 2)

extern const short cvss4_macro_scores[CVSS4_MACRO_COUNT];

#endif
