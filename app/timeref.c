/*
 * Zone names are checked against the tz database files themselves (each
 * starts with the "TZif" magic, RFC 8536), so a folder such as "Europe" or
 * a table such as "zone.tab" is not taken for a zone.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/timeref.h"

static const char *zone_folder(void)
{
	const char *dir = getenv("TZDIR");

	return dir && dir[0] ? dir : "/usr/share/zoneinfo";
}

/* Letters, digits and "_+-/" only, no empty or ".." part, so a name can
 * never reach outside the tz database folder. */
static bool zone_name_well_formed(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > 64 || name[0] == '/' || name[len - 1] == '/')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '-' || c == '/' || c == '.'))
			return false;
		if (c == '/' && name[i + 1] == '/')
			return false;
	}
	return strstr(name, "..") == NULL && name[0] != '.';
}

bool timeref_zone_valid(const char *name, char *err, size_t err_size)
{
	char path[PATH_MAX];
	char magic[4];
	FILE *f;
	bool ok;

	if (!zone_name_well_formed(name)) {
		snprintf(err, err_size, "invalid time zone \"%s\": use an IANA name such as "
			 "America/New_York or UTC", name);
		return false;
	}
	if (strcmp(name, "UTC") == 0)
		return true;
	snprintf(path, sizeof path, "%s/%s", zone_folder(), name);
	f = fopen(path, "rb");
	ok = f && fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic, "TZif", 4) == 0;
	if (f)
		fclose(f);
	if (!ok) {
		if (access(zone_folder(), R_OK) != 0)
			snprintf(err, err_size, "unknown time zone \"%s\": the tz database folder %s "
				 "is missing, install the tzdata package or set TZDIR", name,
				 zone_folder());
		else
			snprintf(err, err_size, "unknown time zone \"%s\": use an IANA name such as "
				 "America/New_York or UTC (see %s)", name, zone_folder());
	}
	return ok;
}

void timeref_local_zone(char *out, size_t size)
{
	const char *tz = getenv("TZ");
	char target[PATH_MAX];
	const char *marker;
	ssize_t n;
	FILE *f;

	if (tz && tz[0]) {
		snprintf(out, size, "%s", tz[0] == ':' ? tz + 1 : tz);
		return;
	}

	n = readlink("/etc/localtime", target, sizeof target - 1);
	if (n > 0) {
		target[n] = '\0';
		marker = strstr(target, "zoneinfo/");
		if (marker) {
			snprintf(out, size, "%s", marker + strlen("zoneinfo/"));
			return;
		}
	}

	f = fopen("/etc/timezone", "r");
	if (f) {
		char line[128];

		if (fgets(line, sizeof line, f)) {
			line[strcspn(line, " \t\r\n")] = '\0';
			if (line[0]) {
				snprintf(out, size, "%s", line);
				fclose(f);
				return;
			}
		}
		fclose(f);
	}
	snprintf(out, size, "UTC");
}

int timeref_now(const char *zone, struct cal_datetime *out, char *err, size_t err_size)
{
	time_t now = time(NULL);
	char *saved = NULL;
	const char *old;
	struct tm tm;
	bool ok;

	if (zone) {
		old = getenv("TZ");
		if (old)
			saved = strdup(old);
		setenv("TZ", zone, 1);
		tzset();
	}
	ok = localtime_r(&now, &tm) != NULL;
	if (zone) {
		if (saved)
			setenv("TZ", saved, 1);
		else
			unsetenv("TZ");
		tzset();
		free(saved);
	}
	if (!ok) {
		snprintf(err, err_size, "cannot read the current time in zone \"%s\"",
			 zone ? zone : "local");
		return -1;
	}

	out->date.year = tm.tm_year + 1900;
	out->date.month = tm.tm_mon + 1;
	out->date.day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->minute = tm.tm_min;
	/* A leap second (tm_sec 60) is shown as the last second of the minute. */
	out->second = tm.tm_sec > 59 ? 59 : tm.tm_sec;
	return 0;
}
