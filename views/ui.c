/* Placeholder until the views land. */
#include <stdio.h>
#include "views/ui.h"

int ui_run(const struct ui_options *options, char *err, size_t err_size)
{
	(void)options;
	snprintf(err, err_size, "the terminal UI is not built yet");
	return -1;
}
