/* The zones the renderers' tests give them, resolved once as the config loader does: a group
 * setup and teardown for cmocka (cmocka_run_group_tests(tests, load_zones, free_zones)). Included
 * by one test file each; needs relcal_config. */
#ifndef RELCAL_TESTS_ZONES_FIXTURE_H
#define RELCAL_TESTS_ZONES_FIXTURE_H

#include "config/zone.h"

static struct policy_zone *berlin, *utc;

static int load_zones(void **state)
{
    (void)state;
    return config_zone_load("Europe/Berlin", &berlin) == 0 && config_zone_load("UTC", &utc) == 0
               ? 0
               : -1;
}

static int free_zones(void **state)
{
    (void)state;
    policy_zone_free(berlin);
    policy_zone_free(utc);
    return 0;
}

#endif
