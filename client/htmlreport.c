/* htmlreport.c: the evaluation as a self-contained HTML page; see htmlreport.h. */
#include "htmlreport.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sha256.h"
#include "strmap.h"

/* The page's own words, in both languages. */
typedef struct words {
    const char *zh, *en;
} words;

static const words W_KICKER = {"CCRC 信息安全服务资质认证 三级",
                               "CCRC information security service qualification, Level 3"};
static const words W_TITLE = {"证据报告", "Evidence report"};
static const words W_CONTENTS = {"目录", "Contents"};
static const words W_AS_OF = {"评估日期", "As of"};
static const words W_ORG_NONE = {"未配置组织名称：合同乙方视为本组织",
                                 "no organisation names configured: party B of each contract "
                                 "is taken to be the organisation"};
static const words W_CATEGORIES = {"申报服务类别", "Declared service categories"};
static const words W_CATEGORIES_NONE = {"未申报：凡依赖类别的要求一律为缺失",
                                        "none declared: every requirement that depends on the "
                                        "categories is missing"};
static const words W_FOLDER = {"证据文件夹", "Evidence folder"};
static const words W_DOCUMENTS = {"文件", "Documents"};
static const words W_INCOMPLETE = {"报告生成时守护进程仍在扫描或评估，本报告可能不完整",
                                   "the daemon was still scanning or evaluating: this report "
                                   "may be incomplete"};
static const words W_SKIPPED = {"未纳入账本的文件（无法读取、非普通文件等，守护进程日志列出）",
                                "files left out of the ledger (unreadable, not regular files, "
                                "...: the daemon's log names them)"};
static const words W_LEDGER = {"账本头", "Ledger head"};
static const words W_KEY = {"签名密钥", "Signing key"};
static const words W_FINGERPRINT = {"指纹", "fingerprint"};
static const words W_CHECKPOINT = {"签名检查点", "Signed checkpoint"};
static const words W_CHECKPOINT_NONE = {"无：账本未提供签名检查点",
                                        "none: the ledger gave no signed checkpoint"};
static const words W_OFFLINE = {"离线审核，未读取账本", "offline audit, no ledger read"};
static const words W_SUMMARY = {"要求一览", "Summary"};
static const words W_CLAUSE = {"条款", "Clause"};
static const words W_REQUIREMENT = {"要求", "Requirement"};
static const words W_STATUS = {"状态", "Status"};
static const words W_EVIDENCE = {"证据", "Evidence"};
static const words W_NEXT = {"下一步", "What to do next"};
static const words W_ALL_MET = {"无：适用的要求均已符合。",
                                "Nothing: every requirement that applies is met."};
static const words W_DECLARE = {"申报服务类别（evidenced.conf 的 policy.categories，或 --categories）",
                                "Declare the service categories (policy.categories in "
                                "evidenced.conf, or --categories)"};
static const words W_ADD = {"补充以下类型的现行文件", "Add a current document of these kinds"};
static const words W_ONE_OF = {"任选其一", "one of"};
static const words W_RESOLVE = {"需处理的问题", "Findings to resolve"};
static const words W_CONFIRM = {"需人工确认", "For a person to confirm"};
static const words W_REASONS = {"理由", "Reasons"};
static const words W_NONE = {"无", "none"};
static const words W_PER_CATEGORY = {"各类别状态", "Status per category"};
static const words W_KIND = {"类型", "Kind"};
static const words W_SIGNED = {"电子签名", "Electronic signature"};
static const words W_FIRST_SEEN = {"首次记录", "First seen"};
static const words W_INDEX = {"文件索引", "Index of documents"};
static const words W_FILE = {"文件", "File"};
static const words W_LANGUAGE = {"语言", "Language"};
static const words W_SIZE = {"字节", "Bytes"};
static const words W_CITED = {"引用于", "Cited by"};
static const words W_REJECTED = {"已拒绝", "rejected"};
static const words W_UNREAD = {"未解析，仅记录哈希", "not read, hash only"};
static const words W_RENDERING = {"◇ 中文为译写，非公布原文",
                                  "◇ the Chinese is a rendering, not the published wording"};
static const words W_COVERS = {"覆盖整个文件", "covers the whole file"};
static const words W_CHANGED_AFTER = {"签名后文件被修改", "the file was changed after it"};
static const words W_NUMBER = {"#", NULL};
static const words W_SHA256 = {NULL, "SHA-256"};
static const words W_UNKNOWN = {"未知", "unknown"};

static const struct status_words {
    const char *id;
    words w;
} STATUSES[] = {
    {"met", {"符合", "met"}},
    {"partial", {"部分符合", "partial"}},
    {"missing", {"缺失", "missing"}},
    {"expired", {"已过期", "expired"}},
    {"not-applicable", {"不适用", "not applicable"}},
};

typedef struct writer {
    ev_buf *out;
    ev_buf scratch;             /* one string made printable, before HTML escaping */
    htmlreport_lang lang;
    const catalog *cat;
    const json_t *report;
    const json_t *documents;
    const json_t *first_seen;   /* {sha256: ts}, or NULL */
    strmap by_path;             /* path -> document index + 1 */
    ev_buf *cited;              /* per document: the links of the requirements citing it */
} writer;

/* ---- escaping ---------------------------------------------------------- */

static void put(writer *w, const char *literal)
{
    ev_buf_puts(w->out, literal);
}

