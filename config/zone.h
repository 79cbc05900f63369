/* Zones from the system tzdata: reads a zone's TZif file under /usr/share/zoneinfo and builds it
 * with the pure policy_zone_new (policy/zone.h). The config loader resolves each project's zone
 * once with it (config_project.zone, carried as policy_project.zone); a zone name the config
 * does not hold (the time zone the service reports to `relcal next --server`) goes through it
 * too. */
#ifndef RELCAL_CONFIG_ZONE_H
#define RELCAL_CONFIG_ZONE_H

#include "policy/zone.h"

/* Loads zone `name` ("Europe/Berlin"; "UTC" and "Etc/UTC" need no file). Returns 0, or
 * RC_ENOTFOUND for a name that is not a readable, valid TZif file under the zone directory
 * (absolute paths, "..", and characters outside A-Z a-z 0-9 / _ - + are refused). On success
 * *out is owned by the caller: policy_zone_free. */
int config_zone_load(const char *name, struct policy_zone **out);

#endif
