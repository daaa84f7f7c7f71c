/* safe.c: escaping for terminal output; see safe.h. */
#include "safe.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

char *safe_strdup(const char *s)
{
    ev_buf b = {0};

    if (s)
        ev_buf_put_escaped(&b, s, strlen(s));
    return ev_buf_steal(&b);
}

void safe_fputs(const char *s, FILE *f)
{
    char *e;

    if (!s)
        return;
    e = safe_strdup(s);
    fputs(e, f);
    free(e);
}

/* Whether s would print differently escaped. */
static bool needs_escape(const char *s)
{
    char *e = safe_strdup(s);
    bool differs = strcmp(e, s) != 0;

    free(e);
    return differs;
}

/* Rebuild object o with escaped member names, keeping their order. */
static void escape_names(json_t *o)
{
    json_t *copy = json_object(), *value;
    const char *name;

    json_object_foreach(o, name, value) {
        char *e = safe_strdup(name);
        json_object_set(copy, e, value);
        free(e);
    }
    json_object_clear(o);
    json_object_update(o, copy);
    json_decref(copy);
}

void safe_json(json_t *v)
{
    json_t *item;
    const char *name;
    size_t i;
    bool bad_name = false;

    if (json_is_string(v)) {
        if (needs_escape(json_string_value(v))) {
            char *e = safe_strdup(json_string_value(v));
            json_string_set(v, e);
            free(e);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item)
            safe_json(item);
    } else if (json_is_object(v)) {
        json_object_foreach(v, name, item) {
            safe_json(item);
            bad_name = bad_name || needs_escape(name);
        }
        if (bad_name)
            escape_names(v);
    }
}