/* s, printable and HTML-escaped (good in text and in quoted attributes). */
static void text(writer *w, const char *s)
{
    size_t start = 0;

    if (!s)
        return;
    ev_buf_reset(&w->scratch);
    ev_buf_put_escaped(&w->scratch, s, strlen(s));
    for (size_t i = 0; i < w->scratch.len; i++) {
        const char *entity;
        switch (w->scratch.data[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: continue;
        }
        ev_buf_append(w->out, w->scratch.data + start, i - start);
        ev_buf_puts(w->out, entity);
        start = i + 1;
    }
    ev_buf_append(w->out, w->scratch.data + start, w->scratch.len - start);
}

/* s, printable, as the body of a double-quoted CSS string inside <style>:
 * every ASCII character but letters, digits and spaces as a hex escape,
 * so neither a quote nor "</style>" can end it. */
static void css_text(writer *w, const char *s)
{
    ev_buf_reset(&w->scratch);
    ev_buf_put_escaped(&w->scratch, s ? s : "", s ? strlen(s) : 0);
    for (size_t i = 0; i < w->scratch.len; i++) {
        unsigned char c = (unsigned char)w->scratch.data[i];
        if (c >= 0x80 || c == ' ' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
                                                               (c | 0x20) <= 'z'))
            ev_buf_putc(w->out, (char)c);
        else
            ev_buf_printf(w->out, "\\%02x ", c);
    }
}

/* ---- the two languages ------------------------------------------------- */

/* zh and/or en as the page's language says, each marked with its lang so
 * the browser picks a Chinese font and breaks lines by each language's
 * rules. `en` alone when zh is NULL, and the reverse. */
static void bi(writer *w, const char *zh, const char *en)
{
    bool want_zh = zh && ((w->lang & HTMLREPORT_ZH) || !en);
    bool want_en = en && ((w->lang & HTMLREPORT_EN) || !want_zh);

    if (want_zh) {
        put(w, "<span lang=\"zh-CN\">");
        text(w, zh);
        put(w, "</span>");
    }
    if (want_zh && want_en)
        put(w, " ");
    if (want_en) {
        put(w, want_zh ? "<span class=\"en\" lang=\"en\">" : "<span lang=\"en\">");
        text(w, en);
        put(w, "</span>");
    }
}

static void say(writer *w, const words *x)
{
    bi(w, x->zh, x->en);
}

/* The same for the page margins (CSS strings): "zh en" or either. */
static void css_say(writer *w, const words *x)
{
    if (w->lang & HTMLREPORT_ZH)
        css_text(w, x->zh);
    if (w->lang == HTMLREPORT_BOTH)
        put(w, " ");
    if (w->lang & HTMLREPORT_EN)
        css_text(w, x->en);
}

/* ---- reading the input ------------------------------------------------- */

