/* Style: mm→pt and the font-role names (see style.h). */
#include "style.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {
	"title", "body", "heading", "subheading", "latin", "pagenum"
};

double
style_mm(double mm)
{
	/* 72 / 25.4, rounded as config.c has always used it. */
	return mm * 2.834645669;
}

const char *
style_role_name(enum font_role role)
{
	return (unsigned)role < ROLE_COUNT ? role_names[role] : "?";
}

int
style_role_from_name(const char *name)
{
	int i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (!strcmp(role_names[i], name))
			return i;
	return -1;
}
