/* report.c: the human form of an evaluation. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool report_colour(FILE *f)
{
    const char *term = getenv("TERM");
    return isatty(fileno(f)) && !getenv("NO_COLOR") && term && strcmp(term, "dumb") != 0;
}

static const char *status_colour(const char *status)
{
    if (strcmp(status, "met") == 0) return "\033[32m";
    if (strcmp(status, "partial") == 0) return "\033[33m";
    if (strcmp(status, "not-applicable") == 0) return "\033[2m";
    return "\033[31m";      /* missing, expired */
}

void report_requirement(FILE *f, const json_t *req, bool colour, bool all)
{
    const char *id = json_string_value(json_object_get(req, "id"));
    const char *clause = json_string_value(json_object_get(req, "clause"));
    const char *status = json_string_value(json_object_get(req, "status"));
    const json_t *title = json_object_get(req, "title");
    const json_t *per = json_object_get(req, "per_category");
    const json_t *item;
    size_t i;

    if (!id || !status)
        return;
    fprintf(f, "%s%-15s%s %-26s %s\n", colour ? status_colour(status) : "", status,
            colour ? "\033[0m" : "", id, clause ? clause : "");
    if (json_string_value(json_object_get(title, "zh")))
        fprintf(f, "    %s\n", json_string_value(json_object_get(title, "zh")));
    if (json_string_value(json_object_get(title, "en")))
        fprintf(f, "    %s\n", json_string_value(json_object_get(title, "en")));
    if (json_is_object(per) && json_object_size(per) > 0) {
        const char *cat;
        json_t *st;
        fputs("    per category:", f);
        json_object_foreach((json_t *)per, cat, st)
            fprintf(f, " %s=%s", cat, json_string_value(st) ? json_string_value(st) : "?");
        fputc('\n', f);
    }
    json_array_foreach(json_object_get(req, "evidence"), i, item) {
        const char *kind = json_string_value(json_object_get(item, "kind"));
        size_t n = json_array_size(json_object_get(req, "evidence"));
        if (!all && i == REPORT_EVIDENCE_SHOWN && n > REPORT_EVIDENCE_SHOWN + 1) {
            fprintf(f, "    evidence: ... and %zu more (--all lists them)\n", n - i);
            break;
        }
        fprintf(f, "    evidence: %s%s%s%s\n",
                json_string_value(json_object_get(item, "path")) ?
                    json_string_value(json_object_get(item, "path")) : "?",
                kind ? " (" : "", kind ? kind : "", kind ? ")" : "");
    }
    json_array_foreach(json_object_get(req, "reasons"), i, item)
        if (json_string_value(item))
            fprintf(f, "    - %s\n", json_string_value(item));
}

void report_evaluation(FILE *f, const json_t *evaluation, const catalog *cat, bool colour,
                       bool all)
{
    static const char *const order[] = {"met", "partial", "missing", "expired",
                                        "not-applicable"};
    size_t counts[5] = {0}, i, total = 0;
    const json_t *req, *declared;
    const char *as_of = json_string_value(json_object_get(evaluation, "as_of"));

    fprintf(f, "CCRC Level 3 evidence as of %s, declared categories:", as_of ? as_of : "?");
    json_array_foreach(json_object_get(evaluation, "categories"), i, declared)
        fprintf(f, " %s", json_string_value(declared) ? json_string_value(declared) : "?");
    if (json_array_size(json_object_get(evaluation, "categories")) == 0) {
        fputs(" (none)\n\n"
              "No service category is declared, so every requirement that depends on the\n"
              "categories applied for is missing whatever the evidence: declare them with\n"
              "--categories ID,ID (audit) or policy.categories in evidenced.conf (the daemon).\n"
              "The categories:", f);
        for (i = 0; cat && i < catalog_category_count(cat); i++)
            fprintf(f, "%s %s", i ? "," : "", catalog_category_at(cat, i)->id);
        if (!cat)
            fputs(" those of the catalog's <categories>", f);
    }
    fputs("\n\n", f);
    json_array_foreach(json_object_get(evaluation, "requirements"), i, req) {
        const char *status = json_string_value(json_object_get(req, "status"));
        report_requirement(f, req, colour, all);
        fputc('\n', f);
        for (size_t k = 0; status && k < 5; k++)
            if (strcmp(status, order[k]) == 0)
                counts[k]++;
        total++;
    }
    fprintf(f, "%zu requirements: %zu met, %zu partial, %zu missing, %zu expired, "
            "%zu not applicable\n", total, counts[0], counts[1], counts[2], counts[3],
            counts[4]);
}

const char *report_amount_text(const json_t *value, char out[REPORT_AMOUNT_LEN])
{
    bool negative = json_number_value(value) < 0;
    unsigned long long whole, cents = 0;
    char digits[24];
    size_t at = 0;
    int n;

    if (json_is_integer(value)) {
        json_int_t i = json_integer_value(value);
        whole = negative ? 0 - (unsigned long long)i : (unsigned long long)i;
    } else {
        double c = round(fabs(json_number_value(value)) * 100.0);
        /* Past what cents can count exactly, a plain figure. */
        if (!(c < 1e18)) {
            snprintf(out, REPORT_AMOUNT_LEN, "%.6g", json_number_value(value));
            return out;
        }
        whole = (unsigned long long)c / 100;
        cents = (unsigned long long)c % 100;
    }
    n = snprintf(digits, sizeof digits, "%llu", whole);
    if (negative)
        out[at++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[at++] = ',';
        out[at++] = digits[i];
    }
    snprintf(out + at, REPORT_AMOUNT_LEN - at, ".%02llu", cents);
    return out;
}

int report_exit_status(const json_t *evaluation)
{
    const json_t *req;
    size_t i;

    json_array_foreach(json_object_get(evaluation, "requirements"), i, req) {
        const char *status = json_string_value(json_object_get(req, "status"));
        if (!status || (strcmp(status, "met") != 0 && strcmp(status, "not-applicable") != 0))
            return 1;
    }
    return 0;
}