static const char *str(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static const json_t *document_at(const writer *w, const char *path)
{
    uintptr_t i = path ? (uintptr_t)strmap_get(&w->by_path, path) : 0;
    return i ? json_array_get(w->documents, i - 1) : NULL;
}

/* When the ledger first recorded these bytes, written where the page
 * wants it: "2026-11-26 09:30:01 UTC" from the ledger's
 * "2026-11-26T09:30:01.123Z" (a time stamp of another form as it is). */
static void first_seen(writer *w, const char *sha256)
{
    const char *ts = sha256 ? str(w->first_seen, sha256) : NULL;
    char shown[32];

    if (ts && strlen(ts) >= 20 && ts[10] == 'T' && ts[strlen(ts) - 1] == 'Z' &&
        strspn(ts, "0123456789-T:.Z") == strlen(ts)) {
        snprintf(shown, sizeof shown, "%.10s %.8s UTC", ts, ts + 11);
        ts = shown;
    }
    text(w, ts);
}

static const struct status_words *status_of(const char *status)
{
    for (size_t i = 0; status && i < EV_ARRAY_LEN(STATUSES); i++)
        if (strcmp(status, STATUSES[i].id) == 0)
            return &STATUSES[i];
    return NULL;
}

static bool is_settled(const char *status)
{
    return status && (strcmp(status, "met") == 0 || strcmp(status, "not-applicable") == 0);
}

/* ---- small pieces ------------------------------------------------------ */

/* A status as a badge: word, colour and border style. */
static void badge(writer *w, const char *status)
{
    const struct status_words *s = status_of(status);

    put(w, "<span class=\"st st-");
    put(w, s ? s->id : "unknown");
    put(w, "\">");
    if (s)
        say(w, &s->w);
    else
        text(w, status ? status : "?");
    put(w, "</span>");
}

static void kind_name(writer *w, const char *kind, const char *topic)
{
    const cat_kind *k = kind && w->cat ? catalog_kind(w->cat, kind) : NULL;

    if (k)
        bi(w, k->name_zh, k->name_en);
    else
        text(w, kind ? kind : "?");
    if (topic) {
        put(w, " <span class=\"topic\">/");
        text(w, topic);
        put(w, "</span>");
    }
}

static void category_name(writer *w, const char *id)
{
    const cat_category *c = id && w->cat ? catalog_category(w->cat, id) : NULL;

    if (c)
        bi(w, c->name_zh, c->name_en);
    put(w, " <code>");
    text(w, id);
    put(w, "</code>");
}

/* A link to a requirement's section, its id made an attribute value. */
static void requirement_link(writer *w, const json_t *req)
{
    put(w, "<a href=\"#req-");
    text(w, str(req, "id"));
    put(w, "\">");
    text(w, str(req, "clause"));
    put(w, " <code>");
    text(w, str(req, "id"));
    put(w, "</code></a>");
}

static void requirement_title(writer *w, const json_t *req)
{
    const json_t *title = json_object_get(req, "title");
    bi(w, str(title, "zh"), str(title, "en"));
}

/* ---- field values ------------------------------------------------------ */

static bool is_amount(const json_t *v)
{
    return json_is_object(v) && json_object_size(v) == 2 &&
           json_is_number(json_object_get(v, "value")) &&
           json_is_string(json_object_get(v, "currency"));
}

/* A field value on one line: amounts with their currency, lists joined,
 * records (a resume's experience) as name: value pairs. */
static void value(writer *w, const json_t *v)
{
    char number[REPORT_AMOUNT_LEN];
    const json_t *item;
    const char *name;
    size_t i;

    if (json_is_string(v)) {
        text(w, json_string_value(v));
    } else if (is_amount(v)) {
        put(w, report_amount_text(json_object_get(v, "value"), number));
        put(w, " ");
        text(w, str(v, "currency"));
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item) {
            put(w, i ? "; " : "");
            value(w, item);
        }
    } else if (json_is_object(v)) {
        i = 0;
        json_object_foreach((json_t *)v, name, item) {
            put(w, i++ ? ", " : "");
            text(w, name);
            put(w, ": ");
            value(w, item);
        }
    } else if (json_is_boolean(v)) {
        put(w, json_is_true(v) ? "yes" : "no");
    } else if (json_is_integer(v)) {
        ev_buf_printf(w->out, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        ev_buf_printf(w->out, "%.15g", json_real_value(v));
    } else {
        put(w, "&#8212;");
    }
}

static void fields(writer *w, const json_t *doc)
{
    const json_t *v;
    const char *name;

    if (json_object_size(json_object_get(doc, "fields")) == 0)
        return;
    put(w, "<dl class=\"fields\">");
    json_object_foreach(json_object_get(doc, "fields"), name, v) {
        put(w, "<dt>");
        text(w, name);
        put(w, "</dt><dd>");
        value(w, v);
        put(w, "</dd>");
    }
    put(w, "</dl>\n");
}

static void signatures(writer *w, const json_t *doc)
{
    const json_t *s;
    size_t i;

    json_array_foreach(json_object_get(doc, "signatures"), i, s) {
        put(w, "<p class=\"sig\"><b>");
        say(w, &W_SIGNED);
        put(w, "</b> ");
        text(w, str(s, "signer") ? str(s, "signer") : "?");
        put(w, ", ");
        text(w, str(s, "signed_at"));
        put(w, ", ");
        text(w, str(s, "status"));
        put(w, ", ");
        say(w, json_is_true(json_object_get(s, "covers_whole")) ? &W_COVERS : &W_CHANGED_AFTER);
        put(w, "</p>\n");
    }
}

/* ---- cover ------------------------------------------------------------- */

static void fact(writer *w, const words *name)
{
    put(w, "<dt>");
    say(w, name);
    put(w, "</dt><dd>");
}

static void cover_ledger(writer *w)
{
    const json_t *ledger = json_object_get(w->report, "ledger");
    const json_t *cp = json_object_get(w->report, "checkpoint");
    const char *key = str(ledger, "key");
    const char *note = json_is_string(cp) ? json_string_value(cp) : str(cp, "text");

    fact(w, &W_LEDGER);
    if (json_is_object(ledger)) {
        ev_buf_printf(w->out, "seq %lld, <code class=\"hash\">",
                      (long long)json_integer_value(json_object_get(ledger, "seq")));
        text(w, str(ledger, "hash"));
        put(w, "</code>");
    } else {
        say(w, &W_OFFLINE);
    }
    put(w, "</dd>\n");
    fact(w, &W_KEY);
    if (key) {
        /* What ledger.pub holds, and its SHA-256 as a shorter thing to
         * read out over the phone. */
        unsigned char raw[64];
        size_t n = 0;
        char fp[EV_SHA256_HEX_LEN + 1];
        if (sodium_hex2bin(raw, sizeof raw, key, strlen(key), NULL, &n, NULL) != 0)
            n = 0;
        ev_sha256_hex(raw, n, fp);
        put(w, "ledger.pub <code class=\"hash\">");
        text(w, key);
        put(w, "</code><br>");
        say(w, &W_FINGERPRINT);
        put(w, " SHA-256 <code class=\"hash\">");
        put(w, fp);
        put(w, "</code>");
        if (str(w->report, "vkey")) {
            put(w, "<br>vkey <code class=\"hash\">");
            text(w, str(w->report, "vkey"));
            put(w, "</code>");
        }
    } else {
        say(w, json_is_object(ledger) ? &W_UNKNOWN : &W_OFFLINE);
    }
    put(w, "</dd>\n");
    fact(w, &W_CHECKPOINT);
    if (note) {
        /* A signed note is lines: each escaped on its own, so its line
         * breaks stay breaks and are not shown as escapes. */
        put(w, "<pre class=\"checkpoint\">");
        for (const char *line = note; *line;) {
            const char *end = strchr(line, '\n');
            char *one = ev_strndup(line, end ? (size_t)(end - line) : strlen(line));
            text(w, one);
            free(one);
            put(w, "\n");
            if (!end)
                break;
            line = end + 1;
        }
        put(w, "</pre>");
    } else {
        say(w, json_is_object(ledger) ? &W_CHECKPOINT_NONE : &W_OFFLINE);
    }
    put(w, "</dd>\n");
}

static void tally(writer *w)
{
    size_t counts[EV_ARRAY_LEN(STATUSES)] = {0};
    const json_t *req;
    size_t i;

    json_array_foreach(json_object_get(w->report, "requirements"), i, req) {
        const struct status_words *s = status_of(str(req, "status"));
        if (s)
            counts[s - STATUSES]++;
    }
    put(w, "<table class=\"tally\"><tr>");
    for (i = 0; i < EV_ARRAY_LEN(STATUSES); i++) {
        put(w, "<td>");
        badge(w, STATUSES[i].id);
        ev_buf_printf(w->out, "<span class=\"count\">%zu</span></td>", counts[i]);
    }
    put(w, "</tr></table>\n");
}

static void contents(writer *w)
{
    static const struct {
        const char *anchor;
        const words *name;
    } parts[] = {{"summary", &W_SUMMARY}, {"next", &W_NEXT}, {"requirements", &W_REQUIREMENT},
                 {"index", &W_INDEX}};

    put(w, "<nav class=\"contents\"><h2>");
    say(w, &W_CONTENTS);
    put(w, "</h2><ol>");
    for (size_t i = 0; i < EV_ARRAY_LEN(parts); i++) {
        ev_buf_printf(w->out, "<li><a href=\"#%s\">", parts[i].anchor);
        say(w, parts[i].name);
        put(w, "</a></li>");
    }
    put(w, "</ol></nav>\n");
}

/* What the daemon's progress says about the page: a scan or evaluation
 * still running, files it could not take. */
static void progress_notes(writer *w)
{
    const json_t *p = json_object_get(w->report, "progress");
    json_int_t skipped = json_integer_value(json_object_get(p, "skipped"));

    if (json_is_true(json_object_get(p, "scanning")) ||
        json_is_true(json_object_get(p, "evaluating"))) {
        put(w, "<br><b class=\"warn\">");
        say(w, &W_INCOMPLETE);
        put(w, "</b>");
    }
    if (skipped > 0) {
        put(w, "<br><b class=\"warn\">");
        say(w, &W_SKIPPED);
        ev_buf_printf(w->out, ": %lld</b>", (long long)skipped);
    }
}

static void cover(writer *w)
{
    const json_t *names = json_object_get(w->report, "organisation");
    const json_t *cats = json_object_get(w->report, "categories");
    const char *folder = str(w->report, "watch") ? str(w->report, "watch")
                                                 : str(w->report, "folder");
    const json_t *item;
    size_t i;

    put(w, "<section class=\"cover\">\n<p class=\"kicker\">");
    say(w, &W_KICKER);
    put(w, "</p>\n<h1>");
    say(w, &W_TITLE);
    put(w, "</h1>\n<p class=\"org\">");
    if (json_array_size(names) == 0) {
        put(w, "<span class=\"alias\">");
        say(w, &W_ORG_NONE);
        put(w, "</span>");
    }
    json_array_foreach(names, i, item) {
        put(w, i ? "<br><span class=\"alias\">" : "<span>");
        text(w, json_string_value(item));
        put(w, "</span>");
    }
    put(w, "</p>\n<dl class=\"facts\">\n");
    fact(w, &W_AS_OF);
    put(w, "<b>");
    text(w, str(w->report, "as_of"));
    put(w, "</b></dd>\n");
    fact(w, &W_CATEGORIES);
    if (json_array_size(cats) == 0)
        say(w, &W_CATEGORIES_NONE);
    json_array_foreach(cats, i, item) {
        put(w, i ? "<br>" : "");
        category_name(w, json_string_value(item));
    }
    put(w, "</dd>\n");
    if (folder) {
        fact(w, &W_FOLDER);
        put(w, "<span class=\"path\">");
        text(w, folder);
        put(w, "</span></dd>\n");
    }
    fact(w, &W_DOCUMENTS);
    ev_buf_printf(w->out, "%zu", json_array_size(w->documents));
    progress_notes(w);
    put(w, "</dd>\n");
    cover_ledger(w);
    put(w, "</dl>\n");
    tally(w);
    contents(w);
    put(w, "</section>\n");
}

/* ---- summary ----------------------------------------------------------- */

/* A column of a table: its class (for its width) and its heading. */
typedef struct column {
    const char *class_name;
    const words *heading;
} column;

/* A table's start, up to its open <tbody>. */
static void table_head(writer *w, const char *class_name, const column *cols, size_t n)
{
    ev_buf_printf(w->out, "<table class=\"%s\"><colgroup>", class_name);
    for (size_t i = 0; i < n; i++)
        ev_buf_printf(w->out, "<col class=\"%s\">", cols[i].class_name);
    put(w, "</colgroup>\n<thead><tr>");
    for (size_t i = 0; i < n; i++) {
        put(w, "<th>");
        say(w, cols[i].heading);
        put(w, "</th>");
    }
    put(w, "</tr></thead>\n<tbody>\n");
}

static void summary(writer *w)
{
    const json_t *req;
    size_t i;

    put(w, "<section id=\"summary\" class=\"summary\">\n<h2>");
    say(w, &W_SUMMARY);
    put(w, "</h2>\n");
    static const column cols[] = {{"c-clause", &W_CLAUSE}, {"c-title", &W_REQUIREMENT},
                                  {"c-status", &W_STATUS}, {"c-count", &W_EVIDENCE}};
    table_head(w, "grid", cols, EV_ARRAY_LEN(cols));
    json_array_foreach(json_object_get(w->report, "requirements"), i, req) {
        put(w, "<tr><td>");
        requirement_link(w, req);
        put(w, "</td><td class=\"stack\">");
        requirement_title(w, req);
        put(w, "</td><td>");
        badge(w, str(req, "status"));
        ev_buf_printf(w->out, "</td><td class=\"num\">%zu</td></tr>\n",
                      json_array_size(json_object_get(req, "evidence")));
    }
    put(w, "</tbody></table>\n");
    tally(w);
    put(w, "</section>\n");
}

/* ---- what to do next --------------------------------------------------- */

/* Whether a cited document of req is of the catalog's evidence entry e. */
static bool cited(const writer *w, const json_t *req, const cat_evidence *e)
{
    const json_t *item;
    size_t i;

    json_array_foreach(json_object_get(req, "evidence"), i, item) {
        const json_t *doc = document_at(w, str(item, "path"));
        const char *kind = str(item, "kind"), *topic = str(doc, "topic");
        const char *subtype = str(doc, "subtype");
        if (kind && strcmp(kind, e->kind->id) == 0 &&
            (!e->topic || (topic && strcmp(topic, e->topic->id) == 0)) &&
            (!e->subtype || (subtype && strcmp(subtype, e->subtype->id) == 0)))
            return true;
    }
    return false;
}

/* The first literal cue of `lang` in c, depth first; NULL when none. */
static const char *first_literal(const cat_cue *c, cat_lang lang)
{
    const char *found = NULL;

    if (c->type == CAT_CUE_LITERAL)
        return c->lang == lang ? c->text : NULL;
    if (c->type == CAT_CUE_NOT)
        return NULL;
    for (size_t i = 0; !found && i < c->nkids; i++)
        found = first_literal(&c->kids[i], lang);
    return found;
}

/* The catalog's name of a topic or subtype: the first word of each
 * language that recognises it ("供应商管理", "supplier management"), else
 * its id. */
static void cue_name(writer *w, const cat_cue *cues, const char *id)
{
    const char *zh = first_literal(cues, CAT_LANG_ZH), *en = first_literal(cues, CAT_LANG_EN);

    put(w, " (");
    if (zh || en)
        bi(w, zh, en);
    else
        text(w, id);
    put(w, ")");
}

/* The kinds of evidence the catalog accepts for the requirement that no
 * cited document is of; alternatives (one group) on one line. */
static void missing_kinds(writer *w, const json_t *req)
{
    const cat_requirement *r = w->cat ? catalog_requirement(w->cat, str(req, "id")) : NULL;
    bool any = false;

    for (size_t i = 0; r && i < r->nevidence; i++) {
        const cat_evidence *e = &r->evidence[i];
        bool group_cited = false, first_of_group = true;
        if (e->support)
            continue;
        for (size_t k = 0; k < r->nevidence; k++) {
            const cat_evidence *o = &r->evidence[k];
            bool same = o == e || (e->group && o->group && strcmp(o->group, e->group) == 0);
            if (same && !o->support && cited(w, req, o))
                group_cited = true;
            if (same && !o->support && k < i)
                first_of_group = false;
        }
        if (group_cited || !first_of_group)
            continue;
        if (!any) {
            put(w, "<li><b>");
            say(w, &W_ADD);
            put(w, "</b><ul>");
            any = true;
        }
        put(w, "<li>");
        if (e->group) {
            say(w, &W_ONE_OF);
            put(w, ": ");
        }
        for (size_t k = i, n = 0; k < r->nevidence; k++) {
            const cat_evidence *o = &r->evidence[k];
            if (o->support || (o != e && !(e->group && o->group &&
                                           strcmp(o->group, e->group) == 0)))
                continue;
            put(w, n++ ? " / " : "");
            kind_name(w, o->kind->id, NULL);
            if (o->topic)
                cue_name(w, &o->topic->words, o->topic->id);
            if (o->subtype)
                cue_name(w, &o->subtype->cues, o->subtype->id);
        }
        put(w, "</li>");
    }
    if (any)
        put(w, "</ul></li>\n");
}

/* Whether a reason concerns a category whose own status is settled: it
 * starts with "<category>: " (after "needs review: " for a review). */
static bool about_settled_category(const json_t *req, const char *reason)
{
    const json_t *per = json_object_get(req, "per_category");
    const char *cat;
    json_t *st;

    json_object_foreach((json_t *)per, cat, st) {
        size_t n = strlen(cat);
        if (strncmp(reason, cat, n) == 0 && reason[n] == ':' &&
            is_settled(json_string_value(st)))
            return true;
    }
    return false;
}

#define REVIEW_PREFIX "needs review: "

/* The reasons of req that are reviews (or not), as one list item. */
static void reasons_to_act_on(writer *w, const json_t *req, bool reviews)
{
    const json_t *item;
    size_t i;
    bool any = false;

    json_array_foreach(json_object_get(req, "reasons"), i, item) {
        const char *reason = json_string_value(item);
        bool review = reason && strncmp(reason, REVIEW_PREFIX, strlen(REVIEW_PREFIX)) == 0;
        if (!reason || review != reviews)
            continue;
        if (review)
            reason += strlen(REVIEW_PREFIX);
        if (about_settled_category(req, reason))
            continue;
        if (!any) {
            put(w, "<li><b>");
            say(w, reviews ? &W_CONFIRM : &W_RESOLVE);
            put(w, "</b><ul>");
            any = true;
        }
        put(w, "<li lang=\"en\">");
        text(w, reason);
        put(w, "</li>");
    }
    if (any)
        put(w, "</ul></li>\n");
}

static void next_steps(writer *w)
{
    const json_t *req;
    size_t i;
    bool any = false;

    put(w, "<section id=\"next\" class=\"next\">\n<h2>");
    say(w, &W_NEXT);
    put(w, "</h2>\n");
    if (json_array_size(json_object_get(w->report, "categories")) == 0) {
        put(w, "<p class=\"todo-first\">");
        say(w, &W_DECLARE);
        put(w, "</p>\n");
    }
    json_array_foreach(json_object_get(w->report, "requirements"), i, req) {
        if (is_settled(str(req, "status")))
            continue;
        any = true;
        put(w, "<div class=\"todo\"><h3>");
        requirement_link(w, req);
        put(w, " ");
        badge(w, str(req, "status"));
        put(w, "</h3>\n<p class=\"todo-title\">");
        requirement_title(w, req);
        put(w, "</p>\n<ul>");
        missing_kinds(w, req);
        reasons_to_act_on(w, req, false);
        reasons_to_act_on(w, req, true);
        put(w, "</ul></div>\n");
    }
    if (!any) {
        put(w, "<p>");
        say(w, &W_ALL_MET);
        put(w, "</p>\n");
    }
    put(w, "</section>\n");
}

/* ---- one section per requirement -------------------------------------- */

static void per_category(writer *w, const json_t *req)
{
    const json_t *per = json_object_get(req, "per_category");
    const char *cat;
    json_t *st;

    if (json_object_size(per) == 0)
        return;
    put(w, "<h3>");
    say(w, &W_PER_CATEGORY);
    put(w, "</h3>\n<table class=\"grid percat\">");
    json_object_foreach((json_t *)per, cat, st) {
        put(w, "<tr><td>");
        category_name(w, cat);
        put(w, "</td><td>");
        badge(w, json_string_value(st));
        put(w, "</td></tr>");
    }
    put(w, "</table>\n");
}

/* The index entry of a document: "#doc-N". */
static void document_link(writer *w, const char *path)
{
    uintptr_t n = path ? (uintptr_t)strmap_get(&w->by_path, path) : 0;

    if (n)
        ev_buf_printf(w->out, "<a class=\"path\" href=\"#doc-%zu\">", (size_t)n);
    else
        put(w, "<span class=\"path\">");
    text(w, path ? path : "?");
    put(w, n ? "</a>" : "</span>");
}

static void evidence_item(writer *w, const json_t *item)
{
    const char *path = str(item, "path");
    const json_t *doc = document_at(w, path);

    put(w, "<div class=\"ev\"><p class=\"ev-head\">");
    document_link(w, path);
    put(w, " <span class=\"kind\">");
    kind_name(w, str(item, "kind"), str(doc, "topic"));
    put(w, "</span></p>\n");
    if (str(item, "why")) {
        put(w, "<p class=\"why\" lang=\"en\">");
        text(w, str(item, "why"));
        put(w, "</p>\n");
    }
    fields(w, doc);
    signatures(w, doc);
    put(w, "<p class=\"ids\">SHA-256 <code class=\"hash\">");
    text(w, str(item, "sha256"));
    put(w, "</code>");
    if (str(w->first_seen, str(item, "sha256"))) {
        put(w, " &#183; ");
        say(w, &W_FIRST_SEEN);
        put(w, " ");
        first_seen(w, str(item, "sha256"));
    }
    put(w, "</p></div>\n");
}

static void requirement_section(writer *w, const json_t *req, size_t number)
{
    const cat_requirement *r = w->cat ? catalog_requirement(w->cat, str(req, "id")) : NULL;
    const json_t *item;
    size_t i;

    put(w, "<section class=\"req\" id=\"req-");
    text(w, str(req, "id"));
    put(w, "\">\n<h2>");
    if (number == 0)
        put(w, "<a id=\"requirements\"></a>");
    put(w, "<span class=\"clause\">");
    text(w, str(req, "clause"));
    put(w, "</span> <code>");
    text(w, str(req, "id"));
    put(w, "</code> ");
    badge(w, str(req, "status"));
    put(w, "</h2>\n");
    if (w->lang & HTMLREPORT_ZH) {
        put(w, "<p class=\"wording\" lang=\"zh-CN\">");
        text(w, str(json_object_get(req, "title"), "zh"));
        put(w, "</p>\n");
        if (r && !r->zh_published) {
            put(w, "<p class=\"note\">");
            say(w, &W_RENDERING);
            put(w, "</p>\n");
        }
    }
    if (w->lang & HTMLREPORT_EN) {
        put(w, "<p class=\"wording\" lang=\"en\">");
        text(w, str(json_object_get(req, "title"), "en"));
        put(w, "</p>\n");
    }
    per_category(w, req);
    put(w, "<h3>");
    say(w, &W_EVIDENCE);
    ev_buf_printf(w->out, " (%zu)</h3>\n", json_array_size(json_object_get(req, "evidence")));
    json_array_foreach(json_object_get(req, "evidence"), i, item)
        evidence_item(w, item);
    if (json_array_size(json_object_get(req, "evidence")) == 0) {
        put(w, "<p class=\"empty\">");
        say(w, &W_NONE);
        put(w, "</p>\n");
    }
    put(w, "<h3>");
    say(w, &W_REASONS);
    put(w, "</h3>\n<ul class=\"reasons\">");
    json_array_foreach(json_object_get(req, "reasons"), i, item) {
        put(w, "<li lang=\"en\">");
        text(w, json_string_value(item));
        put(w, "</li>");
    }
    if (json_array_size(json_object_get(req, "reasons")) == 0) {
        put(w, "<li>");
        say(w, &W_NONE);
        put(w, "</li>");
    }
    put(w, "</ul>\n</section>\n");
}

/* ---- index of documents ------------------------------------------------ */

static void index_row(writer *w, const json_t *doc, size_t n)
{
    const json_t *error = json_object_get(doc, "error");
    const char *lang = str(doc, "language");

    ev_buf_printf(w->out, "<tr id=\"doc-%zu\"><td class=\"num\">%zu</td><td><span class=\"path\">",
                  n, n);
    text(w, str(doc, "path"));
    put(w, "</span>");
    if (str(doc, "title")) {
        ev_buf_printf(w->out, "<br><span class=\"doctitle\" lang=\"%s\">",
                      lang && strcmp(lang, "en") == 0 ? "en" : "zh-CN");
        text(w, str(doc, "title"));
        put(w, "</span>");
    }
    put(w, "</td><td>");
    if (error) {
        say(w, &W_REJECTED);
        put(w, ": <code>");
        text(w, str(error, "code"));
        put(w, "</code> <span lang=\"en\">");
        text(w, str(error, "message"));
        put(w, "</span>");
    } else if (str(doc, "kind")) {
        kind_name(w, str(doc, "kind"), str(doc, "topic"));
    } else {
        say(w, &W_UNREAD);
    }
    put(w, "</td><td>");
    text(w, lang);
    ev_buf_printf(w->out, "</td><td class=\"num\">%lld</td><td><code class=\"hash\">",
                  (long long)json_integer_value(json_object_get(doc, "size")));
    text(w, str(doc, "sha256"));
    put(w, "</code></td><td>");
    first_seen(w, str(doc, "sha256"));
    put(w, "</td><td>");
    if (w->cited[n - 1].len)
        ev_buf_append(w->out, w->cited[n - 1].data, w->cited[n - 1].len);
    put(w, "</td></tr>\n");
}

static void document_index(writer *w)
{
    const json_t *doc;
    size_t i;

    put(w, "<section id=\"index\" class=\"index\">\n<h2>");
    say(w, &W_INDEX);
    ev_buf_printf(w->out, " (%zu)</h2>\n", json_array_size(w->documents));
    static const column cols[] = {{"c-n", &W_NUMBER},      {"c-file", &W_FILE},
                                  {"c-kind", &W_KIND},      {"c-lang", &W_LANGUAGE},
                                  {"c-size", &W_SIZE},      {"c-sha", &W_SHA256},
                                  {"c-seen", &W_FIRST_SEEN}, {"c-cited", &W_CITED}};
    table_head(w, "grid docs", cols, EV_ARRAY_LEN(cols));
    json_array_foreach(w->documents, i, doc)
        index_row(w, doc, i + 1);
    put(w, "</tbody></table>\n</section>\n");
}

/* ---- the page ---------------------------------------------------------- */

/* Fixed layout: screen and A4 print. Colours carry the status, border
 * styles and words carry it again for black-and-white prints. Fonts are
 * generic families first chosen by language (fontconfig maps zh-CN to a
 * Chinese face such as Noto Sans CJK SC or WenQuanYi Zen Hei). */
static const char STYLE[] =
    ":root{--ink:#1a1a1a;--muted:#555;--rule:#bbb}\n"
    "html{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Zen Hei\","
    "\"Microsoft YaHei\",\"PingFang SC\",sans-serif;color:var(--ink);font-size:10.5pt;"
    "line-height:1.5;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{max-width:190mm;margin:0 auto;padding:8mm}\n"
    ":lang(zh-CN){line-break:strict;word-break:normal}\n"
    ":lang(en){hyphens:auto}\n"
    "code,pre{font-family:\"DejaVu Sans Mono\",\"Noto Sans Mono CJK SC\",monospace;font-size:.85em}\n"
    ".hash,.path,pre{overflow-wrap:anywhere;word-break:break-all}\n"
    "pre{white-space:pre-wrap;background:#f4f4f4;padding:.5em;margin:.2em 0}\n"
    "a{color:inherit}\n"
    ".en{color:var(--muted)}\n"
    "h1{font-size:26pt;margin:.2em 0}\n"
    "h2{font-size:15pt;border-bottom:2px solid var(--ink);padding-bottom:.2em;"
    "margin-top:0;break-after:avoid}\n"
    "h3{font-size:11pt;margin:1em 0 .3em;break-after:avoid}\n"
    "section{padding-top:4mm}\n"
    "section+section{break-before:page;border-top:1px dashed var(--rule);margin-top:8mm}\n"
    ".cover .kicker{font-size:11pt;color:var(--muted);margin-top:20mm}\n"
    ".cover .org{font-size:16pt;font-weight:bold}\n"
    ".cover .alias{font-size:11pt;font-weight:normal;color:var(--muted)}\n"
    ".facts{display:grid;grid-template-columns:34mm 1fr;gap:.35em 1em;margin:8mm 0}\n"
    ".facts dt{font-weight:bold}\n.facts dd{margin:0;min-width:0}\n"
    "table{border-collapse:collapse;width:100%}\n"
    ".grid{table-layout:fixed}\n"
    ".grid th,.grid td{border:1px solid var(--rule);padding:.25em .4em;vertical-align:top;"
    "text-align:left;overflow-wrap:anywhere}\n"
    ".grid thead{display:table-header-group}\n.grid tr{break-inside:avoid}\n"
    ".grid th{background:#eee}\n.num{text-align:right}\n"
    ".c-clause{width:24%}.c-status{width:17%}.c-count{width:11%}\n"
    ".stack .en,.todo-title .en{display:block}\n"
    ".tally{width:auto;margin:5mm 0}.tally td{padding:.2em .8em .2em 0;white-space:nowrap}\n"
    ".count{font-weight:bold;margin-left:.4em}\n"
    ".st{display:inline-block;padding:0 .45em;border-radius:3px;font-weight:bold;"
    "font-size:.9em;white-space:nowrap;border:2px solid}\n"
    ".st-met{background:#dcf2e3;color:#0f5a2a;border-style:solid}\n"
    ".st-partial{background:#fff1cc;color:#6b4a00;border-style:dashed}\n"
    ".st-missing{background:#fbdada;color:#8a1414;border-style:double;border-width:3px}\n"
    ".st-expired{background:#eadcf5;color:#4f1f73;border-style:dotted}\n"
    ".st-not-applicable,.st-unknown{background:#eee;color:#444;border-style:none;"
    "text-decoration:line-through}\n"
    ".todo{break-inside:avoid;margin:0 0 5mm}\n.todo h3{margin-bottom:0}\n"
    ".todo-title{margin:.2em 0;color:var(--muted)}\n"
    ".todo-first,.warn{font-weight:bold}\n"
    ".req .wording{font-size:11.5pt;margin:.3em 0}\n"
    ".note{color:var(--muted);font-size:.85em;margin:0}\n"
    ".clause{font-size:18pt;margin-right:.3em}\n"
    ".percat{width:auto}.percat td{padding-right:2em}\n"
    ".ev{border-left:3px solid var(--rule);padding:.1em 0 .1em .6em;margin:.6em 0;"
    "break-inside:avoid}\n"
    ".ev p{margin:.1em 0}\n.ev-head{font-weight:bold}\n"
    ".kind{font-weight:normal;color:var(--muted)}\n"
    ".why{color:var(--muted);font-size:.9em}\n"
    ".fields{display:grid;grid-template-columns:max-content 1fr;gap:0 .8em;margin:.2em 0;"
    "font-size:.9em}\n.fields dt{color:var(--muted)}\n"
    ".fields dd{margin:0;min-width:0;overflow-wrap:anywhere}\n"
    ".ids,.sig{font-size:.85em}\n"
    ".reasons li{margin:.15em 0}\n"
    ".docs{font-size:8pt}\n"
    ".c-n{width:5%}.c-file{width:22%}.c-kind{width:13%}.c-lang{width:8%}.c-size{width:8%}"
    ".c-sha{width:20%}.c-seen{width:10%}.c-cited{width:14%}\n"
    ".doctitle{color:var(--muted)}\n"
    "@media print{body{max-width:none;padding:0}section+section{border-top:none;margin-top:0}"
    "a{text-decoration:none}}\n";

/* The page margins: the as-of date and the page number on every page,
 * the organisation's first name, in CSS strings. */
static void page_rule(writer *w)
{
    const char *org = json_string_value(json_array_get(json_object_get(w->report,
                                                                       "organisation"), 0));
    const char *box = "font-family:inherit;font-size:8pt;color:#555";

    put(w, "@page{size:A4;margin:18mm 15mm 16mm 15mm;\n@top-left{content:\"");
    css_say(w, &W_TITLE);
    if (org) {
        put(w, " \\b7  ");
        css_text(w, org);
    }
    ev_buf_printf(w->out, "\";%s}\n@top-right{content:\"", box);
    css_say(w, &W_AS_OF);
    put(w, " ");
    css_text(w, str(w->report, "as_of"));
    ev_buf_printf(w->out, "\";%s}\n@bottom-right{content:counter(page) \" / \" counter(pages);%s}"
                  "\n@bottom-left{content:\"", box, box);
    css_say(w, &W_KICKER);
    ev_buf_printf(w->out, "\";%s}}\n@page:first{@top-left{content:none}@top-right{content:none}}"
                  "\n", box);
}

static void head(writer *w)
{
    const char *org = json_string_value(json_array_get(json_object_get(w->report,
                                                                       "organisation"), 0));

    put(w, "<!DOCTYPE html>\n<html lang=\"");
    put(w, w->lang == HTMLREPORT_EN ? "en" : "zh-CN");
    put(w, "\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if (w->lang & HTMLREPORT_ZH)
        text(w, W_TITLE.zh);
    if (w->lang == HTMLREPORT_BOTH)
        put(w, " ");
    if (w->lang & HTMLREPORT_EN)
        text(w, W_TITLE.en);
    if (org) {
        put(w, " &#183; ");
        text(w, org);
    }
    put(w, " &#183; ");
    text(w, str(w->report, "as_of"));
    put(w, "</title>\n<style>\n");
    put(w, STYLE);
    page_rule(w);
    put(w, "</style>\n</head>\n<body>\n");
}

/* Index the documents by path and list, per document, the requirements
 * citing it (each once, in catalog order). */
static void index_documents(writer *w)
{
    const json_t *doc, *req, *item;
    size_t i, k, n = json_array_size(w->documents);
    size_t *last = ev_calloc(n + 1, sizeof *last);   /* per document: last citing req + 1 */
    ev_buf *out = w->out;

    w->cited = ev_calloc(n + 1, sizeof *w->cited);
    json_array_foreach(w->documents, i, doc)
        if (str(doc, "path"))
            strmap_put(&w->by_path, str(doc, "path"), (void *)(uintptr_t)(i + 1));
    json_array_foreach(json_object_get(w->report, "requirements"), i, req) {
        json_array_foreach(json_object_get(req, "evidence"), k, item) {
            const char *path = str(item, "path");
            uintptr_t at = path ? (uintptr_t)strmap_get(&w->by_path, path) : 0;
            if (!at || last[at - 1] == i + 1)
                continue;
            last[at - 1] = i + 1;
            /* The links go to the document's own buffer, for its row. */
            w->out = &w->cited[at - 1];
            put(w, w->out->len ? " " : "");
            requirement_link(w, req);
        }
    }
    w->out = out;
    free(last);
}

void htmlreport_write(ev_buf *out, const json_t *report, const catalog *cat,
                      htmlreport_lang lang)
{
    writer w = {
        .out = out,
        .lang = lang,
        .cat = cat,
        .report = report,
        .documents = json_object_get(report, "documents"),
        .first_seen = json_object_get(report, "first_seen"),
    };
    const json_t *req;
    size_t i;

    assert(lang & HTMLREPORT_BOTH);
    index_documents(&w);
    head(&w);
    cover(&w);
    summary(&w);
    next_steps(&w);
    json_array_foreach(json_object_get(report, "requirements"), i, req)
        requirement_section(&w, req, i);
    document_index(&w);
    put(&w, "</body>\n</html>\n");
    for (i = 0; i <= json_array_size(w.documents); i++)
        ev_buf_free(&w.cited[i]);
    free(w.cited);
    strmap_free(&w.by_path);
    ev_buf_free(&w.scratch);
}

bool htmlreport_lang_parse(const char *text, htmlreport_lang *out)
{
    static const struct {
        const char *name;
        htmlreport_lang lang;
    } langs[] = {{"zh", HTMLREPORT_ZH}, {"en", HTMLREPORT_EN}, {"both", HTMLREPORT_BOTH}};

    for (size_t i = 0; i < EV_ARRAY_LEN(langs); i++)
        if (strcmp(text, langs[i].name) == 0) {
            *out = langs[i].lang;
            return true;
        }
    return false;
}
