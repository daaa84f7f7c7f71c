/*
 * reportcmd.c: `evidencectl report [DIR] [--as-of DATE] [--lang zh|en|both]
 * -o FILE [--force]` — the evaluation as an HTML page (htmlreport.h), from
 * the daemon's status (with its ledger head, key and first sightings) or,
 * given a folder, from an offline audit of it (--categories,
 * --organisation, --no-sandbox, --no-ocr as for audit). Exit 0 once the page is
 * written, whatever the statuses in it: the page is the answer.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "htmlreport.h"
#include "outfile.h"
#include "safe.h"

/* The report's input from the daemon: NULL after saying why, *rc set. */
static json_t *from_daemon(const char *as_of, int *rc)
{
    json_t *req = json_pack("{s:s, s:b, s:b}", "op", "status", "documents", 1, "first_seen", 1);
    json_t *r;

    if (as_of)
        json_object_set_new(req, "as_of", json_string(as_of));
    *rc = ctl_ask(req, &r);
    return r;
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"lang", required_argument, NULL, 'L'},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"categories", required_argument, NULL, 'c'},
        {"organisation", required_argument, NULL, 'O'},
        {"no-sandbox", no_argument, NULL, 'n'},
        {"no-ocr", no_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char today[EV_DATE_STRLEN];
    audit_request offline = {0};
    htmlreport_lang lang = HTMLREPORT_BOTH;
    const char *as_of = NULL, *output = NULL;
    bool force = false, folder_only = false;
    catalog *cat = NULL;
    json_t *report = NULL;
    ev_buf page = {0};
    ev_error err;
    int c, rc;

    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'a': as_of = optarg; break;
        case 'o': output = optarg; break;
        case 'f': force = true; break;
        case 'c': offline.categories = optarg; folder_only = true; break;
        case 'O': offline.organisation = optarg; folder_only = true; break;
        case 'n': offline.no_sandbox = true; folder_only = true; break;
        case 'N': offline.no_ocr = true; folder_only = true; break;
        case 'L':
            if (!htmlreport_lang_parse(optarg, &lang)) {
                fputs("evidencectl: --lang takes zh, en or both, not '", stderr);
                safe_fputs(optarg, stderr);
                fputs("'\n", stderr);
                return ctl_usage("report");
            }
            break;
        case 'h': return ctl_help("report");
        default: return ctl_usage("report");
        }
    }
    if (optind < argc - 1 || !output) {
        if (!output)
            fputs("evidencectl: report needs -o FILE, the page to write\n", stderr);
        return ctl_usage("report");
    }
    if (folder_only && optind == argc) {
        fputs("evidencectl: --categories, --organisation, --no-sandbox and --no-ocr go with a "
              "folder (the daemon has its own)\n", stderr);
        return ctl_usage("report");
    }
    if (as_of && !ctl_as_of_valid(as_of))
        return ctl_usage("report");
    if (!(cat = ctl_load_catalog(false)))
        return CTL_FAILED;
    if (optind == argc - 1) {
        ctl_today(today);
        offline.root = argv[optind];
        offline.cat = cat;
        offline.as_of = as_of ? as_of : today;
        if ((report = audit_evaluate(&offline, &rc)))
            json_object_set_new(report, "folder", json_string(offline.root));
    } else {
        report = from_daemon(as_of, &rc);
    }
    if (!report)
        goto out;
    htmlreport_write(&page, report, cat, lang);
    ev_error_clear(&err);
    if (outfile_write(output, page.data, page.len, force, &err) != EV_OK) {
        fputs("evidencectl: ", stderr);
        safe_fputs(err.message, stderr);
        fputc('\n', stderr);
        rc = CTL_FAILED;
        goto out;
    }
    fputs("wrote ", stdout);
    safe_fputs(output, stdout);
    printf(": %zu requirements, %zu documents, as of ",
           json_array_size(json_object_get(report, "requirements")),
           json_array_size(json_object_get(report, "documents")));
    safe_fputs(json_string_value(json_object_get(report, "as_of")), stdout);
    putchar('\n');
    rc = CTL_OK;
out:
    ev_buf_free(&page);
    json_decref(report);
    catalog_free(cat);
    return rc;
}
